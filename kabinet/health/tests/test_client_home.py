from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from kabinet.health import services
from kabinet.health.models import PlanItem
from kabinet.timeline.models import Decision, Event, Kind, Visibility
from kabinet.timeline.services import record_event
from kabinet.work.models import Task

MSK = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=MSK)


@pytest.fixture
def month(project, sergey, viktoria, marina, sessions, daily, as_viewer):
    """Marina's project in November 2026: work done, next month's plan with tasks, a pending
    recommendation, an internal note, and six months of sessions with a forecast."""
    with time_machine.travel(NOW, tick=False):
        record_event(
            project=project,
            kind=Kind.WORK_DONE,
            title="Исправлены дубли страниц",
            author=viktoria,
            occurred_at=NOW - timedelta(days=5),
        )
        record_event(
            project=project,
            kind=Kind.WORK_DONE,
            title="Старая работа",
            author=viktoria,
            occurred_at=datetime(2026, 9, 10, 12, tzinfo=MSK),
        )
        record_event(
            project=project,
            kind=Kind.MESSAGE,
            title="Внутреннее: проверить бюджет",
            author=sergey,
            visibility=Visibility.INTERNAL,
            occurred_at=NOW - timedelta(days=1),
        )
        record_event(
            project=project,
            kind=Kind.RECOMMENDATION,
            title="ТЗ: перелинковка",
            author=viktoria,
            decision=Decision.PENDING,
            occurred_at=NOW - timedelta(days=6),
        )
        plan = record_event(
            project=project,
            kind=Kind.PLAN,
            title="План на декабрь",
            author=sergey,
            period_start=date(2026, 12, 1),
            period_end=date(2026, 12, 31),
        )
        done = Task.objects.create(
            agency=project.agency,
            project=project,
            title="Перелинковка карточек",
            status=Task.Status.IN_PROGRESS,
            visibility="client",
        )
        secret = Task.objects.create(
            agency=project.agency,
            project=project,
            title="Секретная внутренняя задача",
            status=Task.Status.TODO,
            visibility="internal",
        )
        PlanItem.objects.create(
            agency=project.agency, project=project, plan=plan, title="Перелинковка", task=done
        )
        PlanItem.objects.create(
            agency=project.agency, project=project, plan=plan, title="Аудит", task=secret
        )
        daily(sessions, date(2026, 5, 1), [1000 + i for i in range(203)])  # May 1 – Nov 19
        services.set_forecast(
            viewer=as_viewer(sergey),
            metric=sessions,
            low=Decimal(45000),
            high=Decimal(50000),
            by_date=date(2027, 2, 28),
        )
    return plan


