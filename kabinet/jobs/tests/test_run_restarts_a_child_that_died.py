"""`kabinet run` restarts a child that died (here: a killed worker) and leaves the others running,
instead of stopping the web server and the scheduler with it."""

from __future__ import annotations

import os
import signal
import time
import urllib.request
from pathlib import Path

import pytest

from kabinet.jobs.testing import alive, children, descendants, start_run, stop_run


def _pid_of(parent: int, word: str) -> int | None:
    return next((pid for pid, cmd in children(parent) if f" {word}" in cmd), None)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find child processes")
def test_a_killed_worker_is_started_again_while_web_and_scheduler_keep_running(
    tmp_path, migrated_sqlite
):
    parent, port = start_run(tmp_path, migrated_sqlite)
    try:
        worker, web, scheduler = (
            _pid_of(parent.pid, w) for w in ("worker", "runserver", "scheduler")
        )
        for pid in [worker, *descendants(worker)]:
            os.kill(pid, signal.SIGKILL)

        deadline = time.monotonic() + 60
        while _pid_of(parent.pid, "worker") in (None, worker):
            assert time.monotonic() < deadline, "the worker was not started again"
            time.sleep(0.2)

        assert parent.poll() is None
        assert alive(web) and alive(scheduler)
        assert (
            _pid_of(parent.pid, "runserver") == web
            and _pid_of(parent.pid, "scheduler") == scheduler
        )
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as response:
            assert response.status == 200
        parent.send_signal(signal.SIGTERM)
        assert parent.wait(timeout=30) == 0
    finally:
        stop_run(parent)
