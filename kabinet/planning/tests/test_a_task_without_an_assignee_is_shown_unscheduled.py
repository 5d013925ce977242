from __future__ import annotations

from datetime import timedelta

from kabinet.planning.models import TaskForecast


def test_unassigned_work_is_unscheduled_and_its_dependents_still_get_a_place(
    project, viktoria, sergey, make_task, plan, now, login
):
    nobody = make_task("Согласовать бюджет на ссылки", hours=2, due=now + timedelta(days=1))
    waiting = make_task(
        "Закупить ссылки",
        assignee=viktoria,
        hours=3,
        due=now + timedelta(days=3),
        blocked_by=[nobody],
    )

    plan()

    orphan = TaskForecast.objects.get(task=nobody)
    assert orphan.unscheduled and orphan.predicted_start is None and orphan.person is None
    dependent = TaskForecast.objects.get(task=waiting)
    assert not dependent.unscheduled and dependent.predicted_start is not None
    assert "blocked_by_unassigned" in dependent.details["notes"]

    page = login(sergey).get("/planning/at-risk/").content.decode()
    assert "Не запланированы: нет исполнителя" in page and "Согласовать бюджет на ссылки" in page
    queue = login(viktoria).get("/planning/queue/").content.decode()
    assert "Ждёт задачу, у которой нет исполнителя." in queue
