"""Fault injection: Redis (the rq backend's queue) goes away while the database stays up.

A write that commits and then enqueues its job is not turned into a 500: the enqueue is guarded,
the job is left as a row (kabinet.jobs.outbox), and once Redis answers again the scheduler's
`jobs.redrive` puts it on the queue and a worker runs it. The outage is real: the application
talks to Redis through a TCP proxy that the test cuts (connections reset, new ones refused).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kabinet.jobs.models import LostEnqueue
from kabinet.jobs.testing import (
    TcpProxy,
    own_redis_keys,
    redis_url_for_tests,
    upstream_of,
    wait_for,
)

pytestmark = pytest.mark.redis


def _work_off_the_queue() -> None:
    """What `kabinet worker` does, in this process (it must see this test's database)."""
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    queue = django_rq.get_queue("default", job_class=Job)
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)


def test_a_redis_outage_fails_no_committed_write_and_its_jobs_run_once_redis_is_back(
    transactional_db, agency, project, sergey, viktoria, settings
):
    from rq.registry import FailedJobRegistry

    from kabinet.jobs.periodic import run_due
    from kabinet.planning.models import PlanRequest, PlanRun
    from kabinet.work.services import create_task

    url = redis_url_for_tests()
    proxy = TcpProxy(upstream_of(url, 6379))
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": proxy.url(url), "DEFAULT_TIMEOUT": 600}}
    with own_redis_keys(url):
        create_task(
            viewer=None,
            project=project,
            title="Семантика",
            assignee=viktoria,
            estimate_hours=2,
            due_at=timezone.now() + timedelta(days=3),
        )
        _work_off_the_queue()
        runs = PlanRun.objects.count()

        proxy.cut()
        manager = Client(raise_request_exception=False)
        manager.force_login(sergey)
        response = manager.post("/planning/recompute/")

        assert response.status_code < 500  # the change is saved; the job waits
        assert PlanRequest.objects.get(agency=agency).dirty
        assert list(LostEnqueue.objects.values_list("task_path", "kwargs")) == [
            ("kabinet.planning.tasks.replan_agency", {"agency_id": agency.pk})
        ]
        assert run_due(only={"jobs.redrive"}) == []  # the scheduler cannot enqueue either

        proxy.restore()
        due = LostEnqueue.objects.get().run_after  # the replan's coalescing delay (2 s)
        wait_for(lambda: timezone.now() > due, timeout=30, what="the replan's delay to pass")
        assert [name for name, _slot in run_due(only={"jobs.redrive"})] == ["jobs.redrive"]
        _work_off_the_queue()  # the re-drive, then the replan it enqueued

        assert not LostEnqueue.objects.exists()
        assert not PlanRequest.objects.get(agency=agency).dirty
        assert PlanRun.objects.count() == runs + 1
        assert FailedJobRegistry("default", connection=_redis(url)).count == 0
    proxy.close()


def _redis(url):
    import redis

    return redis.Redis.from_url(url)
