from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from kabinet.lib.business_calendar import DEFAULT_TZ as MSK
from kabinet.timeline.models import Event, Kind
from kabinet.work.models import Task, TaskChange
from kabinet.work.services import change_task, create_task


def test_moving_a_due_date_without_a_reason_is_refused_and_changes_nothing(project, sergey):
    due = datetime(2027, 3, 10, 18, tzinfo=MSK)
    task = create_task(
        viewer=sergey, project=project, title="ТЗ на перелинковку", due_at=due, visibility="client"
    )

    with pytest.raises(ValidationError) as exc:
        change_task(viewer=sergey, task=task, due_at=due + timedelta(days=3), reason="  ")

    assert "reason" in exc.value.message_dict
    task.refresh_from_db()
    assert task.due_at == due
    assert not TaskChange.objects.filter(task=task).exists()
    assert not Event.objects.filter(project=project, kind=Kind.DEADLINE).exists()


def test_a_client_visible_deadline_move_is_in_the_clients_chronology_with_the_reason(
    project, sergey
):
    task = create_task(
        viewer=sergey,
        project=project,
        title="ТЗ на перелинковку",
        due_at=datetime(2027, 3, 10, 18, tzinfo=MSK),
        visibility="client",
    )

    change_task(
        viewer=sergey,
        task=task,
        due_at=datetime(2027, 3, 15, 18, tzinfo=MSK),
        reason="Ждём доступы к CMS",
    )

    event = Event.objects.get(project=project, kind=Kind.DEADLINE)
    assert event.visibility == "client"
    assert "ТЗ на перелинковку" in event.title
    assert "10.03.2027" in event.body and "15.03.2027" in event.body
    assert "Ждём доступы к CMS" in event.body
    assert event.author == sergey and event.source_id == str(task.pk)
    change = TaskChange.objects.get(task=task, field="due_at")
    assert change.actor == sergey and change.reason == "Ждём доступы к CMS"
    assert change.old.startswith("2027-03-10") and change.new.startswith("2027-03-15")


def test_an_internal_tasks_deadline_move_stays_out_of_the_chronology(project, sergey):
    task = create_task(
        viewer=sergey,
        project=project,
        title="Внутренняя проверка",
        due_at=datetime(2027, 3, 10, 18, tzinfo=MSK),
    )

    change_task(
        viewer=sergey, task=task, due_at=datetime(2027, 3, 11, 18, tzinfo=MSK), reason="Перенос"
    )

    assert not Event.objects.filter(project=project, kind=Kind.DEADLINE).exists()
    assert TaskChange.objects.filter(task=task, field="due_at").count() == 1
    assert Task.objects.get(pk=task.pk).due_at == datetime(2027, 3, 11, 18, tzinfo=MSK)
