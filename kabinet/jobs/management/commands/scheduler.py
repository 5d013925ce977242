"""`kabinet scheduler`: enqueue the registered periodic jobs once per slot.

Any number of schedulers may run: a slot is claimed by a unique row (kabinet.jobs.periodic).
Every tick also puts jobs of dead workers back in the queue (kabinet.jobs.recovery).

--once            one tick, then exit
--now ISO         pretend it is that time (with --once)
--from/--until    simulate a period: one tick per --step minutes, as fast as possible
--only a,b        only these registered jobs
"""

from __future__ import annotations

import signal
import time
from datetime import datetime, timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections, connection
from django.utils import timezone

from kabinet.jobs import recovery
from kabinet.jobs.periodic import registered, run_due


def _aware(value: str) -> datetime:
    try:
        at = datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not an ISO date-time: {value!r}") from exc
    return timezone.make_aware(at) if timezone.is_naive(at) else at


class Command(BaseCommand):
    help = "Run the periodic scheduler (enqueues each registered job once per slot)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true")
        parser.add_argument("--now", type=_aware, default=None)
        parser.add_argument("--from", dest="start", type=_aware, default=None)
        parser.add_argument("--until", type=_aware, default=None)
        parser.add_argument("--step", type=int, default=15, help="Minutes between simulated ticks.")
        parser.add_argument("--tick", type=float, default=30.0, help="Seconds between real ticks.")
        parser.add_argument(
            "--only", default="", help="Comma-separated names of registered jobs to run."
        )

    def handle(
        self,
        *args,
        once: bool,
        now: datetime | None,
        start: datetime | None,
        until: datetime | None,
        step: int,
        tick: float,
        only: str,
        **options,
    ) -> None:
        verbose = options.get("verbosity", 1) > 1
        names = {job.name for job in registered()}
        self.only = {n.strip() for n in only.split(",") if n.strip()} or None
        if self.only and self.only - names:
            raise CommandError(
                f"unknown job(s): {', '.join(sorted(self.only - names))}; known: {', '.join(sorted(names))}"
            )
        if start or until:
            if not (start and until) or until <= start or step < 1:
                raise CommandError(
                    "--from and --until go together, --until after --from, --step >= 1"
                )
            at = start
            total = 0
            while at < until:
                total += len(run_due(at, self.only))
                at += timedelta(minutes=step)
            self.stdout.write(
                f"Simulated {start:%Y-%m-%d %H:%M} – {until:%Y-%m-%d %H:%M}: {total} job(s) enqueued."
            )
            return
        if once:
            self._tick(now, verbose)
            return
        stopping = False

        def stop(*_args) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        self.stdout.write(f"Scheduler started: {', '.join(sorted(self.only or names))}")
        while not stopping:
            try:
                close_old_connections()
                self._tick(None, verbose)
            except Exception as exc:  # keep running: the database may be briefly unavailable
                self.stderr.write(f"scheduler tick failed: {exc}; trying again at the next tick")
                try:
                    connection.close()
                except Exception:
                    pass
            slept = 0.0
            while not stopping and slept < tick:
                time.sleep(0.5)
                slept += 0.5

    def _tick(self, now: datetime | None, verbose: bool) -> None:
        recovery.recover_abandoned()
        for name, slot in run_due(now, self.only):
            if verbose:
                self.stdout.write(f"enqueued {name} @ {slot.isoformat()}")