def test_a_client_lands_on_her_project_home_after_logging_in(project, marina, client):
    from kabinet.core.testing import PASSWORD

    response = client.post("/login/", {"username": marina.email, "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == f"/projects/{project.pk}/overview/"
    assert response.status_code == 200


def test_staff_still_land_on_their_project_list(project, sergey, client):
    from kabinet.core.testing import PASSWORD

    response = client.post("/login/", {"username": sergey.email, "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == "/projects/"


def test_a_client_with_several_projects_gets_a_short_list(project, company, marina, login):
    from kabinet.core.testing import make_project

    second = make_project(company, "Контекст")

    response = login(marina).get("/home/")

    assert response.status_code == 200
    assert {row["project"] for row in response.context["rows"]} == {second, project}


@time_machine.travel(NOW, tick=False)
def test_the_home_shows_this_months_work_the_plan_with_task_states_and_what_waits(
    month, project, marina, login
):
    response = login(marina).get(f"/projects/{project.pk}/overview/")

    home = response.context["home"]
    assert [e.title for e in home.done] == ["Исправлены дубли страниц"]
    assert home.plan == month and home.plan_is_next_month
    assert [(line.title, line.state) for line in home.plan_lines] == [
        ("Перелинковка", "in_progress"),
        ("Аудит", None),
    ]
    assert [(w.kind, w.title, w.days) for w in home.waiting] == [
        ("recommendation", "ТЗ: перелинковка", 6)
    ]
    html = response.content.decode()
    assert "Секретная внутренняя задача" not in html and "Внутреннее: проверить бюджет" not in html
    assert "ждёт 6 дней" in html


@time_machine.travel(NOW, tick=False)
def test_the_kpi_card_has_the_months_numbers_comparisons_and_the_work_on_its_chart(
    month, project, marina, login
):
    response = login(marina).get(f"/projects/{project.pk}/overview/")

    [card] = response.context["home"].cards
    assert card.last_value == sum(1000 + i for i in range(153, 184))  # October 1–31
    assert card.vs_last_month.other == sum(1000 + i for i in range(123, 153))  # September
    assert [a["title"] for a in card.annotations] == [
        "Старая работа",
        "ТЗ: перелинковка",
        "Исправлены дубли страниц",
    ]
    [chart] = response.context["charts"]["charts"]
    assert response.context["charts"]["annotations"] == card.annotations
    assert chart["forecast"]["low"] == 45000.0 and len(chart["labels"]) == len(chart["values"])
    html = response.content.decode()
    assert 'id="kpi-charts" type="application/json"' in html
    assert 'data-testid="kpi-table"' in html and "<script>" not in html


@time_machine.travel(NOW, tick=False)
def test_a_manager_sees_the_flag_on_the_home_but_the_client_does_not(
    month, project, marina, sergey, sessions, login, as_viewer
):
    services.set_expectation(
        viewer=as_viewer(marina), metric=sessions, target=Decimal(60000), by_date=date(2027, 2, 28)
    )

    staff = login(sergey).get(f"/projects/{project.pk}/overview/")
    client = login(marina).get(f"/projects/{project.pk}/overview/")

    assert [f.kind for f in staff.context["home"].flags] == ["expectation", "trend"]
    assert client.context["home"].flags == []
    assert "Поговорить сейчас" not in client.content.decode()


def test_new_since_the_last_visit_lists_only_what_came_after_it(project, marina, viktoria, login):
    browser = login(marina)
    home, seen = f"/projects/{project.pk}/overview/", f"/projects/{project.pk}/overview/seen/"
    with time_machine.travel(datetime(2026, 11, 1, 10, tzinfo=MSK), tick=False):
        browser.get(home)
        assert browser.post(seen).status_code == 204  # what the page does once loaded
    with time_machine.travel(datetime(2026, 11, 3, 10, tzinfo=MSK), tick=False):
        record_event(project=project, kind=Kind.WORK_DONE, title="Новая работа", author=viktoria)
    with time_machine.travel(datetime(2026, 11, 5, 10, tzinfo=MSK), tick=False):
        first = browser.get(home)
        browser.post(seen)
    with time_machine.travel(datetime(2026, 11, 5, 10, 10, tzinfo=MSK), tick=False):
        reload = browser.get(home)

    assert first.context["home"].previous_visit == datetime(2026, 11, 1, 10, tzinfo=MSK)
    assert [e.title for e in first.context["home"].new_items] == ["Новая работа"]
    assert [e.title for e in reload.context["home"].new_items] == ["Новая работа"]  # same sitting


def test_opening_the_health_pages_writes_nothing(project, sessions, marina, sergey, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pages = {
        marina: [f"/projects/{project.pk}/overview/", "/home/"],
        sergey: [
            f"/projects/{project.pk}/overview/",
            f"/projects/{project.pk}/kpis/",
            "/results/",
            "/projects/",
            f"/projects/{project.pk}/kpis/report-draft/",
            f"/projects/{project.pk}/kpis/{sessions.pk}/chart.svg",
        ],
    }
    for user, urls in pages.items():
        client = login(user)
        client.get("/projects/")  # the session is settled before we watch
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            assert response.status_code in (200, 302), url
            writes = [
                q["sql"]
                for q in ctx.captured_queries
                if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
            ]
            assert writes == [], (url, writes)


def test_another_companys_client_gets_404_on_the_home(project, oleg, login):
    assert login(oleg).get(f"/projects/{project.pk}/overview/").status_code == 404


def test_staff_add_a_plan_line_linked_to_a_task(month, project, sergey, login):
    task = Task.objects.get(title="Перелинковка карточек")
    with time_machine.travel(NOW, tick=False):
        response = login(sergey).post(
            f"/projects/{project.pk}/overview/plan-items/",
            {"title": "Новая строка", "task": task.pk},
        )

    assert response.status_code == 302
    assert PlanItem.objects.filter(plan=month, title="Новая строка", task=task).exists()


def test_a_client_cannot_add_plan_lines(month, project, marina, login):
    with time_machine.travel(NOW, tick=False):
        response = login(marina).post(
            f"/projects/{project.pk}/overview/plan-items/", {"title": "x"}
        )

    assert response.status_code == 404
    assert not Event.objects.filter(title="x").exists() and PlanItem.objects.count() == 2
