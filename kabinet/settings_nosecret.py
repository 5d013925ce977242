"""Settings for the console commands that read no database and sign nothing.

`kabinet promises detect` or `kabinet i18n --check` on a fresh clone must not demand a
SECRET_KEY. `kabinet.cli` picks this module for those commands only (see NO_SECRET_COMMANDS
there) when no SECRET_KEY is set: the key is then random for this one process, so nothing it
could sign outlives it. The web app (`kabinet.wsgi`), the worker, the scheduler and every other
command keep `kabinet.settings`, which still refuses to start without a real SECRET_KEY.
"""

from __future__ import annotations

import os
import secrets

os.environ.setdefault("SECRET_KEY", "one-process-only-" + secrets.token_urlsafe(50))

from kabinet.settings import *  # noqa: E402,F403
