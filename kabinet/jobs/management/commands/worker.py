"""`kabinet worker`: run background jobs on the configured Django Tasks backend.

database (default): django-tasks-db's worker, plus a heartbeat so that jobs of a worker that
dies mid-job are put back in the queue (see kabinet.jobs.recovery); rq: an RQ worker (django-rq)
with rq's scheduler, so that delayed jobs run when due.

The database worker never exits on a transient error: while the database is away it waits and
tries again with a growing pause (1, 2, 4 … 30 s), and a job that was cut short by the outage —
or by a second Ctrl+C — goes back to the queue instead of being marked failed
(`kabinet.jobs.recovery.ResilientWorker`). On rq, a job a second Ctrl+C cut short goes back to
the queue too (`kabinet.jobs.recovery.ResilientRQWorker`).
"""

from __future__ import annotations

import logging

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils.crypto import get_random_string

from kabinet.jobs import recovery


class Command(BaseCommand):
    help = "Run a background worker for the configured task backend (database or rq)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="Run the jobs that are waiting, then exit."
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between polls (database)."
        )
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--queue-name", default="default")
        parser.add_argument("--worker-id", default="")

    def handle(
        self,
        *args,
        batch: bool,
        interval: float,
        max_tasks: int | None,
        queue_name: str,
        worker_id: str,
        verbosity: int = 1,
        **options,
    ) -> None:
        kind = recovery.backend_kind()
        if kind == "rq":
            recovered = recovery.recover_abandoned()
            if recovered:
                self.stderr.write(f"Put {recovered} abandoned job(s) back in the queue.")
            rq_args = [*queue_name.split(",")]
            # django-tasks-rq needs its own Job class in the worker. rq's scheduler moves jobs
            # enqueued with a delay (run_after, e.g. a coalesced replan) to the queue when due;
            # without it they would wait in the scheduled registry forever. Any number of
            # workers may run it: rq lets one of them hold the lock per queue.
            # ResilientRQWorker puts the job back in the queue when a second Ctrl+C cuts it short.
            rq_options: dict = {
                "with_scheduler": True,
                "job_class": "django_tasks_rq.backend.Job",
                "worker_class": "kabinet.jobs.recovery.ResilientRQWorker",
            }
            if batch:
                rq_options["burst"] = True
            if max_tasks:
                rq_options["max_jobs"] = max_tasks
            call_command("rqworker", *rq_args, **rq_options)
            return
        if kind != "database":
            self.stderr.write("TASKS_BACKEND=immediate runs jobs inline; no worker is needed.")
            return
        logging.getLogger("django_tasks_db").setLevel(
            logging.INFO if verbosity else logging.CRITICAL
        )
        if not logging.getLogger("django_tasks_db").hasHandlers():
            logging.getLogger("django_tasks_db").addHandler(logging.StreamHandler(self.stdout))
        worker_id = worker_id or get_random_string(32)
        heartbeat = recovery.Heartbeat(worker_id)
        heartbeat.start()
        recovered = recovery.recover_abandoned()
        if recovered:
            self.stderr.write(f"Put {recovered} abandoned job(s) back in the queue.")
        worker = recovery.ResilientWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        try:
            worker.run_resiliently()
        finally:
            try:
                heartbeat.stop()
            except Exception:  # the database is away: the row goes stale and is pruned
                pass
