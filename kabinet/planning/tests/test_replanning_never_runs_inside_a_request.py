"""A web request never computes a plan: it marks the plan dirty and enqueues the job; the pages
show the last plan, when it was computed, and that a newer one is coming."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django_tasks import default_task_backend

from kabinet.planning.models import PlanRequest, PlanRun
from kabinet.planning.tasks import replan_agency

# Real commits: the job is enqueued when the request's transaction commits, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def queued():
    """Jobs are kept, not run: whatever runs, runs inside the request."""
    with override_settings(TASKS=DUMMY):
        default_task_backend.clear()
        yield default_task_backend
        default_task_backend.clear()


def _replan_jobs(backend) -> list:
    return [r for r in backend.results if r.task.name == replan_agency.name]


def test_recompute_enqueues_the_job_and_the_page_says_a_newer_plan_is_coming(
    agency, project, viktoria, sergey, make_task, plan, now, login, queued
):
    make_task("Аудит", assignee=viktoria, hours=3, due=now + timedelta(days=1))
    plan()
    queued.clear()
    runs = PlanRun.objects.count()

    client = login(sergey)
    response = client.post("/planning/recompute/", {"next": "/planning/at-risk/"})

    assert response.status_code == 302
    assert PlanRun.objects.count() == runs  # nothing computed in the request
    assert len(_replan_jobs(queued)) == 1
    assert PlanRequest.objects.get(agency=agency).dirty
    page = client.get("/planning/at-risk/").content.decode()
    assert 'data-testid="plan-coming"' in page
    assert "Рассчитано" in page or "Computed" in page  # when the plan shown was computed


def test_a_boost_from_the_queue_enqueues_and_does_not_plan(
    agency, project, viktoria, sergey, make_task, plan, now, login, queued
):
    task = make_task("Статья", assignee=viktoria, hours=2, due=now + timedelta(days=2))
    plan()
    queued.clear()
    runs = PlanRun.objects.count()

    response = login(sergey).post(
        f"/planning/tasks/{task.pk}/boost/", {"boost": "2"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert PlanRun.objects.count() == runs
    assert len(_replan_jobs(queued)) == 1
    assert 'data-testid="plan-coming"' in response.content.decode()


def test_once_the_job_has_run_the_page_no_longer_says_a_plan_is_coming(
    agency, project, viktoria, sergey, make_task, login, queued
):
    make_task("Семантика", assignee=viktoria, hours=2)
    login(sergey).post("/planning/recompute/")
    assert PlanRequest.objects.get(agency=agency).dirty

    replan_agency.call(agency.pk)  # the worker

    assert not PlanRequest.objects.get(agency=agency).dirty
    assert 'data-testid="plan-coming"' not in login(sergey).get("/planning/queue/").content.decode()
