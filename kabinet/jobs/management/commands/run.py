"""Start the web server, a worker and the scheduler together; stop them together.

A child that dies (a crash, an outage it could not ride out, a kill) is started again after a
short, growing pause; the others keep running. SIGTERM or Ctrl+C stops them all.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand, CommandParser

RESET_AFTER = 60.0  # seconds a restarted child must live before its backoff starts again at 1 s
MAX_BACKOFF = 30.0


def site_url_for(addr: str) -> str:
    """The address people open for a server bound to `addr` ("0.0.0.0:8000" → http://127.0.0.1:8000)."""
    host, _, port = addr.rpartition(":")
    host = "127.0.0.1" if host in ("", "0.0.0.0") else host
    return f"http://{host}:{port}"


class Command(BaseCommand):
    help = "Run Kabinet: web server, one background worker and the periodic scheduler."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument("--banner", default="", help="text to repeat once everything is up")

    def handle(self, *args, addr: str, **options) -> None:
        # Links in e-mails point at this server unless SITE_URL says otherwise (the worker sends them).
        os.environ.setdefault("SITE_URL", site_url_for(addr))
        python = [sys.executable, "-m", "kabinet.cli"]
        commands = {
            "web": [*python, "runserver", addr, "--noreload"],
            "worker": [*python, "worker"],
            "scheduler": [*python, "scheduler"],
        }
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        # Before any child exists: a SIGTERM or Ctrl+C at any moment stops them all, never
        # orphans them, and never looks like a child that died and must be restarted.
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)

        def spawn(name: str) -> subprocess.Popen:
            return subprocess.Popen(commands[name], env=os.environ.copy())

        procs: dict[str, subprocess.Popen | None] = {name: spawn(name) for name in commands}
        started = dict.fromkeys(commands, time.monotonic())
        failures = dict.fromkeys(commands, 0)
        restart_at: dict[str, float] = {}
        announce_at = time.monotonic() + 3  # let the web server print its own lines first
        try:
            while not stopping:
                now = time.monotonic()
                for name, proc in procs.items():
                    if proc is None:
                        if now >= restart_at[name] and not stopping:
                            procs[name] = spawn(name)
                            started[name] = now
                        continue
                    code = proc.poll()
                    if code is None:
                        continue
                    # A child that died is restarted, the others keep running; one that keeps
                    # dying is restarted less and less often (1, 2, 4 … 30 s).
                    failures[name] = 1 if now - started[name] > RESET_AFTER else failures[name] + 1
                    delay = min(MAX_BACKOFF, 2.0 ** (failures[name] - 1))
                    self.stderr.write(
                        f"{name} stopped (exit code {code}); restarting it in {delay:.0f} s."
                    )
                    procs[name] = None
                    restart_at[name] = now + delay
                if announce_at and now >= announce_at:
                    announce_at = 0
                    self.stdout.write(options.get("banner", ""))
                    self.stdout.write(f"Started {', '.join(procs)}. Press Ctrl+C to stop them all.")
                    self.stdout.flush()
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            running = [p for p in procs.values() if p is not None]
            for p in running:
                if p.poll() is None:
                    p.send_signal(signal.SIGINT)
            deadline = time.monotonic() + 10
            for p in running:
                try:
                    p.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    p.kill()
