"""Helpers for tests that run real `kabinet` processes against a file database (and Redis)."""

from __future__ import annotations

import email
import email.policy
import json
import os
import shutil
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

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


# --------------------------------------------------------------------------- outages


class TcpProxy:
    """A TCP forwarder on a free loopback port to `upstream` (host, port), for outage tests:
    point a process at `proxy.port` instead of the real PostgreSQL or Redis, then `cut()` it —
    every open connection is reset and new ones are refused, as when the server goes away — and
    `restore()` it on the same port."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.restore()

    def url(self, url: str) -> str:
        """`url` (postgres://…, redis://…) with its host and port replaced by the proxy's."""
        parts = urlparse(url)
        netloc = f"127.0.0.1:{self.port}"
        if parts.username:
            auth = parts.username + (f":{parts.password}" if parts.password else "")
            netloc = f"{auth}@{netloc}"
        return parts._replace(netloc=netloc).geturl()

    def restore(self) -> None:
        with self._lock:
            if self._listener is not None:
                return
            listener = socket.socket()
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(("127.0.0.1", self.port))
            listener.listen(64)
            self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            doomed, self._sockets = self._sockets, set()
        if listener is not None:
            _hard_close(listener)
        for sock in doomed:
            _hard_close(sock)

    close = cut

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                server = socket.create_connection(self.upstream, timeout=5)
                server.settimeout(None)
            except OSError:
                _hard_close(client)
                continue
            with self._lock:
                if self._listener is not listener:
                    _hard_close(client)
                    _hard_close(server)
                    return
                self._sockets |= {client, server}
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        for sock in (source, target):
            with self._lock:
                self._sockets.discard(sock)
            _hard_close(sock)


def _hard_close(sock: socket.socket) -> None:
    """Close with a reset (SO_LINGER 0), as a crashed server's connections end."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


def upstream_of(url: str, default_port: int) -> tuple[str, int]:
    parts = urlparse(url)
    return parts.hostname or "127.0.0.1", parts.port or default_port


# --------------------------------------------------------------------------- many kills, quickly

_FORKSERVER = r"""
import json, os, signal, sys, traceback
import django
django.setup()
from django.core.management import execute_from_command_line
from django.db import connections
import kabinet.jobs.schedule, kabinet.jobs.management.commands.worker  # every job, the worker
import kabinet.lib.scheduling  # the planner's compiled kernels
try:
    import django_tasks_db.management.commands.db_worker, django_rq.management.commands.rqworker
except ImportError:
    pass
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation
reverse("settings")  # every URLconf and view module
for language in ("ru", "en"):  # the catalogs and the e-mail templates
    with translation.override(language):
        get_template("core/email/notifications.txt"), get_template("core/email/notifications.html")
connections.close_all()
codes = {}

def reap(*_):
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if not pid:
            return
        codes[pid] = os.waitstatus_to_exitcode(status)

signal.signal(signal.SIGCHLD, reap)
print("ready", flush=True)
for line in sys.stdin:
    verb, args, log = json.loads(line)
    if verb == "status":
        reap()
        print(json.dumps(codes.get(args)), flush=True)
        continue
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        code = 0
        try:
            if verb == "exec":
                exec(args, {})
                connections.close_all()
            else:
                execute_from_command_line(["kabinet", *args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            traceback.print_exc()
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    print(pid, flush=True)
"""


class Forkserver:
    """A process that has set Django up and imported Kabinet once, and forks a fresh
    `kabinet <command>` from there on demand — as gunicorn's preload does — so that a test can
    kill a worker twenty times without paying the interpreter's start-up twenty times. Each
    child is a real process with its own connections, killed for real."""

    def __init__(self, env: dict[str, str], log_dir: Path) -> None:
        self.log_dir = log_dir
        self.count = 0
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _FORKSERVER],
            env=env,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=open(log_dir / "forkserver.log", "w"),  # noqa: SIM115
            text=True,
            start_new_session=True,
        )
        ready = self.proc.stdout.readline().strip()
        assert ready == "ready", (log_dir / "forkserver.log").read_text()

    def _ask(self, verb: str, args, log: str = "") -> str:
        self.proc.stdin.write(json.dumps([verb, args, log]) + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def start(self, args: list[str]) -> int:
        """Fork `kabinet *args`; returns its pid (its output goes to a numbered log file)."""
        self.count += 1
        log = self.log_dir / f"{self.count:03d}-{args[0]}.log"
        return int(self._ask("start", args, str(log)))

    def exec(self, code: str, timeout: float = 120) -> None:
        """Run Python `code` in a fresh child (Django set up) and wait for it to succeed."""
        self.count += 1
        log = self.log_dir / f"{self.count:03d}-exec.log"
        pid = int(self._ask("exec", code, str(log)))
        assert self.wait(pid, timeout) == 0, log.read_text()

    def exit_code(self, pid: int) -> int | None:
        return json.loads(self._ask("status", pid))

    def run(self, args: list[str], timeout: float = 120) -> int:
        """Fork `kabinet *args` and wait for it; returns its exit code."""
        pid = self.start(args)
        deadline = time.monotonic() + timeout
        while (code := self.exit_code(pid)) is None:
            assert time.monotonic() < deadline, f"kabinet {' '.join(args)} did not finish"
            time.sleep(0.05)
        return code

    def kill(self, pid: int, sig: int = signal.SIGKILL) -> None:
        """Send `sig` to a child and everything below it (rq's work horse)."""
        for target in [pid, *descendants(pid)]:
            try:
                os.kill(target, sig)
            except ProcessLookupError:
                pass

    def wait(self, pid: int, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while (code := self.exit_code(pid)) is None:
            assert time.monotonic() < deadline, f"process {pid} did not end"
            time.sleep(0.05)
        return code

    def close(self) -> None:
        for pid in descendants(self.proc.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.kill()
        self.proc.wait(timeout=30)


class FaultDb:
    """The database the processes of a fault test share: on PostgreSQL the test database itself
    (the test runs with `transactional_db`, so it is emptied afterwards), on SQLite a copy of the
    migrated template file. `query` reads it directly (SQL with %s placeholders)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.vendor = "postgresql" if url.startswith("postgres") else "sqlite"

    def query(self, sql: str, *params) -> list[tuple]:
        if self.vendor == "sqlite":
            with sqlite3.connect(urlparse(self.url).path, timeout=20) as db:
                return db.execute(sql.replace("%s", "?"), params).fetchall()
        import psycopg

        with psycopg.connect(self.url.replace("postgres://", "postgresql://", 1)) as db:
            cursor = db.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def scalar(self, sql: str, *params):
        return self.query(sql, *params)[0][0]


def fault_db(request, tmp_path: Path) -> FaultDb:
    """See FaultDb (called by the `fault_db` fixture)."""
    from django.db import connection

    if connection.vendor == "postgresql":  # the caller holds `transactional_db`
        s = connection.settings_dict
        auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
        return FaultDb(
            f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        )
    use_migrated(request.getfixturevalue("migrated_sqlite"), tmp_path)
    return FaultDb(f"sqlite:///{tmp_path / DB_NAME}")


class SlowFileEmailBackend(BaseEmailBackend):
    """A mail server for fault tests: each accepted message becomes one file in EMAIL_FILE_PATH
    (written atomically: the server's acceptance), with SLOW_EMAIL_SECONDS before it (sending)
    and after it (the acknowledgement on its way back), so that kills land while sending."""

    def send_messages(self, messages) -> int:
        folder = Path(settings.EMAIL_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        delay = float(os.environ.get("SLOW_EMAIL_SECONDS", "0.05"))
        for message in messages:
            time.sleep(delay)
            name = f"{time.time_ns()}-{os.getpid()}"
            (folder / f"{name}.tmp").write_bytes(message.message().as_bytes())
            os.replace(folder / f"{name}.tmp", folder / f"{name}.eml")
            time.sleep(delay)
        return len(messages)


def mails_in(folder: Path) -> list[email.message.Message]:
    """The messages SlowFileEmailBackend accepted, oldest first."""
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(folder.glob("*.eml"))
    ]
