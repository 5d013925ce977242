"""Helpers for tests that run real `kabinet` processes against a file database (and Redis)."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
DB_NAME = "db.sqlite3"


def child_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a `kabinet` child: its database, var and media folders under tmp_path."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TASKS_BACKEND")}
    env.update(
        DJANGO_SETTINGS_MODULE="kabinet.settings_test",
        DATABASE_URL=f"sqlite:///{tmp_path / DB_NAME}",
        KABINET_VAR_DIR=str(tmp_path),
        MEDIA_ROOT=str(tmp_path / "media"),
        TASKS_BACKEND="database",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


def migrate_once(directory: Path) -> Path:
    """A SQLite file with every migration applied (made once per session by the
    `migrated_sqlite` fixture; tests copy it instead of migrating again)."""
    done = kabinet(["migrate", "-v0"], child_env(directory))
    assert done.returncode == 0, done.stderr
    return directory / DB_NAME


def use_migrated(template: Path, tmp_path: Path) -> None:
    """Put a copy of the migrated template database where `child_env(tmp_path)` points."""
    shutil.copyfile(template, tmp_path / DB_NAME)


def kabinet(args: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kabinet.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        **kwargs,
    )


def start(args: list[str], env: dict[str, str], log: Path | None = None) -> subprocess.Popen:
    """A `kabinet` child in its own process group. Output goes to a file: a full pipe would
    block the child in the middle of a transaction and stall every other process."""
    out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(
        [sys.executable, "-m", "kabinet.cli", *args],
        env=env,
        cwd=ROOT,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (from /proc), also those that left its process group — an rq
    worker's work horse calls setsid()."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parents.setdefault(ppid, []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill_tree(proc: subprocess.Popen) -> None:
    """SIGKILL a `start()`ed child and everything below it, as an operator's `kill -9` of the
    whole service would."""
    below = descendants(proc.pid)
    os.killpg(proc.pid, signal.SIGKILL)
    for pid in below:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait(timeout=30)


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


def start_run(tmp_path: Path, template: Path) -> tuple[subprocess.Popen, int]:
    """`kabinet run` as `make demo` starts it (DEBUG settings), on a copy of the migrated
    database and on port 0; returns the process and the port its web server got."""
    env = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "TASKS_BACKEND"}
    }
    env.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / DB_NAME}",
        KABINET_VAR_DIR=str(tmp_path),
        TASKS_BACKEND="database",
    )
    use_migrated(template, tmp_path)
    parent = subprocess.Popen(
        [sys.executable, "-m", "kabinet.cli", "run", "--addr", "127.0.0.1:0"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 90
    port = web_port(parent.pid, deadline)
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2) as response:
                assert response.status == 200
                return parent, port
        except OSError:
            assert time.monotonic() < deadline, "the web server did not come up"
            time.sleep(0.5)


def stop_run(parent: subprocess.Popen) -> None:
    """Whatever a test left running of a `kabinet run` goes (used in finally)."""
    below = descendants(parent.pid)
    if parent.poll() is None:
        parent.kill()
    for pid in below:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def query(tmp_path: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(tmp_path / DB_NAME, timeout=20) as db:
        return db.execute(sql, params).fetchall()


def wait_for(predicate, timeout: float = 60.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except sqlite3.OperationalError:
            pass  # table not there yet / locked
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


# --------------------------------------------------------------------------- Redis


def redis_url_for_tests() -> str:
    """REDIS_URL with a database number of the tests' own (CI: redis://127.0.0.1:6379/15).

    Without REDIS_URL the test is skipped; database 0 — the application's default — is refused.
    With REDIS_URL set, a Redis that does not answer is a failure, not a skip."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("set REDIS_URL=redis://127.0.0.1:6379/N (N: a database of the tests' own)")
    number = (urlparse(url).path or "/0").lstrip("/") or "0"
    if number == "0":
        pytest.fail(
            f"REDIS_URL={url} is database 0, the application's default: give the tests their own number"
        )
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis at {url} does not answer: {exc}")
    return url


@contextmanager
def own_redis_keys(url: str) -> Iterator[None]:
    """Delete, afterwards, exactly the keys that appeared while the block ran — never FLUSHDB."""
    import redis

    conn = redis.Redis.from_url(url)
    before = set(conn.scan_iter(count=1000))
    try:
        yield
    finally:
        created = [key for key in conn.scan_iter(count=1000) if key not in before]
        if created:
            conn.delete(*created)
