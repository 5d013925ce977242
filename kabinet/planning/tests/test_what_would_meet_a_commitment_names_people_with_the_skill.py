"""A date the client has that the plan cannot meet: it is never proposed to move by the plan; the
page says what would meet it — a teammate with the skill and the free hours (their own hours,
capacity and absences counted) — and proposes that reassignment instead."""

from __future__ import annotations

from datetime import timedelta

from kabinet.core.scoping import viewer_for
from kabinet.planning import selectors, services
from kabinet.planning.models import (
    DeadlineProposal,
    ProposalStatus,
    ReassignmentProposal,
)


def test_elena_with_seo_is_named_and_nikita_without_it_is_not(
    agency, project, viktoria, elena, nikita, sergey, skills, make_task, plan, now, login
):
    task = make_task(
        "Тексты категорий",
        assignee=viktoria,
        hours=6,
        due=now + timedelta(days=1, hours=9),  # Tuesday 18:00, a date the client accepted
        visibility="client",
        skill=skills["SEO"],
    )
    DeadlineProposal.objects.create(
        agency=agency,
        task=task,
        old_due=task.due_at - timedelta(days=1),
        new_due=task.due_at,
        lateness_hours=1,
        status=ProposalStatus.ACCEPTED,
    )
    services.add_absence(
        viewer=viewer_for(viktoria),
        person=viktoria,
        kind="sick",
        starts_on="2026-12-07",
        ends_on="2026-12-08",
    )
    plan()

    assert not DeadlineProposal.objects.filter(task=task, status=ProposalStatus.PENDING).exists()
    [risk] = selectors.commitments_at_risk(viewer_for(sergey))
    assert risk.forecast.task == task and risk.others == [elena]
    reassignment = ReassignmentProposal.objects.get(task=task, status=ProposalStatus.PENDING)
    assert reassignment.to_person == elena

    html = login(sergey).get("/planning/at-risk/").content.decode()
    assert 'data-testid="option-reassign"' in html and "Елена Морозова" in html
    assert 'data-testid="reassignment"' in html


def test_elenas_own_absence_takes_her_off_the_list(
    agency, project, viktoria, elena, nikita, sergey, skills, make_task, plan, now
):
    task = make_task(
        "Тексты категорий",
        assignee=viktoria,
        hours=6,
        due=now + timedelta(days=1, hours=9),
        visibility="client",
        skill=skills["SEO"],
    )
    DeadlineProposal.objects.create(
        agency=agency,
        task=task,
        old_due=task.due_at - timedelta(days=1),
        new_due=task.due_at,
        lateness_hours=1,
        status=ProposalStatus.ACCEPTED,
    )
    for person in (viktoria, elena):
        services.add_absence(
            viewer=viewer_for(person),
            person=person,
            kind="vacation",
            starts_on="2026-12-07",
            ends_on="2026-12-08",
        )
    plan()

    [risk] = selectors.commitments_at_risk(viewer_for(sergey))
    assert risk.others == []
    assert not ReassignmentProposal.objects.filter(
        task=task, status=ProposalStatus.PENDING
    ).exists()
