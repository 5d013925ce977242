"""One objective everywhere: the lateness the at-risk page shows is the engine's own score,
in calendar hours (a weekend of waiting counts), and both add up from the predicted finishes."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from kabinet.core.scoping import viewer_for
from kabinet.planning.models import TaskForecast
from kabinet.planning.selectors import at_risk
from kabinet.work.models import Task


def test_the_at_risk_total_is_the_engines_score_in_calendar_hours(
    project, viktoria, sergey, make_task, plan, now, login
):
    friday_evening = now + timedelta(days=4, hours=9)  # Friday 18:00
    # a full week for Viktoria, and a report due on Friday that can only be done on Monday
    for i in range(5):
        make_task(
            f"Неделя, задача {i}", assignee=viktoria, hours=9, due=now + timedelta(days=i, hours=9)
        )
    make_task("Отчёт за месяц", assignee=viktoria, hours=3, due=friday_evening)

    run = plan()

    forecasts = list(TaskForecast.objects.filter(plan_run=run))
    due = dict(Task.objects.values_list("pk", "due_at"))
    for fc in forecasts:
        late = max(0.0, (fc.predicted_finish - due[fc.task_id]).total_seconds() / 3600.0)
        assert fc.late_hours == pytest.approx(late, abs=1e-3)
    # 48 hours of work due within the week: what spills over waits the weekend, and that
    # counts in calendar hours, not as the morning of working time it is
    assert max(fc.late_hours for fc in forecasts) > 48
    recomputed = sum(fc.weight * fc.late_hours for fc in forecasts)
    assert run.total_weighted_lateness == pytest.approx(recomputed, rel=1e-6, abs=1e-2)

    page_total = at_risk(viewer_for(sergey)).total_weighted_lateness
    assert page_total == pytest.approx(run.total_weighted_lateness, rel=1e-6, abs=1e-2)
    html = login(sergey).get("/planning/at-risk/").content.decode()
    shown = re.search(r'data-testid="total-lateness">([^<]+)<', html).group(1)
    assert float(shown.replace("\xa0", "").replace(" ", "").replace(",", ".")) == pytest.approx(
        run.total_weighted_lateness, abs=0.06
    )
