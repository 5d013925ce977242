"""The at-risk board lists the open tasks the plan predicts late and those with a deadline move or
a reassignment waiting for a decision, the latest first (a task on time with a move waiting is as
late as the move says); a task on time with nothing to decide is not on it."""

from __future__ import annotations

import re


def test_late_tasks_and_waiting_decisions_are_on_the_board_latest_first(
    login, sergey, viktoria, elena, stored_plan, pending_moves, agency
):
    from kabinet.planning.models import ProposalStatus, ReassignmentProposal, TaskForecast

    late = stored_plan(viktoria, 0, 2, late_hours=2.0)  # 2 and 3 hours late
    moved, handed, idle = stored_plan(viktoria, 2, 5)
    TaskForecast.objects.filter(task__in=late).update(slack_hours=-1)
    pending_moves([moved])  # five hours late by the move
    ReassignmentProposal.objects.create(
        agency=agency,
        task=handed,
        from_person=viktoria,
        to_person=elena,
        late_hours_before=1.0,
        late_hours_after=0.0,
        saves=1.0,
        status=ProposalStatus.PENDING,
    )

    response = login(sergey).get("/planning/at-risk/")
    assert response.status_code == 200
    html = response.content.decode()
    shown = re.findall(r'data-testid="risk-row" data-task="(\d+)"', html)
    assert shown == [str(t.pk) for t in (moved, late[1], late[0], handed)]
    assert f'data-task="{idle.pk}"' not in html
    assert html.count('data-testid="reassignment"') == 1
