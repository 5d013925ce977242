"""The at-risk board's figures in words (tasks late, client-visible, days of delay) and each row's
lateness are the engine's own: counted from the same plan, in the same calendar hours."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from kabinet.core.scoping import viewer_for
from kabinet.planning.models import TaskForecast
from kabinet.planning.selectors import risk_board


def test_the_summary_and_the_rows_are_the_plans_numbers(
    project, viktoria, head, make_task, plan, now, login
):
    for i in range(4):
        make_task(
            f"Задача {i}",
            assignee=viktoria,
            hours=7,
            due=now + timedelta(hours=9 + 24 * i),
            visibility="client" if i % 2 else "internal",
        )
    run = plan()
    late = list(TaskForecast.objects.filter(plan_run=run, late_hours__gt=0))
    assert run.late_count == len(late) >= 2

    board = risk_board(viewer_for(head))
    assert board.summary.late == run.late_count
    assert board.summary.client_visible == sum(fc.task.is_client_visible for fc in late)
    assert board.summary.days_total == pytest.approx(
        sum(fc.late_hours for fc in late) / 24, abs=0.05
    )
    assert board.total_weighted_lateness == pytest.approx(run.total_weighted_lateness, rel=1e-6)

    html = login(head).get("/planning/at-risk/").content.decode()
    summary = re.search(r'data-testid="summary">(.*?)</p>', html, re.S).group(1)
    assert f"опоздают {run.late_count} " in summary or f"опоздает {run.late_count} " in summary
    shown = {
        int(task): float(hours)
        for task, hours in re.findall(
            r'data-testid="risk-row" data-task="(\d+)">.*?data-hours="([\d.]+)"', html, re.S
        )
    }
    assert shown == pytest.approx({fc.task_id: fc.late_hours for fc in late})
