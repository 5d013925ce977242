"""A move a manager asked for says who asked on the at-risk board; the name comes with the move
(it cost a query per such move)."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kabinet.core.scoping import viewer_for
from kabinet.planning import services
from kabinet.planning.models import DeadlineProposal, ProposalStatus
from kabinet.work.models import Task


def _accepted_then_asked(task, manager, plan):
    """The task's first move accepted (a date the client has), then a second one asked for."""
    plan()
    first = DeadlineProposal.objects.get(task=task, status=ProposalStatus.PENDING)
    services.accept_proposal(
        viewer=viewer_for(manager),
        proposal=first,
        message="Марина, перенесём.",
        reason="нужно время",
        seen_new_due=first.new_due,
    )
    Task.objects.filter(pk=task.pk).update(estimate_hours=20)
    plan()
    services.ask_for_move(viewer=viewer_for(manager), task=task)
    plan()


def test_the_board_names_who_asked_without_a_query_per_move(
    sergey, viktoria, make_task, plan, now, login
):
    def late_task(title):
        return make_task(
            title, assignee=viktoria, hours=12, due=now + timedelta(hours=9), visibility="client"
        )

    _accepted_then_asked(late_task("Переписать тексты категорий"), sergey, plan)
    client = login(sergey)
    client.get("/planning/at-risk/")  # warm what a first request sets up
    with CaptureQueriesContext(connection) as one:
        page = client.get("/planning/at-risk/").content.decode()

    _accepted_then_asked(late_task("Перелинковка карточек"), sergey, plan)
    asked = DeadlineProposal.objects.filter(status=ProposalStatus.PENDING, asked_by=sergey)
    assert asked.count() == 2
    with CaptureQueriesContext(connection) as two:
        client.get("/planning/at-risk/")

    assert 'data-testid="asked"' in page and sergey.full_name in page
    assert len(two) == len(one)
