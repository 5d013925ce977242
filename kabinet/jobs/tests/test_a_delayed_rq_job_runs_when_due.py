"""On the Redis backend a job enqueued with a delay (a coalesced replan, say) runs once it is due:
the worker runs rq's scheduler, which moves due jobs from the scheduled registry to the queue."""

from __future__ import annotations

import time

import pytest

from kabinet.jobs.testing import (
    child_env,
    kabinet,
    own_redis_keys,
    query,
    redis_url_for_tests,
    use_migrated,
)

ENQUEUE_IN_TWO_SECONDS = """
from datetime import timedelta
from django.utils import timezone
from kabinet.jobs.tests.crash_jobs import remind_then_wait as job
print(job.using(run_after=timezone.now() + timedelta(seconds=2)).enqueue({!r}).id)
"""


@pytest.mark.redis
def test_a_job_enqueued_with_a_delay_is_run_by_the_worker_once_due(tmp_path, migrated_sqlite):
    import redis
    from rq.job import Job
    from rq.registry import ScheduledJobRegistry

    url = redis_url_for_tests()
    use_migrated(migrated_sqlite, tmp_path)
    env = child_env(tmp_path, TASKS_BACKEND="rq", REDIS_URL=url)
    conn = redis.Redis.from_url(url)
    with own_redis_keys(url):
        enq = kabinet(
            ["shell", "-c", ENQUEUE_IN_TWO_SECONDS.format(str(tmp_path / "no-pause"))], env
        )
        assert enq.returncode == 0, enq.stderr
        job_id = enq.stdout.strip().splitlines()[-1]
        assert job_id in ScheduledJobRegistry("default", connection=conn).get_job_ids()
        time.sleep(2.5)  # let it come due; nothing is measured

        done = kabinet(["worker", "--batch"], env)
        assert done.returncode == 0, done.stderr + done.stdout

        assert Job.fetch(job_id, connection=conn).get_status() == "finished"
        follow_ups = "select count(*) from work_task where dedupe_key = 'crash:follow-up'"
        assert query(tmp_path, follow_ups) == [(1,)]
