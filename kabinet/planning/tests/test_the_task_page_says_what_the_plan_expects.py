"""The task page tells staff what the last plan expects of the task — its place in the person's
queue, the predicted finish, late by how much and why — so a specialist looking at one task
need not find it in her queue; the client's view of the task shows none of it."""

from __future__ import annotations

from datetime import timedelta

import time_machine


def test_a_late_task_shows_its_queue_place_finish_and_lateness(
    project, viktoria, sergey, marina, make_task, plan, now, login
):
    late = make_task(
        "Собрать семантику",
        assignee=viktoria,
        hours=12,
        due=now + timedelta(hours=4),
        visibility="client",
    )
    plan()

    with time_machine.travel(now, tick=False):
        staff = login(viktoria)
        staff.post("/language/", {"language": "en"})
        html = staff.get(f"/tasks/{late.pk}/").content.decode()
        client_html = login(marina).get(f"/tasks/{late.pk}/").content.decode()

    panel = html.split('data-testid="task-forecast"', 1)[1].split("</section>", 1)[0]
    assert "#1 in Виктория Лебедева" in panel
    assert 'data-testid="forecast-late"' in panel and "late by" in panel
    assert "the deadline" in panel or "deadline" in panel  # the one-line reason
    assert 'data-testid="task-forecast"' not in client_html
    assert "/planning/at-risk/" not in panel  # a specialist has no at-risk board
    with time_machine.travel(now, tick=False):
        manager_html = login(sergey).get(f"/tasks/{late.pk}/").content.decode()
    assert "/planning/at-risk/" in manager_html.split('data-testid="task-forecast"', 1)[1]


def test_an_on_time_task_says_so_and_a_closed_task_has_no_panel(
    project, viktoria, sergey, make_task, plan, now, login
):
    easy = make_task("Проверка позиций", assignee=viktoria, hours=1, due=now + timedelta(days=5))
    done = make_task("Старая задача", assignee=viktoria, hours=1, due=now + timedelta(days=5))
    plan()
    from kabinet.work.services import complete_task

    complete_task(viewer=sergey, task=done)

    with time_machine.travel(now, tick=False):
        client = login(sergey)
        on_time = client.get(f"/tasks/{easy.pk}/").content.decode()
        closed = client.get(f"/tasks/{done.pk}/").content.decode()

    assert 'data-testid="forecast-on-time"' in on_time
    assert 'data-testid="task-forecast"' not in closed
