from __future__ import annotations

from datetime import timedelta

from kabinet.planning.models import TaskForecast
from kabinet.promises.models import Promise


def test_a_task_with_a_promise_outranks_an_otherwise_equal_task(
    project, viktoria, sergey, make_task, plan, now
):
    # Both due at noon on Monday, 3 hours each: only one of them can be on time.
    due = now + timedelta(hours=3)
    plain = make_task("Собрать семантику (без обещания)", assignee=viktoria, hours=3, due=due)
    promised = make_task("Собрать семантику (обещано клиенту)", assignee=viktoria, hours=3, due=due)
    Promise.objects.create(
        agency=project.agency,
        project=project,
        promised_by=sergey,
        what="Семантика к понедельнику",
        due_at=due,
        original_due_at=due,
        task=promised,
    )

    plan()

    first = TaskForecast.objects.get(task=promised)
    second = TaskForecast.objects.get(task=plain)
    assert first.weight > second.weight
    assert first.rank == 1 and second.rank == 2
    assert first.late_hours == 0
    assert second.late_hours > 0
