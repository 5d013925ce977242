"""The planner's client-health factor is the client's understanding index: of two otherwise
equal tasks, the one for the client in an information vacuum goes first; with no index it is
neutral and named nowhere."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from kabinet.health.models import UnderstandingSnapshot
from kabinet.planning.models import TaskForecast


def _snapshot(project, index):
    UnderstandingSnapshot.objects.create(
        agency=project.agency,
        company=project.company,
        project=project,
        day=date.today(),
        index=Decimal(index),
    )


def test_the_task_of_the_client_who_understands_less_goes_first(
    project, other_project, viktoria, make_task, plan, now
):
    from kabinet.clients.models import ProjectMember

    ProjectMember.objects.create(
        agency=other_project.agency, project=other_project, user=viktoria, role="specialist"
    )
    other_project.tier = project.tier
    other_project.monthly_budget = project.monthly_budget
    other_project.save()
    due = now + timedelta(hours=3)
    first = make_task("Отчёт для ТехноДома", assignee=viktoria, hours=3, due=due)
    second = make_task(
        "Отчёт для Зелёного Сада", assignee=viktoria, hours=3, due=due, on=other_project
    )

    plan()
    before = {f.task_id: f.rank for f in TaskForecast.objects.all()}
    assert before[first.pk] < before[second.pk]  # equal: the older (lower id) first

    _snapshot(project, "8.5")
    _snapshot(other_project, "2.0")
    plan()
    after = {f.task_id: f for f in TaskForecast.objects.all()}
    assert after[second.pk].rank < after[first.pk].rank
    assert "health" in after[second.pk].details["decisive"]
