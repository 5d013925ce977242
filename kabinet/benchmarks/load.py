"""Throughput under a mixed load: ``kabinet bench load``.

Starts gunicorn on a free loopback port against the configured database (``DATABASE_URL``, which
must hold the demo agency, grown with ``kabinet demo --scale …``), with ``DEBUG=0`` and a
throwaway ``SECRET_KEY`` as in production, then lets ``--users`` simulated people request the page
mix of ``kabinet bench pages`` (client home and chronology, search and filters, the manager's
projects, questions, promises, work board, planning, the head's view, the API lists), each as the
persona who uses it, for ``--duration`` seconds or ``--max-requests`` requests, whichever comes
first. Each user is a thread with its own keep-alive connection and its own signed-in session,
requesting one page after another; ``--think`` seconds of pause between two requests (0: a closed
loop, the hardest case).

Writes ``var/bench/load.json``::

    {"database", "events", "users", "think_s", "duration_s", "requests", "errors",
     "rps", "p50_ms", "p95_ms", "p99_ms", "pages": {NAME: {"requests", "errors", "p50_ms", "p95_ms"}}}

An error is a transport failure or any status other than 200. Nothing is asserted: the figures go
to BENCHMARKS.md. The load generator runs on the same two cores as the server, so the figures are
a floor of what a separate client machine would see.
"""

from __future__ import annotations

import json
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from kabinet.benchmarks.inputs import count, output_file
from kabinet.benchmarks.pages import percentile

MAX_USERS = 500
MAX_DURATION = 3600


def add_arguments(parser) -> None:
    parser.add_argument("--users", default="10", help="simulated users; a list runs each: 10,50")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per run")
    parser.add_argument(
        "--max-requests", type=count(1, 10_000_000), default=100_000, help="cap per run"
    )
    parser.add_argument("--think", type=float, default=0.0, help="pause between requests, s")
    parser.add_argument("--workers", type=count(1, 64), default=2, help="gunicorn worker processes")
    parser.add_argument(
        "--threads", type=count(1, 64), default=4, help="threads per gunicorn worker"
    )
    parser.add_argument("--out", type=output_file, default="var/bench/load.json")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _users(text: str) -> list[int]:
    try:
        values = [int(v) for v in str(text).split(",") if v.strip()]
    except ValueError:
        raise SystemExit(f"--users: {text!r} is not a number or a list of numbers") from None
    if not values or any(v < 1 or v > MAX_USERS for v in values):
        raise SystemExit(f"--users must be between 1 and {MAX_USERS}")
    return values


def _sessions(secret: str, emails: set[str]) -> dict[str, str]:
    """A signed-in session per persona, signed with the server's secret (sessions live in the
    database, so the server finds them)."""
    import logging

    from django.conf import settings
    from django.test import Client, override_settings

    from kabinet.core.models import User

    logging.getLogger("axes").setLevel(logging.WARNING)  # four lines per sign-in otherwise
    cookies = {}
    with override_settings(SECRET_KEY=secret):
        for email in emails:
            client = Client()
            client.force_login(User.objects.get(email=email))
            cookies[email] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies


def _server_env(secret: str) -> dict[str, str]:
    env = os.environ.copy()
    env.update(
        DEBUG="0",
        SECRET_KEY=secret,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
    )
    # Like gunicorn's --log-level warning below: one log line per request would drown the
    # bench's own output (and cost the server a write per request the figures should not carry).
    env.setdefault("LOG_LEVEL", "WARNING")
    return env


