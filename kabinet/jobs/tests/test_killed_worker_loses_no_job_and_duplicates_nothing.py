from __future__ import annotations

import os
import signal

import pytest

from kabinet.jobs.testing import (
    child_env,
    kabinet,
    own_redis_keys,
    query,
    redis_url_for_tests,
    start,
    use_migrated,
    wait_for,
)

ENQUEUE = (
    "from kabinet.jobs.tests.crash_jobs import remind_then_wait as j; print(j.enqueue({!r}).id)"
)


RESULTS = "django_tasks_database_dbtaskresult"


def _counts(tmp_path) -> tuple[int, int]:
    tasks = query(tmp_path, "select count(*) from work_task where dedupe_key = 'crash:follow-up'")[
        0
    ][0]
    notes = query(
        tmp_path, "select count(*) from core_notification where dedupe_key = 'crash:notify'"
    )[0][0]
    return tasks, notes


def _kill_mid_job(tmp_path, env, pause) -> None:
    worker = start(["worker", "--interval", "0.1"], env, tmp_path / "worker.log")
    try:
        wait_for(lambda: _counts(tmp_path)[0] == 1, what="the job to start its work")
    finally:
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and any child it forked
        worker.wait(timeout=30)
    pause.unlink()


def test_a_database_job_whose_worker_is_killed_runs_again_and_duplicates_nothing(
    tmp_path, migrated_sqlite
):
    use_migrated(migrated_sqlite, tmp_path)
    env = child_env(tmp_path)
    pause = tmp_path / "pause"
    pause.touch()
    assert kabinet(["shell", "-c", ENQUEUE.format(str(pause))], env).returncode == 0

    _kill_mid_job(tmp_path, env, pause)
    # django-tasks-db alone would leave it RUNNING forever.
    assert [
        row[0]
        for row in query(
            tmp_path, f"select status from {RESULTS} where task_path like ?", "%remind_then_wait"
        )
    ] == ["RUNNING"]

    rerun = kabinet(["worker", "--batch"], env)
    assert rerun.returncode == 0, rerun.stderr

    assert [
        row[0]
        for row in query(
            tmp_path, f"select status from {RESULTS} where task_path like ?", "%remind_then_wait"
        )
    ] == ["SUCCESSFUL"]
    assert _counts(tmp_path) == (1, 1)


@pytest.mark.redis
def test_an_rq_job_whose_worker_is_killed_runs_again_and_duplicates_nothing(
    tmp_path, migrated_sqlite
):
    url = redis_url_for_tests()
    use_migrated(migrated_sqlite, tmp_path)
    env = child_env(tmp_path, TASKS_BACKEND="rq", REDIS_URL=url)
    with own_redis_keys(url):
        pause = tmp_path / "pause"
        pause.touch()
        enq = kabinet(["shell", "-c", ENQUEUE.format(str(pause))], env)
        assert enq.returncode == 0, enq.stderr

        _kill_mid_job(tmp_path, env, pause)

        rerun = kabinet(["worker", "--batch"], env)
        assert rerun.returncode == 0, rerun.stderr + rerun.stdout
        import redis
        from rq.job import Job

        job = Job.fetch(enq.stdout.strip().splitlines()[-1], connection=redis.Redis.from_url(url))
        assert job.get_status() == "finished"
        assert _counts(tmp_path) == (1, 1)
