from __future__ import annotations

from datetime import timedelta

from kabinet.planning.models import DeadlineProposal, ProposalStatus
from kabinet.timeline.models import Event, Kind
from kabinet.work.models import Task


def test_rejecting_records_who_and_why_and_changes_nothing(
    project, viktoria, sergey, make_task, plan, now, login
):
    task = make_task(
        "Перелинковка",
        assignee=viktoria,
        hours=12,
        due=now + timedelta(hours=9),
        visibility="client",
    )
    plan()
    proposal = DeadlineProposal.objects.get(task=task)
    client = login(sergey)

    response = client.post(f"/planning/proposals/{proposal.pk}/reject/", {"note": ""})
    assert response.status_code == 400
    assert "Скажите, почему срок остаётся" in response.content.decode()

    response = client.post(
        f"/planning/proposals/{proposal.pk}/reject/", {"note": "Виктория выйдет в субботу"}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    assert proposal.decided_by == sergey and proposal.decision_note == "Виктория выйдет в субботу"
    fresh = Task.objects.get(pk=task.pk)
    assert fresh.due_at == task.due_at
    assert not fresh.changes.filter(field="due_at").exists()
    assert not Event.objects.filter(
        project=project, kind__in=[Kind.DEADLINE, Kind.MESSAGE]
    ).exists()

    # The same move is not proposed again...
    plan()
    assert not DeadlineProposal.objects.filter(task=task, status=ProposalStatus.PENDING).exists()
    # ...unless the plan now needs a later date than the one rejected.
    Task.objects.filter(pk=task.pk).update(estimate_hours=30)
    plan()
    again = DeadlineProposal.objects.get(task=task, status=ProposalStatus.PENDING)
    assert again.new_due > proposal.new_due


def test_a_proposal_no_longer_needed_is_withdrawn(project, viktoria, make_task, plan, now):
    task = make_task("Аудит", assignee=viktoria, hours=12, due=now + timedelta(hours=9))
    plan()
    assert DeadlineProposal.objects.get(task=task).status == ProposalStatus.PENDING
    Task.objects.filter(pk=task.pk).update(estimate_hours=2)
    plan()
    assert DeadlineProposal.objects.get(task=task).status == ProposalStatus.WITHDRAWN
