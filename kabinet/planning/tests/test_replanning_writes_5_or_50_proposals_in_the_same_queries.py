"""Replanning writes its deadline proposals in a constant number of queries per batch: proposing
to move 5 late tasks costs as many queries as proposing to move 50, and replanning again with
nothing changed proposes nothing new."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kabinet.planning.models import DeadlineProposal, ProposalStatus
from kabinet.work.models import Task


def late_tasks_up_to(count: int, make_task, assignee, now) -> None:
    while Task.objects.count() < count:
        make_task(
            f"Аудит {Task.objects.count()}",
            assignee=assignee,
            hours=12,
            due=now + timedelta(hours=1),
        )


def replan_counted(plan) -> int:
    with CaptureQueriesContext(connection) as queries:
        plan()
    return len(queries)


def test_5_and_50_proposals_cost_the_same_queries(viktoria, make_task, plan, now):
    plan()  # the agency's first plan creates its planning settings: not what is measured
    late_tasks_up_to(5, make_task, viktoria, now)
    first_5 = replan_counted(plan)
    pending_5 = DeadlineProposal.objects.filter(status=ProposalStatus.PENDING).count()
    DeadlineProposal.objects.all().delete()
    late_tasks_up_to(50, make_task, viktoria, now)
    first_50 = replan_counted(plan)
    pending_50 = DeadlineProposal.objects.filter(status=ProposalStatus.PENDING).count()
    again_50 = replan_counted(plan)

    assert (pending_5, pending_50) == (5, 50)
    assert first_5 == first_50
    assert DeadlineProposal.objects.count() == 50  # the second run kept them, added none
    assert again_50 <= first_50
