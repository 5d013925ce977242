from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings
from django_tasks import default_task_backend

from kabinet.planning.models import PlanRequest, PlanRun, TaskForecast
from kabinet.planning.tasks import replan_agency

# Real commits: the job is enqueued when the change's transaction commits, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def queued():
    """Jobs go to the dummy backend (kept, not run) so the test decides when the worker runs."""
    with override_settings(TASKS=DUMMY):
        default_task_backend.clear()
        yield default_task_backend
        default_task_backend.clear()


def test_a_burst_of_task_changes_makes_one_planning_run(
    agency, project, viktoria, make_task, now, queued
):
    tasks = [
        make_task(f"Задача {i}", assignee=viktoria, hours=1, due=now + timedelta(days=1))
        for i in range(5)
    ]
    jobs = [r for r in queued.results if r.task.name == replan_agency.name]
    assert len(jobs) == 5  # every change asked for a replan...
    assert PlanRequest.objects.get(agency=agency).dirty

    outcomes = [replan_agency.call(agency.pk) for _ in jobs]  # ...the worker then runs them all

    assert PlanRun.objects.filter(agency=agency).count() == 1
    assert outcomes.count("coalesced") == 4
    assert set(TaskForecast.objects.values_list("task_id", flat=True)) == {t.pk for t in tasks}
    assert not PlanRequest.objects.get(agency=agency).dirty


def test_changes_inside_one_transaction_enqueue_one_job(
    agency, project, viktoria, make_task, now, queued
):
    with transaction.atomic():
        for i in range(4):
            make_task(f"Пакет {i}", assignee=viktoria, hours=1)
    jobs = [r for r in queued.results if r.task.name == replan_agency.name]
    assert len(jobs) == 1


def test_with_the_immediate_backend_a_change_replans_at_once(
    agency, project, viktoria, make_task, now
):
    task = make_task("Сразу в план", assignee=viktoria, hours=1)
    assert TaskForecast.objects.filter(task=task).exists()
