from __future__ import annotations

import pytest

from kabinet.core.demo import build
from kabinet.planning.models import DeadlineProposal, PlanRun, ProposalStatus, TaskForecast
from kabinet.timeline.models import Event, Kind
from kabinet.work.models import Task


@pytest.mark.django_db
def test_the_demo_orders_viktorias_queue_with_reasons_and_a_late_task_yields_a_proposal(client):
    ctx = build()
    viktoria, sergey = ctx.users["viktoria"], ctx.users["sergey"]
    queue = list(TaskForecast.objects.filter(person=viktoria, unscheduled=False).order_by("rank"))
    assert len(queue) >= 5
    assert [f.rank for f in queue] == list(range(1, len(queue) + 1))
    assert all(f.one_line.startswith("Приоритет") and ":" in f.one_line for f in queue)
    starts = [f.predicted_start for f in queue]
    assert starts == sorted(starts)

    proposal = DeadlineProposal.objects.filter(
        status=ProposalStatus.PENDING,
        task__visibility="client",
        task__project__company__name="ТехноДом",
    ).first()
    assert proposal is not None and proposal.message.startswith("Марина, добрый день!")

    # Running the demo again creates nothing twice.
    tasks, proposals = Task.objects.count(), DeadlineProposal.objects.count()
    build()
    assert Task.objects.count() == tasks and DeadlineProposal.objects.count() == proposals
    assert PlanRun.objects.count() >= 2

    # Accepting it updates the task and the client's chronology.
    client.force_login(sergey)
    client.post(
        f"/planning/proposals/{proposal.pk}/accept/",
        {
            "message": proposal.message,
            "reason": proposal.reason,
            "seen_new_due": proposal.new_due.isoformat(),
        },
    )
    assert Task.objects.get(pk=proposal.task_id).due_at == proposal.new_due
    project = proposal.task.project
    assert Event.objects.filter(
        project=project, kind=Kind.DEADLINE, source_id=str(proposal.task_id)
    ).exists()
    assert Event.objects.filter(project=project, kind=Kind.MESSAGE, body=proposal.message).exists()
