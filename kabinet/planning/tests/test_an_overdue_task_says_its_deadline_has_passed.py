"""A task late by days was "Priority 6.3: deadline is close for the remaining work" in the queue;
the plan now says the deadline has passed, in both languages, and keeps "close" for a task
whose date is still ahead."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from kabinet.planning.models import TaskForecast
from kabinet.planning.services import replan
from kabinet.work.models import Task


def test_the_queue_says_an_overdue_tasks_deadline_has_passed(project, viktoria, sergey):
    now = timezone.now()
    late = Task.objects.create(
        agency=project.agency,
        project=project,
        title="Проверка позиций",
        assignee=viktoria,
        estimate_hours=2,
        due_at=now - timedelta(days=2),
    )
    ahead = Task.objects.create(
        agency=project.agency,
        project=project,
        title="Ежемесячный отчёт",
        assignee=viktoria,
        estimate_hours=6,
        due_at=now + timedelta(hours=8),
    )

    replan(agency=project.agency, reason="test")

    late_line = TaskForecast.objects.get(task=late).details["one_line"]
    ahead_line = TaskForecast.objects.get(task=ahead).details["one_line"]
    assert "the deadline has passed" in late_line["en"]
    assert "срок уже прошёл" in late_line["ru"]
    assert "deadline has passed" not in ahead_line["en"]
