"""Start the web server, a worker and the scheduler together; stop them together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run Kabinet: web server, one background worker and the periodic scheduler."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument("--banner", default="", help="text to repeat once everything is up")

    def handle(self, *args, addr: str, **options) -> None:
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

        # Before any child exists: a SIGTERM at any moment must stop them all, never orphan them.
        signal.signal(signal.SIGTERM, stop)
        procs = {
            name: subprocess.Popen(cmd, env=os.environ.copy()) for name, cmd in commands.items()
        }
        announce_at = time.monotonic() + 3  # let the web server print its own lines first
        try:
            while not stopping:
                dead = [name for name, p in procs.items() if p.poll() is not None]
                if dead:
                    self.stderr.write(f"{', '.join(dead)} stopped; stopping the rest.")
                    break
                if announce_at and time.monotonic() >= announce_at:
                    announce_at = 0
                    self.stdout.write(options.get("banner", ""))
                    self.stdout.write(f"Started {', '.join(procs)}. Press Ctrl+C to stop them all.")
                    self.stdout.flush()
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for p in procs.values():
                if p.poll() is None:
                    p.send_signal(signal.SIGINT)
            deadline = time.monotonic() + 10
            for p in procs.values():
                try:
                    p.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    p.kill()
