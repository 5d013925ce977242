from __future__ import annotations

from datetime import timedelta

from kabinet.planning.models import TaskForecast
from kabinet.work.models import Task


def test_a_managers_boost_moves_a_task_up_the_queue(
    project, viktoria, sergey, make_task, plan, now, login
):
    due = now + timedelta(hours=3)
    first = make_task("Первая", assignee=viktoria, hours=3, due=due)
    second = make_task("Вторая", assignee=viktoria, hours=3, due=due)
    plan()
    before = {f.task_id: f.rank for f in TaskForecast.objects.all()}
    target = second if before[second.pk] == 2 else first

    client = login(sergey)
    response = client.post(
        f"/planning/tasks/{target.pk}/boost/", {"boost": "3"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert Task.objects.get(pk=target.pk).priority_boost == 3
    assert 'id="queue"' in response.content.decode()
    assert 'data-testid="plan-coming"' in response.content.decode()  # the new order is on its way

    plan()  # what the background job does
    assert TaskForecast.objects.get(task=target).rank == 1


def test_a_bad_boost_is_refused_with_a_message(project, viktoria, sergey, make_task, login):
    task = make_task("Задача", assignee=viktoria, hours=1)
    response = login(sergey).post(
        f"/planning/tasks/{task.pk}/boost/", {"boost": "9"}, HTTP_HX_REQUEST="true"
    )
    assert "от 0 до 3" in response.content.decode()
    assert Task.objects.get(pk=task.pk).priority_boost == 0


def test_a_manager_opens_the_specialists_queue_in_computed_order(
    project, viktoria, sergey, make_task, plan, now, login
):
    late = make_task("Длинная срочная", assignee=viktoria, hours=5, due=now + timedelta(hours=5))
    calm = make_task("Спокойная", assignee=viktoria, hours=1, due=now + timedelta(days=10))
    plan()
    page = login(sergey).get(f"/planning/queue/?person={viktoria.pk}").content.decode()
    assert page.index("Длинная срочная") < page.index("Спокойная")
    assert late.title in page and calm.title in page
