"""Sergey and the head have the same task page open. The head moves the due date; Sergey, on the
page loaded before, moves it too: nothing is written (no change on the record, nothing told to
the client), and he gets 409 with the deadline saved now (by the head) next to the date he typed,
his date and reason still in the form. Moved again from that answer (its hidden version is the
task's current one), the move goes through."""

from __future__ import annotations

import re
from datetime import datetime

from django.urls import reverse

from kabinet.lib.business_calendar import DEFAULT_TZ as MSK
from kabinet.timeline.models import Event, Kind
from kabinet.work.models import Task, TaskChange
from kabinet.work.services import create_task


def _version_in(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def _task(project, sergey) -> Task:
    return create_task(
        viewer=sergey,
        project=project,
        title="Переписать тексты категорий",
        due_at=datetime(2027, 3, 10, 18, tzinfo=MSK),
        visibility="client",
    )


def test_a_move_from_a_stale_page_changes_nothing_and_shows_the_saved_deadline(
    project, sergey, head, login
):
    task = _task(project, sergey)
    page = reverse("work:task", args=[task.pk])
    move = reverse("work:task_move", args=[task.pk])
    seen = _version_in(login(sergey).get(page).content.decode())
    assert seen == str(task.version)

    first = login(head).post(
        move,
        {"due_at": "2027-03-20T18:00", "reason": "клиент просил позже", "version": seen},
    )
    assert first.status_code == 302
    moved = Task.objects.get(pk=task.pk)
    changes, events = TaskChange.objects.count(), Event.objects.filter(kind=Kind.DEADLINE).count()

    second = login(sergey).post(
        move,
        {"due_at": "2027-03-17T18:00", "reason": "тексты на согласовании", "version": seen},
    )

    assert second.status_code == 409
    html = second.content.decode()
    assert 'data-testid="conflict"' in html
    assert "Анна Королёва" in html  # who moved it
    row = re.search(r'<tr[^>]*data-field="due_at".*?</tr>', html, re.S).group(0)
    assert "2027-03-20 18:00" in row and "2027-03-17 18:00" in row  # saved next to typed
    assert 'value="2027-03-17T18:00"' in html  # his date and reason stay in the form
    assert "тексты на согласовании" in html
    after = Task.objects.get(pk=task.pk)
    assert (after.due_at, after.version) == (moved.due_at, moved.version)
    assert TaskChange.objects.count() == changes
    assert Event.objects.filter(kind=Kind.DEADLINE).count() == events
    assert "тексты на согласовании" not in "".join(Event.objects.values_list("body", flat=True))
    # The form now carries the saved version: moving again is a choice made with it in view.
    assert _version_in(html) == str(moved.version)

    again = login(sergey).post(
        move,
        {
            "due_at": "2027-03-17T18:00",
            "reason": "тексты на согласовании",
            "version": moved.version,
        },
    )
    assert again.status_code == 302
    assert Task.objects.get(pk=task.pk).due_at == datetime(2027, 3, 17, 18, tzinfo=MSK)


def test_the_move_page_carries_the_tasks_version(project, sergey, login):
    task = _task(project, sergey)

    html = login(sergey).get(reverse("work:task_move", args=[task.pk])).content.decode()

    assert _version_in(html) == str(task.version)
