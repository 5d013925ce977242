from __future__ import annotations

from datetime import timedelta

from kabinet.planning.models import TaskForecast
from kabinet.work.models import Task


def test_a_pinned_task_keeps_its_start_while_other_work_flows_around_it(
    project, viktoria, make_task, plan, now
):
    wednesday_11 = now + timedelta(days=2, hours=2)
    urgent = [
        make_task(f"Срочно {i}", assignee=viktoria, hours=4, due=now + timedelta(hours=4 + i))
        for i in range(4)
    ]
    pinned = make_task(
        "Созвон с клиентом по семантике",
        assignee=viktoria,
        hours=1,
        due=now + timedelta(days=10),
        pinned=True,
        pinned_start=wednesday_11,
    )

    plan()

    fc = TaskForecast.objects.get(task=pinned)
    assert fc.predicted_start == wednesday_11
    assert fc.predicted_finish == wednesday_11 + timedelta(hours=1)
    others = TaskForecast.objects.filter(task__in=urgent)
    for other in others:  # nothing else is planned on top of the pinned hour
        for a, b in other.details["segments"]:
            assert (
                b <= wednesday_11.isoformat()
                or a >= (wednesday_11 + timedelta(hours=1)).isoformat()
            )


def test_pinning_from_the_queue_keeps_the_task_where_the_plan_had_it(
    project, viktoria, make_task, plan, now, login
):
    tasks = [
        make_task(f"Статья {i}", assignee=viktoria, hours=3, due=now + timedelta(days=1 + i))
        for i in range(3)
    ]
    plan()
    third = TaskForecast.objects.get(task=tasks[2])
    start = third.predicted_start

    response = login(viktoria).post(f"/planning/tasks/{tasks[2].pk}/pin/", {"pinned": "1"})
    assert response.status_code == 302
    task = Task.objects.get(pk=tasks[2].pk)
    assert task.pinned and task.pinned_start == start
    assert task.changes.filter(field="pinned", actor=viktoria).exists()

    # A new urgent task arrives; the pinned one does not move.
    make_task("Срочная правка", assignee=viktoria, hours=6, due=now + timedelta(hours=6))
    plan()
    assert TaskForecast.objects.get(task=tasks[2]).predicted_start == start
