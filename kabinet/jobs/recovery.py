"""Crash safety of background jobs.

django-tasks-db marks a job RUNNING when a worker claims it and never looks at it again: a job
whose worker was killed stays RUNNING forever. `kabinet worker` therefore keeps a heartbeat row;
`recover_abandoned()` (run by every worker at start and by the scheduler on every tick) puts a
RUNNING job back to READY when its worker is gone — its process is dead on this host, or its
heartbeat is older than WORK_WORKER_STALE_SECONDS — or when it has run longer than
WORK_JOB_TIMEOUT_SECONDS without any heartbeat (a plain `db_worker`).

RQ already notices dead workers (StartedJobRegistry.cleanup), but only once their execution has
expired, and then moves their jobs to the failed registry without retrying them; a job a worker
took off the queue and died before starting sits in rq's intermediate queue and is failed too.
Here both go back to their queue. A second Ctrl+C (rq's cold shutdown) kills the work horse
mid-job and leaves the job STARTED: `ResilientRQWorker` puts it back in the queue itself.

Re-running a job is safe because every job is idempotent (unique constraints, dedupe keys).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from rq.worker import Worker as RQWorker

from kabinet.jobs.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def stale_after() -> timedelta:
    return timedelta(seconds=float(os.environ.get("WORK_WORKER_STALE_SECONDS", "60")))


def job_timeout() -> timedelta:
    return timedelta(seconds=float(os.environ.get("WORK_JOB_TIMEOUT_SECONDS", "3600")))


def pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _dead(hostname: str | None, pid: int | None, seen_at, now) -> bool:
    if hostname == socket.gethostname() and not pid_alive(pid):
        return True
    return seen_at is not None and seen_at < now - stale_after()


def backend_kind() -> str:
    backend = settings.TASKS["default"]["BACKEND"]
    if backend.startswith("django_tasks_db"):
        return "database"
    if backend.startswith("django_tasks_rq"):
        return "rq"
    return "immediate"


def recover_abandoned() -> int:
    """Put jobs of dead workers back in the queue. Returns how many. Never raises: a recovery
    that fails (database or Redis away) is logged and tried again on the next call."""
    kind = backend_kind()
    try:
        if kind == "database":
            return recover_abandoned_db()
        if kind == "rq":
            return recover_abandoned_rq()
    except Exception:
        logger.exception("recovering abandoned jobs failed; trying again on the next tick")
    return 0


def recover_abandoned_db() -> int:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    beats = {hb.worker_id: hb for hb in WorkerHeartbeat.objects.all()}
    requeued = 0
    for result in DBTaskResult.objects.running().only("id", "worker_ids", "started_at"):
        worker_id = result.worker_ids[-1] if result.worker_ids else None
        beat = beats.get(worker_id) if worker_id else None
        if beat is not None:
            abandoned = _dead(beat.hostname, beat.pid, beat.seen_at, now)
        else:
            abandoned = result.started_at is not None and result.started_at < now - job_timeout()
        if not abandoned:
            continue
        # Compare-and-set: only a job still RUNNING under that worker is put back.
        requeued += DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING
        ).update(status=TaskResultStatus.READY, started_at=None)
        logger.warning("job %s of dead worker %s put back in the queue", result.pk, worker_id)
    WorkerHeartbeat.objects.filter(
        seen_at__lt=now - max(stale_after() * 10, timedelta(hours=1))
    ).delete()
    return requeued


def recover_abandoned_rq() -> int:
    """Put jobs of dead RQ workers back in their queue: those started (rq 3 keeps one started
    entry per execution) and those a worker took off the queue but died before starting (rq's
    intermediate queue — rq itself would fail them after a minute)."""
    import django_rq
    from rq.exceptions import NoSuchJobError
    from rq.intermediate_queue import IntermediateQueue
    from rq.job import Job
    from rq.registry import StartedJobRegistry
    from rq.worker import Worker

    requeued = 0
    now = timezone.now()
    for name in settings.RQ_QUEUES:
        queue = django_rq.get_queue(name)
        conn = queue.connection
        registry = StartedJobRegistry(queue=queue)
        started: dict[str, list[str]] = {}
        for job_id, execution_id in registry.get_job_and_execution_ids(cleanup=False):
            started.setdefault(job_id, []).append(f"{job_id}:{execution_id}")
        for job_id, entries in started.items():
            try:
                job = Job.fetch(job_id, connection=conn)
            except NoSuchJobError:
                continue
            worker = (
                Worker.find_by_key(
                    f"{Worker.redis_worker_namespace_prefix}{job.worker_name}", connection=conn
                )
                if job.worker_name
                else None
            )
            if worker is not None and not _dead(
                worker.hostname, worker.pid, worker.last_heartbeat, now
            ):
                continue
            if worker is None and job.started_at and job.started_at > now - stale_after():
                continue  # just started; its worker may not be registered yet
            if put_back_rq(job, queue, entries):
                requeued += 1
                logger.warning(
                    "job %s of dead RQ worker %s put back in the queue", job_id, job.worker_name
                )
        intermediate = IntermediateQueue(queue.key, conn)
        for job_id in intermediate.get_job_ids():
            if job_id in started:
                continue
            # The first sighting starts a clock; a job still there a minute later was dropped.
            if intermediate.set_first_seen(job_id) or not intermediate.should_be_cleaned_up(job_id):
                continue
            intermediate.remove(job_id)
            try:
                job = Job.fetch(job_id, connection=conn)
            except NoSuchJobError:
                continue
            queue.enqueue_job(job)
            requeued += 1
            logger.warning("job %s stuck in RQ's intermediate queue put back in the queue", job_id)
    return requeued


RQ_PUT_BACKS = "kabinet_put_backs"  # job.meta: how often the job was put back in its queue


def put_back_rq(job, queue, entries: list[str]) -> bool:
    """An RQ job cut short back at the end of its queue. `entries` are its executions in the
    started registry ("job id:execution id"); taking them off is the compare-and-set: of two
    callers (a worker stopping, a scheduler's tick) only the one that removed them enqueues."""
    from rq.job import JobStatus
    from rq.registry import StartedJobRegistry

    registry = StartedJobRegistry(queue=queue)
    if not entries or not queue.connection.zrem(registry.key, *entries):
        return False
    job.meta[RQ_PUT_BACKS] = int(job.get_meta().get(RQ_PUT_BACKS, 0)) + 1
    job.set_status(JobStatus.QUEUED)
    queue.enqueue_job(job)  # saves the job, its meta with it
    return True


class Heartbeat:
    """Keeps this worker's heartbeat row fresh from a background thread."""

    def __init__(self, worker_id: str, every: float = 5.0) -> None:
        self.worker_id = worker_id
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kabinet-heartbeat", daemon=True)

    def beat(self) -> None:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname(),
                "pid": os.getpid(),
                "seen_at": timezone.now(),
            },
        )

    def start(self) -> None:
        try:
            self.beat()
        except Exception:  # the database is away: the thread beats once it is back
            logger.exception("heartbeat failed")
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                close_old_connections()
                self.beat()
            except Exception:
                logger.exception("heartbeat failed")
        connection.close()

    def stop(self) -> None:
        self._stop.set()
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()


