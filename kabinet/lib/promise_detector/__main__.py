"""`python -m kabinet.lib.promise_detector --now ... --json < messages.txt`."""

from __future__ import annotations

from kabinet.lib.promise_detector.cli import main

raise SystemExit(main())