def _start_server(port: int, secret: str, workers: int, threads: int) -> subprocess.Popen:
    env = _server_env(secret)
    # As in production: the hashed static files' manifest the pages' {% static %} tags read.
    subprocess.run(
        [sys.executable, "-m", "kabinet.cli", "collectstatic", "--noinput", "-v0"],
        env=env,
        check=True,
    )
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "kabinet.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--log-level",
        "warning",
        "--timeout",
        "60",
    ]
    server = subprocess.Popen(command, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with code {server.returncode} before serving")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    _stop_server(server)
    raise SystemExit("gunicorn did not start listening within 60 s")


def _stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _run_users(
    base: str,
    mix: list[tuple[str, str, str]],
    cookies: dict[str, str],
    users: int,
    duration: float,
    max_requests: int,
    think: float,
) -> tuple[list[tuple[str, float, int]], float]:
    import logging

    import httpx
    from django.conf import settings

    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per request

    results: list[tuple[str, float, int]] = []
    lock = threading.Lock()
    budget = [max_requests]
    stop_at = time.monotonic() + duration

    def user(index: int) -> None:
        headers = {"Host": "127.0.0.1"}
        with httpx.Client(base_url=base, headers=headers, timeout=30.0) as http:
            step = index  # users start at different pages of the mix
            while time.monotonic() < stop_at:
                with lock:
                    if budget[0] <= 0:
                        return
                    budget[0] -= 1
                name, email, url = mix[step % len(mix)]
                step += 1
                cookie = {settings.SESSION_COOKIE_NAME: cookies[email]}
                started = time.perf_counter()
                try:
                    status = http.get(url, cookies=cookie).status_code
                except httpx.HTTPError:
                    status = 0
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    results.append((name, elapsed, status))
                if think:
                    time.sleep(think)

    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(users)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, time.monotonic() - began


def _summary(results: list[tuple[str, float, int]], wall: float) -> dict[str, Any]:
    times = [ms for _n, ms, _s in results]
    pages: dict[str, dict[str, Any]] = {}
    for name in dict.fromkeys(n for n, _ms, _s in results):
        own = [(ms, st) for n, ms, st in results if n == name]
        pages[name] = {
            "requests": len(own),
            "errors": sum(1 for _ms, st in own if st != 200),
            "p50_ms": round(percentile([ms for ms, _ in own], 0.5), 1),
            "p95_ms": round(percentile([ms for ms, _ in own], 0.95), 1),
        }
    return {
        "duration_s": round(wall, 1),
        "requests": len(results),
        "errors": sum(1 for _n, _ms, st in results if st != 200),
        "rps": round(len(results) / wall, 1) if wall else 0.0,
        "p50_ms": round(percentile(times, 0.5), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "p99_ms": round(percentile(times, 0.99), 1),
        "pages": pages,
    }


def run(options: dict[str, Any], stdout) -> int:
    from django.db import connection

    from kabinet.benchmarks.pages import pages
    from kabinet.core.models import Agency
    from kabinet.timeline.models import Event

    user_counts = _users(options.get("users") or "10")
    duration = float(60.0 if options.get("duration") is None else options["duration"])
    if not 1 <= duration <= MAX_DURATION:
        raise SystemExit(f"--duration must be between 1 and {MAX_DURATION} seconds")
    max_requests = int(options.get("max_requests") or 100_000)
    if max_requests < 1:
        raise SystemExit("--max-requests must be at least 1")
    think = float(options.get("think") or 0.0)
    if not 0 <= think <= 60:
        raise SystemExit("--think must be between 0 and 60 seconds")
    if connection.vendor == "sqlite" and str(connection.settings_dict["NAME"]).startswith(
        ("file:memorydb", ":memory:")
    ):
        raise SystemExit("bench load needs a database file or server, not an in-memory database")
    if not Agency.objects.filter(slug="demo").exists():
        raise SystemExit(
            "no demo agency in this database: run `kabinet demo --no-serve` (and --scale 10k, "
            "100k or 1m) first"
        )
    mix = pages()
    secret = secrets.token_urlsafe(50)
    cookies = _sessions(secret, {email for _n, email, _u in mix})
    events = Event.objects.count()
    connection.close()  # the server's processes use the database from here on
    port = _free_port()
    server = _start_server(port, secret, options.get("workers") or 2, options.get("threads") or 4)
    runs = []
    try:
        base = f"http://127.0.0.1:{port}"
        _run_users(base, mix, cookies, 2, 5.0, 4 * len(mix), 0.0)  # warm-up: each page loaded
        for users in user_counts:
            results, wall = _run_users(base, mix, cookies, users, duration, max_requests, think)
            runs.append({"users": users, "think_s": think, **_summary(results, wall)})
    finally:
        _stop_server(server)
    data = {
        "database": connection.vendor,
        "events": events,
        "server": {"workers": options.get("workers") or 2, "threads": options.get("threads") or 4},
        "runs": runs,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": list(os.getloadavg()),
    }
    out = Path(options.get("out") or "var/bench/load.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    stdout.write(f"Load on {data['database']}, {events:,} events, gunicorn {data['server']}\n")
    stdout.write(
        f"{'users':>5} {'think s':>7} {'requests':>8} {'errors':>6} {'req/s':>7} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}\n"
    )
    for r in runs:
        stdout.write(
            f"{r['users']:>5} {r['think_s']:>7} {r['requests']:>8} {r['errors']:>6} "
            f"{r['rps']:>7} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['p99_ms']:>8}\n"
        )
    stdout.write(f"written to {out}\n")
    return 0
