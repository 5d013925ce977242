from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kabinet.core.models import Notification
from kabinet.core.signals import task_completed
from kabinet.timeline.models import Event, Kind
from kabinet.work.models import Task, TaskChange
from kabinet.work.services import change_task, complete_task, create_task


def test_assignee_priority_and_status_changes_are_recorded(project, sergey, viktoria):
    task = create_task(viewer=sergey, project=project, title="Аудит")

    change_task(
        viewer=sergey, task=task, assignee=viktoria, priority_boost=5, reason="Срочно для клиента"
    )
    change_task(viewer=None, task=task, status=Task.Status.WAITING_CLIENT)

    changes = {c.field: c for c in TaskChange.objects.filter(task=task)}
    assert set(changes) == {"assignee", "priority_boost", "status"}
    assert changes["assignee"].new == str(viktoria.pk) and changes["assignee"].actor == sergey
    assert changes["priority_boost"].old == "0" and changes["priority_boost"].new == "5"
    assert changes["priority_boost"].reason == "Срочно для клиента"
    assert changes["status"].actor is None and changes["status"].new == "waiting_client"


def test_the_new_assignee_is_notified_once(project, sergey, viktoria):
    task = create_task(viewer=sergey, project=project, title="Аудит", assignee=viktoria)
    change_task(viewer=sergey, task=task, title="Аудит сайта")

    assert Notification.objects.filter(user=viktoria, kind="task_assigned").count() == 1


def test_an_unchanged_value_records_nothing(project, sergey):
    task = create_task(viewer=sergey, project=project, title="Аудит", estimate_hours="4")

    change_task(viewer=sergey, task=task, estimate_hours="4.00", title="Аудит")

    assert not TaskChange.objects.filter(task=task).exists()


def test_completing_a_client_visible_task_tells_the_client_and_the_promises_app(
    project, sergey, django_capture_on_commit_callbacks
):
    task = create_task(viewer=sergey, project=project, title="Настроить цели", visibility="client")
    received = []

    def listener(sender, task, actor, **kwargs):
        received.append((task.pk, actor))

    task_completed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            complete_task(viewer=sergey, task=task)
        with django_capture_on_commit_callbacks(execute=True):
            complete_task(viewer=sergey, task=task)  # already done: nothing new
    finally:
        task_completed.disconnect(listener)

    task.refresh_from_db()
    assert task.status == Task.Status.DONE and task.completed_at is not None
    assert received == [(task.pk, sergey)]
    assert Event.objects.filter(project=project, kind=Kind.TASK, visibility="client").count() == 1


def test_a_dependency_loop_is_refused(project, sergey):
    a = create_task(viewer=sergey, project=project, title="A")
    b = create_task(viewer=sergey, project=project, title="B", blocked_by=[a])

    with pytest.raises(ValidationError) as exc:
        change_task(viewer=sergey, task=a, blocked_by=[b])
    assert "blocked_by" in exc.value.message_dict
    assert not a.blocked_by.exists()


def test_a_task_needs_a_title_and_a_sane_estimate(project, sergey):
    with pytest.raises(ValidationError) as exc:
        create_task(viewer=sergey, project=project, title="  ")
    assert "title" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        create_task(viewer=sergey, project=project, title="X", estimate_hours="много")
    assert "estimate_hours" in exc.value.message_dict


def test_only_agency_staff_can_be_assigned(project, sergey, marina):
    with pytest.raises(ValidationError) as exc:
        create_task(viewer=sergey, project=project, title="X", assignee=marina)
    assert "assignee" in exc.value.message_dict
