"""An accepted date holds: the planner plans around it and never proposes moving it again by
itself; if it still cannot meet it, it says what would (reassignment, other work moved, capacity)
and a second move exists only when a manager asks for it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kabinet.core.scoping import viewer_for
from kabinet.core.testing import Role, make_user
from kabinet.planning import selectors, services
from kabinet.planning.models import DeadlineProposal, ProposalStatus, TaskForecast
from kabinet.work.models import Task


@pytest.fixture
def accepted(project, viktoria, sergey, make_task, plan, now):
    """Rewriting the category texts (12 h, due tonight) was moved to Tuesday and the client told."""
    task = make_task(
        "Переписать тексты категорий",
        assignee=viktoria,
        hours=12,
        due=now + timedelta(hours=9),
        visibility="client",
    )
    plan()
    proposal = DeadlineProposal.objects.get(task=task, status=ProposalStatus.PENDING)
    services.accept_proposal(
        viewer=viewer_for(sergey),
        proposal=proposal,
        message="Марина, тексты будут во вторник.",
        reason="нужно время",
        seen_new_due=proposal.new_due,
    )
    task.refresh_from_db()
    return task


def test_new_work_does_not_move_an_accepted_date_again(accepted, viktoria, make_task, plan, now):
    urgent = make_task("Срочный аудит", assignee=viktoria, hours=8, due=now + timedelta(hours=27))

    plan()

    assert not DeadlineProposal.objects.filter(
        task=accepted, status=ProposalStatus.PENDING
    ).exists()
    assert not TaskForecast.objects.get(task=accepted).is_late
    # The plan met the commitment by moving the other work instead.
    assert DeadlineProposal.objects.filter(task=urgent, status=ProposalStatus.PENDING).exists()


def test_when_it_still_cannot_be_met_the_plan_says_what_would(
    accepted, agency, project, sergey, viktoria, plan
):
    from kabinet.clients.models import ProjectMember

    anna = make_user(agency, "anna@agency.test", Role.SPECIALIST, full_name="Анна Котова")
    ProjectMember.objects.create(
        agency=agency, project=project, user=anna, role=ProjectMember.ProjectRole.SPECIALIST
    )
    # Viktoria falls ill on Tuesday, the accepted date; Anna has Monday and Tuesday free (the
    # free hours are counted from the plan run, Monday morning).
    services.add_absence(
        viewer=viewer_for(viktoria),
        person=viktoria,
        kind="sick",
        starts_on="2026-12-08",
        ends_on="2026-12-08",
    )

    plan()

    assert not DeadlineProposal.objects.filter(
        task=accepted, status=ProposalStatus.PENDING
    ).exists()
    [risk] = selectors.commitments_at_risk(viewer_for(sergey))
    assert risk.forecast.task == accepted
    assert risk.needed_hours > 0
    assert anna in risk.others and viktoria not in risk.others
    assert risk.pending is None


def test_a_second_move_is_proposed_only_when_the_manager_asks(accepted, sergey, plan):
    Task.objects.filter(pk=accepted.pk).update(estimate_hours=20)
    plan()
    assert not DeadlineProposal.objects.filter(
        task=accepted, status=ProposalStatus.PENDING
    ).exists()

    asked = services.ask_for_move(viewer=viewer_for(sergey), task=accepted)
    plan()

    asked.refresh_from_db()
    assert asked.status == ProposalStatus.PENDING and asked.asked_by == sergey
    assert asked.old_due == accepted.due_at and asked.new_due > accepted.due_at


def test_the_at_risk_page_shows_the_options_and_the_ask_button(accepted, sergey, plan, login):
    Task.objects.filter(pk=accepted.pk).update(estimate_hours=20)
    plan()

    html = login(sergey).get("/planning/at-risk/").content.decode()

    assert 'data-testid="commitment"' in html and 'data-testid="option-capacity"' in html
    assert 'data-testid="ask-move"' in html
