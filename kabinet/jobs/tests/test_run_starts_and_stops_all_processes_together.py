"""`kabinet run` (what `make demo` ends in) starts web, worker and scheduler, and stops them together."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from kabinet.jobs.testing import alive, children, start_run, stop_run


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find child processes")
def test_run_starts_web_worker_and_scheduler_and_stops_them_together(tmp_path, migrated_sqlite):
    parent, _port = start_run(tmp_path, migrated_sqlite)
    try:
        kids = children(parent.pid)
        commands = " ".join(cmd for _pid, cmd in kids)
        assert "runserver" in commands and " worker" in commands and " scheduler" in commands

        parent.send_signal(signal.SIGTERM)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 15
        while any(alive(pid) for pid, _cmd in kids) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [cmd for pid, cmd in kids if alive(pid)] == []
    finally:
        stop_run(parent)
