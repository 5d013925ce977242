from __future__ import annotations

import time

import pytest

from kabinet.jobs.testing import (
    child_env,
    kabinet,
    kill_tree,
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
        kill_tree(worker)  # the worker and whatever runs the job (rq's work horse)
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
    import redis
    from rq.job import Job
    from rq.registry import StartedJobRegistry

    url = redis_url_for_tests()
    use_migrated(migrated_sqlite, tmp_path)
    env = child_env(tmp_path, TASKS_BACKEND="rq", REDIS_URL=url)
    conn = redis.Redis.from_url(url)
    with own_redis_keys(url):
        pause = tmp_path / "pause"
        pause.touch()
        enq = kabinet(["shell", "-c", ENQUEUE.format(str(pause))], env)
        assert enq.returncode == 0, enq.stderr
        job_id = enq.stdout.strip().splitlines()[-1]

        _kill_mid_job(tmp_path, env, pause)
        # Killed mid-job: rq still lists it as started by a worker that no longer exists.
        assert job_id in StartedJobRegistry("default", connection=conn).get_job_ids(cleanup=False)

        rerun = kabinet(["worker", "--batch"], env)  # recovers it first, then runs it
        assert rerun.returncode == 0, rerun.stderr + rerun.stdout

        assert Job.fetch(job_id, connection=conn).get_status() == "finished"
        assert _counts(tmp_path) == (1, 1)


@pytest.mark.redis
def test_an_rq_job_a_dead_worker_took_off_the_queue_before_starting_it_runs_again(
    tmp_path, migrated_sqlite
):
    import redis
    from rq.job import Job

    url = redis_url_for_tests()
    use_migrated(migrated_sqlite, tmp_path)
    env = child_env(tmp_path, TASKS_BACKEND="rq", REDIS_URL=url)
    conn = redis.Redis.from_url(url)
    with own_redis_keys(url):
        enq = kabinet(["shell", "-c", ENQUEUE.format(str(tmp_path / "no-pause"))], env)
        assert enq.returncode == 0, enq.stderr
        job_id = enq.stdout.strip().splitlines()[-1]
        # What a worker does when it takes a job (rq moves it to the queue's intermediate list
        # before marking it started) — and then it dies; rq noticed it there two minutes ago.
        intermediate = "rq:queue:default:intermediate"
        assert conn.lmove("rq:queue:default", intermediate, "RIGHT", "LEFT") == job_id.encode()
        conn.set(f"{intermediate}:first_seen:{job_id}", time.time() - 120)

        rerun = kabinet(["worker", "--batch"], env)
        assert rerun.returncode == 0, rerun.stderr + rerun.stdout

        assert Job.fetch(job_id, connection=conn).get_status() == "finished"
        assert _counts(tmp_path) == (1, 1)
        assert conn.lrange(intermediate, 0, -1) == []