# The database is away (connection refused, reset, closed): wait and try again, never give up.
TRANSIENT = (OperationalError, InterfaceError)
# An operator's stop (a second Ctrl+C) cut the job short: it is not the job's failure.
INTERRUPTED = (SystemExit, KeyboardInterrupt)
MAX_BACKOFF = 30.0
MAX_PUT_BACKS = 10  # a job cut short this many times is failed after all (it may be the cause)


def put_back(pk, *, attempts: int, pause: bool = True) -> int:
    """A RUNNING job back to READY; with `pause`, after a pause that grows with its attempts
    (the database was away), else at once (an operator stopped the worker)."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    delay = min(MAX_BACKOFF, 2.0 ** max(0, attempts - 1)) if pause else 0
    return DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY,
        started_at=None,
        run_after=timezone.now() + timedelta(seconds=delay),
    )


class ResilientWorker(Worker):
    """django-tasks-db's worker that rides out an outage of the database and is stopped without
    losing the job it was running.

    - A job that raises OperationalError/InterfaceError (the database went away under it) or is
      interrupted by SystemExit/KeyboardInterrupt (a second Ctrl+C, SIGTERM twice) goes back to
      the queue with a short delay instead of being marked FAILED (up to MAX_PUT_BACKS times).
    - The polling loop survives the database being away: `run_resiliently` waits 1, 2, 4 … 30 s
      and starts the loop again; once the database answers, jobs this worker had claimed and
      could not finish go back to the queue.
    """

    def run_task(self, db_task_result) -> None:
        set_failed = db_task_result.set_failed
        attempts = len(db_task_result.worker_ids or [])

        def failed_or_back(exc: BaseException) -> None:
            if isinstance(exc, TRANSIENT + INTERRUPTED) and attempts < MAX_PUT_BACKS:
                logger.warning(
                    "job %s cut short (%s); back in the queue",
                    db_task_result.pk,
                    type(exc).__name__,
                )
                put_back(
                    db_task_result.pk,
                    attempts=attempts,
                    pause=not isinstance(exc, INTERRUPTED),
                )
                return
            set_failed(exc)

        db_task_result.set_failed = failed_or_back
        super().run_task(db_task_result)

    def put_back_own_jobs(self) -> int:
        from django_tasks_db.models import DBTaskResult

        mine = [
            (r.pk, len(r.worker_ids))
            for r in DBTaskResult.objects.running().only("id", "worker_ids")
            if r.worker_ids and r.worker_ids[-1] == self.worker_id
        ]
        return sum(put_back(pk, attempts=n) for pk, n in mine)

    def run_resiliently(self) -> None:
        failures = 0
        while True:
            try:
                if failures:
                    close_old_connections()
                    if self.put_back_own_jobs():
                        logger.warning("jobs cut short by the outage are back in the queue")
                    logger.warning("the database answers again; worker %s resumes", self.worker_id)
                    failures = 0
                self.run()
                return
            except TRANSIENT as exc:
                failures += 1
                delay = min(MAX_BACKOFF, 2.0 ** (failures - 1))
                logger.warning("the database is away (%s); trying again in %.0f s", exc, delay)
                try:
                    connection.close()
                except Exception:
                    pass
                if not self.running:
                    return
                time.sleep(delay)


class ResilientRQWorker(RQWorker):
    """rq's worker that is stopped without losing the job it was running.

    A second Ctrl+C (a cold shutdown) makes rq kill the work horse mid-job and exit, leaving the
    job STARTED under a worker that is gone: only a later recovery would find it. Here, once the
    horse is dead, the job goes back to its queue at once (up to MAX_PUT_BACKS times; then it is
    failed, as the database backend does).
    """

    def monitor_work_horse(self, job, queue, execution) -> None:
        try:
            super().monitor_work_horse(job, queue, execution)
        except SystemExit:  # rq's cold shutdown: the horse was killed and waited for
            self._cut_short(job, queue, execution)
            raise

    def _cut_short(self, job, queue, execution) -> None:
        try:
            if int(job.get_meta().get(RQ_PUT_BACKS, 0)) + 1 >= MAX_PUT_BACKS:
                self.handle_job_failure(
                    job,
                    queue=queue,
                    exc_string=f"cut short {MAX_PUT_BACKS} times by a worker's cold shutdown",
                    execution=execution,
                )
                return
            if put_back_rq(job, queue, [execution.composite_key]):
                logger.warning("job %s cut short (cold shutdown); back in the queue", job.id)
        except Exception:  # Redis is away: the recovery puts it back once the worker is gone
            logger.exception("job %s cut short; putting it back failed", job.id)
