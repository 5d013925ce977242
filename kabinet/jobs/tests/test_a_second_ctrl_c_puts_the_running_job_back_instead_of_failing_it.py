"""Fault injection: Ctrl+C twice on a worker in the middle of a job (the second one forces the
stop: django-tasks-db alone then marks the job FAILED, and its work is never done).

The job goes back to the queue instead, and the next worker runs it to the end, once.
"""

from __future__ import annotations

import signal
import time

from kabinet.jobs.testing import Forkserver, child_env, wait_for

ENQUEUE = "from kabinet.jobs.tests.crash_jobs import remind_then_wait as j; j.enqueue({!r})"
FOLLOW_UP = "select count(*) from work_task where dedupe_key = 'crash:follow-up'"
STATUS = "select status from django_tasks_database_dbtaskresult where task_path like %s"


def test_a_second_ctrl_c_puts_the_running_job_back_instead_of_failing_it(tmp_path, fault_db):
    env = child_env(tmp_path, DATABASE_URL=fault_db.url, TASKS_BACKEND="database")
    pause = tmp_path / "pause"
    pause.touch()
    forks = Forkserver(env, tmp_path)
    try:
        forks.exec(ENQUEUE.format(str(pause)))
        worker = forks.start(["worker", "--interval", "0.1"])
        wait_for(lambda: fault_db.scalar(FOLLOW_UP) == 1, timeout=60, what="the job to start")

        forks.kill(worker, signal.SIGINT)  # "shutting down gracefully… press Ctrl+C again"
        time.sleep(0.5)
        forks.kill(worker, signal.SIGINT)  # again: stop now
        forks.wait(worker)
        assert [row[0] for row in fault_db.query(STATUS, "%remind_then_wait")] == ["READY"]

        pause.unlink()
        assert forks.run(["worker", "--batch"]) == 0
    finally:
        forks.close()

    assert [row[0] for row in fault_db.query(STATUS, "%remind_then_wait")] == ["SUCCESSFUL"]
    notified = "select count(*) from core_notification where dedupe_key = 'crash:notify'"
    assert (fault_db.scalar(FOLLOW_UP), fault_db.scalar(notified)) == (1, 1)
