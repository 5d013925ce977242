"""Fault injection: Ctrl+C twice on a worker in the middle of a job (the second one forces the
stop), on both backends. Alone, django-tasks-db then marks the job FAILED, and rq kills its work
horse and leaves the job STARTED under a worker that is gone: either way its work is not done.

The job goes back to the queue instead, and the next worker runs it to the end, once; the
notification it made is e-mailed by the outbox's next sweep (every minute), once.
"""

from __future__ import annotations

import signal
import time
from contextlib import nullcontext

import pytest

from kabinet.jobs.testing import Forkserver, child_env, mails_in, own_redis_keys, wait_for

ENQUEUE = "from kabinet.jobs.tests.crash_jobs import remind_then_wait as j; j.enqueue({!r})"
FOLLOW_UP = "select count(*) from work_task where dedupe_key = 'crash:follow-up'"
NOTIFIED = "select count(*) from core_notification where dedupe_key = 'crash:notify'"
# The scheduler's sweep of the e-mail outbox (core.notification_emails), once the person's
# notifications have stopped coming (QUIET).
SWEEP = """
from datetime import timedelta
from django.utils import timezone
from kabinet.core.services import send_due_emails
send_due_emails(now=timezone.now() + timedelta(minutes=3))
"""
EMAILED = "select email_state from core_notification where dedupe_key = 'crash:notify'"
STATUS = "select status from django_tasks_database_dbtaskresult where task_path like %s"


@pytest.mark.parametrize("backend", ["database", pytest.param("rq", marks=pytest.mark.redis)])
def test_a_second_ctrl_c_puts_the_running_job_back_instead_of_failing_it(
    backend, tmp_path, fault_db
):
    extra = {}
    if backend == "rq":
        from kabinet.jobs.testing import redis_url_for_tests

        extra["REDIS_URL"] = redis_url_for_tests()
    outbox = tmp_path / "mail"
    env = child_env(
        tmp_path,
        DATABASE_URL=fault_db.url,
        TASKS_BACKEND=backend,
        TEST_EMAIL_BACKEND="kabinet.jobs.testing.SlowFileEmailBackend",
        TEST_EMAIL_FILE_PATH=str(outbox),
        SLOW_EMAIL_SECONDS="0",
        **extra,
    )
    jobs = _RqJobs(extra["REDIS_URL"]) if extra else _DbJobs(fault_db)
    pause = tmp_path / "pause"
    pause.touch()
    with own_redis_keys(extra["REDIS_URL"]) if extra else nullcontext():
        forks = Forkserver(env, tmp_path)
        try:
            forks.exec(ENQUEUE.format(str(pause)))
            jobs.enqueued()
            worker = forks.start(["worker", "--interval", "0.1"])
            wait_for(lambda: fault_db.scalar(FOLLOW_UP) == 1, timeout=60, what="the job to start")

            forks.kill(worker, signal.SIGINT)  # "shutting down gracefully… press Ctrl+C again"
            time.sleep(1.5)  # rq takes a second signal within 1 s for an echo of the first
            forks.kill(worker, signal.SIGINT)  # again: stop now
            forks.wait(worker)
            assert jobs.state() == "waiting in the queue"

            pause.unlink()
            assert forks.run(["worker", "--batch"]) == 0
            forks.exec(SWEEP)
        finally:
            forks.close()

        assert jobs.state() == "done"
    assert (fault_db.scalar(FOLLOW_UP), fault_db.scalar(NOTIFIED)) == (1, 1)
    assert fault_db.scalar(EMAILED) == "sent"
    assert [
        (mail["To"], "Follow up" in mail.get_body(("plain",)).get_content())
        for mail in mails_in(outbox)
    ] == [("am@crash.test", True)]


class _DbJobs:
    def __init__(self, fault_db) -> None:
        self.fault_db = fault_db

    def enqueued(self) -> None:
        pass

    def state(self) -> str | list:
        statuses = [row[0] for row in self.fault_db.query(STATUS, "%remind_then_wait")]
        return {("READY",): "waiting in the queue", ("SUCCESSFUL",): "done"}.get(
            tuple(statuses), statuses
        )


class _RqJobs:
    def __init__(self, url: str) -> None:
        import redis

        self.conn = redis.Redis.from_url(url)
        self.job_id = ""

    def enqueued(self) -> None:
        from rq.queue import Queue

        (self.job_id,) = Queue("default", connection=self.conn).job_ids

    def state(self) -> str | dict:
        from rq.job import Job
        from rq.queue import Queue
        from rq.registry import FailedJobRegistry, FinishedJobRegistry, StartedJobRegistry

        queue = Queue("default", connection=self.conn)
        job_id = self.job_id
        # Other jobs come and go (the job's work enqueues a replan): only this one is looked at.
        where = {
            "status": Job.fetch(job_id, connection=self.conn).get_status(),
            "queued": job_id in queue.job_ids,
            "started": job_id in StartedJobRegistry(queue=queue).get_job_ids(cleanup=False),
            "failed": job_id in FailedJobRegistry(queue=queue).get_job_ids(cleanup=False),
            "finished": job_id in FinishedJobRegistry(queue=queue).get_job_ids(cleanup=False),
        }
        if where == {
            "status": "queued",
            "queued": True,
            "started": False,
            "failed": False,
            "finished": False,
        }:
            return "waiting in the queue"
        if where == {
            "status": "finished",
            "queued": False,
            "started": False,
            "failed": False,
            "finished": True,
        }:
            return "done"
        return where
