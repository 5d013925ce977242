"""`kabinet run` (what `make demo` ends in) starts web, worker and scheduler, and stops them together."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def listening_ports(pid: int) -> set[int]:
    """TCP ports the process listens on (its sockets matched against /proc/net/tcp)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").glob("*"):
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports = set()
    for line in Path(f"/proc/{pid}/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
            ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def web_port(parent: int, deadline: float) -> int:
    """The port the kernel gave the web server (it was started on port 0)."""
    while True:
        for pid, cmd in children(parent):
            if "runserver" in cmd:
                ports = listening_ports(pid)
                if ports:
                    return ports.pop()
        assert time.monotonic() < deadline, "the web server did not start listening"
        time.sleep(0.2)


def children(pid: int) -> list[tuple[int, str]]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                found.append((int(stat.parent.name), cmdline))
        except (OSError, IndexError, ValueError):
            continue
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find child processes")
def test_run_starts_web_worker_and_scheduler_and_stops_them_together(tmp_path, migrated_sqlite):
    env = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "TASKS_BACKEND"}
    }
    env.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'run.sqlite3'}",
        KABINET_VAR_DIR=str(tmp_path),
        TASKS_BACKEND="database",
    )
    shutil.copyfile(migrated_sqlite, tmp_path / "run.sqlite3")
    kabinet = [sys.executable, "-m", "kabinet.cli"]
    # Port 0: the kernel picks a free port; the test reads which one from /proc.
    parent = subprocess.Popen(
        [*kabinet, "run", "--addr", "127.0.0.1:0"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        port = web_port(parent.pid, deadline)
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/login/", timeout=2
                ) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "the web server did not come up"
                time.sleep(0.5)
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
        if parent.poll() is None:
            parent.kill()
        for pid, _cmd in children(parent.pid):
            os.kill(pid, signal.SIGKILL)
