"""On rq, a job that a worker's cold shutdown (a second Ctrl+C) cuts short goes back to its queue,
up to MAX_PUT_BACKS times in all; the last time it is failed instead — it may be what gets the
worker stopped — as on the database backend (kabinet.jobs.recovery.ResilientWorker)."""

from __future__ import annotations

import pytest

from kabinet.jobs.testing import own_redis_keys, redis_url_for_tests


@pytest.mark.redis
def test_an_rq_job_cut_short_by_cold_shutdowns_again_and_again_is_failed_at_last():
    import redis
    from rq.queue import Queue
    from rq.registry import FailedJobRegistry, StartedJobRegistry

    from kabinet.jobs.recovery import MAX_PUT_BACKS, ResilientRQWorker

    url = redis_url_for_tests()
    conn = redis.Redis.from_url(url)
    with own_redis_keys(url):
        queue = Queue("kabinet-tests-cut-short", connection=conn)
        job = queue.enqueue("os.getpid")
        worker = ResilientRQWorker([queue], connection=conn)
        back = []
        for _ in range(MAX_PUT_BACKS):
            assert queue.job_ids == [job.id]
            conn.lpop(queue.key)  # a worker takes it, starts it, and is stopped cold
            execution = worker.prepare_execution(job)
            assert StartedJobRegistry(queue=queue).get_job_ids(cleanup=False) == [job.id]
            worker._cut_short(job, queue, execution)
            back.append(queue.job_ids == [job.id])

        assert back == [True] * (MAX_PUT_BACKS - 1) + [False]
        assert job.get_status(refresh=True) == "failed"
        assert FailedJobRegistry(queue=queue).get_job_ids(cleanup=False) == [job.id]
        assert StartedJobRegistry(queue=queue).get_job_ids(cleanup=False) == []
