from __future__ import annotations

from datetime import timedelta

from kabinet.planning.models import TaskForecast
from kabinet.promises.models import Promise
from kabinet.work.services import change_task


def test_the_reason_names_the_promise_and_the_boost_that_decided(
    project, viktoria, sergey, make_task, plan, now
):
    promised = make_task(
        "Отчёт по позициям", assignee=viktoria, hours=2, due=now + timedelta(days=20)
    )
    Promise.objects.create(
        agency=project.agency,
        project=project,
        promised_by=sergey,
        what="Отчёт по позициям",
        due_at=now + timedelta(days=20),
        original_due_at=now + timedelta(days=20),
        task=promised,
    )
    boosted = make_task("Правка title", assignee=viktoria, hours=1, due=now + timedelta(days=20))
    change_task(viewer=sergey, task=boosted, priority_boost=3)
    plain = make_task("Внутренняя уборка", assignee=viktoria, hours=1)

    plan()

    fc = TaskForecast.objects.get(task=promised)
    assert fc.details["decisive"][0] == "promise"
    assert "обещание клиенту" in fc.details["one_line"]["ru"]
    assert "promise to the client" in fc.details["one_line"]["en"]
    assert "boost" not in fc.details["decisive"]  # a factor that is zero never "decides"

    fb = TaskForecast.objects.get(task=boosted)
    assert "boost" in fb.details["decisive"]
    assert "raised it" in fb.details["one_line"]["en"]
    assert "promise" not in fb.details["decisive"]

    # The client's health is unknown (neutral for everyone): it never decides and is never named.
    for forecast in TaskForecast.objects.all():
        assert "health" not in forecast.details["decisive"]
        assert "индекс понимания" not in forecast.details["one_line"]["ru"]

    fp = TaskForecast.objects.get(task=plain)
    assert "promise" not in fp.details["decisive"] and "boost" not in fp.details["decisive"]
    # The detail lists every factor with its normalised value and contribution.
    names = {name for name, _v, _c in fp.details["factors"]}
    assert {"deadline", "promise", "tier", "budget", "health", "boost", "age"} <= names


def test_the_queue_shows_the_reason_in_one_line_and_in_detail(
    project, viktoria, sergey, make_task, plan, now, login
):
    task = make_task("Отчёт по позициям", assignee=viktoria, hours=2, due=now + timedelta(hours=3))
    Promise.objects.create(
        agency=project.agency,
        project=project,
        promised_by=sergey,
        what="Отчёт",
        due_at=now + timedelta(days=1),
        original_due_at=now + timedelta(days=1),
        task=task,
    )
    plan()

    page = login(viktoria).get("/planning/queue/").content.decode()
    assert "Отчёт по позициям" in page
    assert "от задачи зависит обещание клиенту" in page
    assert "Обещание клиенту привязано" in page or "A promise to the client is attached" in page
