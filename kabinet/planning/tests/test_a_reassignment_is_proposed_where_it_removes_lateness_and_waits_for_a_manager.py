"""Reassignment is a proposal: it appears where giving the task to another person removes
lateness, nothing moves until a manager accepts (through the normal task change, recorded and
told to the new assignee), and a rejected move is not proposed again for the same cause."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kabinet.core.errors import Conflict
from kabinet.core.models import AuditEntry, Notification
from kabinet.core.scoping import viewer_for
from kabinet.planning import services
from kabinet.planning.models import ProposalStatus, ReassignmentProposal
from kabinet.work.models import Task


@pytest.fixture
def overloaded(viktoria, elena, skills, make_task, now):
    """Two SEO tasks for Viktoria due on Monday evening; only one fits her day."""
    first = make_task(
        "Мета-теги", assignee=viktoria, hours=5, due=now + timedelta(hours=9), skill=skills["SEO"]
    )
    second = make_task(
        "Аудит", assignee=viktoria, hours=5, due=now + timedelta(hours=9), skill=skills["SEO"]
    )
    return first, second


def test_the_plan_proposes_elena_and_changes_nothing_by_itself(overloaded, viktoria, elena, plan):
    run = plan()
    proposal = ReassignmentProposal.objects.get(status=ProposalStatus.PENDING)
    assert proposal.task in overloaded and proposal.to_person == elena
    assert proposal.late_hours_before > 0 and proposal.late_hours_after == 0
    assert proposal.saves == pytest.approx(
        run.total_weighted_lateness, rel=1e-3
    )  # all of the plan's lateness goes
    plan()  # a second run keeps the one proposal and still moves nothing
    assert ReassignmentProposal.objects.filter(status=ProposalStatus.PENDING).count() == 1
    assert set(Task.objects.values_list("assignee", flat=True)) == {viktoria.pk}


def test_accepting_reassigns_through_the_task_change_and_tells_elena(
    overloaded, sergey, elena, plan, login
):
    plan()
    proposal = ReassignmentProposal.objects.get(status=ProposalStatus.PENDING)

    response = login(sergey).post(f"/planning/reassignments/{proposal.pk}/accept/")

    assert response.status_code == 302
    task = Task.objects.get(pk=proposal.task_id)
    assert task.assignee == elena
    change = task.changes.get(field="assignee")
    assert change.actor == sergey and "Елена Морозова" in change.reason
    assert AuditEntry.objects.filter(verb="reassignment_accepted", actor=sergey).exists()
    assert Notification.objects.filter(user=elena, kind="task_assigned").exists()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    with pytest.raises(Conflict):
        services.accept_reassignment(viewer=viewer_for(sergey), proposal=proposal)

    run = plan()
    assert run.total_weighted_lateness == 0  # now both are on time


def test_a_rejected_move_is_not_proposed_again_unless_things_change(
    overloaded, sergey, viktoria, plan, login
):
    plan()
    proposal = ReassignmentProposal.objects.get(status=ProposalStatus.PENDING)
    response = login(sergey).post(
        f"/planning/reassignments/{proposal.pk}/reject/", {"note": "Елена в отпуске по факту"}
    )
    assert response.status_code == 302
    plan()
    assert not ReassignmentProposal.objects.filter(status=ProposalStatus.PENDING).exists()
    assert Task.objects.get(pk=proposal.task_id).assignee == viktoria

    # the cause changes: the task's due date is another one now (still one it cannot meet)
    Task.objects.filter(pk=proposal.task_id).update(due_at=proposal.due_at + timedelta(minutes=30))
    plan()
    assert ReassignmentProposal.objects.filter(
        task=proposal.task_id, status=ProposalStatus.PENDING
    ).exists()


def test_a_specialist_cannot_decide_and_another_company_sees_nothing(
    overloaded, viktoria, oleg, irina, plan, login
):
    plan()
    proposal = ReassignmentProposal.objects.get(status=ProposalStatus.PENDING)
    for person in (viktoria, oleg, irina):  # irina manages another client's project
        response = login(person).post(f"/planning/reassignments/{proposal.pk}/accept/")
        assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
