"""The at-risk page counts, from the stored plan, the open tasks predicted late, the close calls
(on time with under four hours to spare) and the tasks nobody is assigned to, each apart: a task
closed since the plan run is in none of the counts."""

from __future__ import annotations

import re


def test_late_close_calls_and_unassigned_are_counted_apart(login, sergey, viktoria, stored_plan):
    from kabinet.planning.models import TaskForecast
    from kabinet.work.models import Task

    stored_plan(viktoria, 0, 3, late_hours=2.0)  # late
    close = stored_plan(viktoria, 3, 5)  # on time ...
    TaskForecast.objects.filter(task__in=close).update(slack_hours=1.5)  # ... with little to spare
    stored_plan(viktoria, 5, 9)  # on time, plenty to spare
    nobody = stored_plan(None, 9, 10)
    TaskForecast.objects.filter(task__in=nobody).update(person=None)
    closed = stored_plan(viktoria, 10, 13, late_hours=2.0) + stored_plan(viktoria, 13, 14)
    TaskForecast.objects.filter(task__in=closed[-1:]).update(slack_hours=1.0)
    Task.objects.filter(pk__in=[t.pk for t in closed]).update(status=Task.Status.DONE)

    response = login(sergey).get("/planning/at-risk/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="late-count">3<' in html
    assert html.count('data-testid="risk-row"') == 3
    assert re.search(r'data-testid="close-calls"><summary>Под угрозой \(2\)</summary>', html)
    assert "Не запланированы: нет исполнителя (1)" in html
    assert "Задача 09" in html
