"""The client's home (and her manager's view of it) stays within the chronology page's query
budget (issue 11), and its query count does not grow with the project's events, plan lines,
waiting items, KPIs or points."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kabinet.core.scoping import viewer_for
from kabinet.health import services
from kabinet.health.models import Aggregation, Direction, Period, PlanItem
from kabinet.health.understanding import take_snapshots
from kabinet.questions import services as questions
from kabinet.timeline.models import Decision, Kind, Visibility
from kabinet.timeline.services import record_event
from kabinet.work.models import Task

MSK = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=MSK)
KINDS = (Kind.WORK_DONE, Kind.REPORT, Kind.MILESTONE, Kind.MESSAGE)


def grow(project, marina, sergey, viktoria, n: int, start: int = 0) -> None:
    """n more of everything the home and the chronology read, in the last few months."""
    for i in range(start, start + n):
        when = NOW - timedelta(days=i % 150, hours=i % 7 + 1)
        record_event(
            project=project,
            kind=KINDS[i % 4],
            title=f"Событие {i}",
            author=viktoria,
            occurred_at=when,
        )
        record_event(
            project=project,
            kind=Kind.MESSAGE,
            title=f"Внутреннее {i}",
            author=sergey,
            visibility=Visibility.INTERNAL,
            occurred_at=when,
        )
        record_event(
            project=project,
            kind=Kind.RECOMMENDATION,
            title=f"Рекомендация {i}",
            author=viktoria,
            decision=Decision.PENDING,
            occurred_at=when,
        )
        plan = record_event(
            project=project,
            kind=Kind.PLAN,
            title=f"План {i}",
            author=sergey,
            period_start=date(2026, 12, 1),
            period_end=date(2026, 12, 31),
        )
        for visibility in ("client", "internal"):
            task = Task.objects.create(
                agency=project.agency,
                project=project,
                title=f"Задача {i} {visibility}",
                status=Task.Status.WAITING_CLIENT,
                visibility=visibility,
            )
            PlanItem.objects.create(
                agency=project.agency, project=project, plan=plan, title=f"Пункт {i}", task=task
            )
        thread = questions.ask(
            viewer=viewer_for(marina),
            project=project,
            subject=f"Вопрос {i}",
            body="Почему упали визиты?",
            at=when,
        )
        questions.reply(viewer=viewer_for(sergey), thread=thread, body="Сезонность.")
        metric = services.create_metric(
            viewer=viewer_for(sergey),
            project=project,
            key=f"kpi_{i}",
            name=f"KPI {i}",
            unit="шт.",
            direction=Direction.HIGHER,
            period=Period.DAY,
            aggregation=(Aggregation.SUM, Aggregation.AVERAGE, Aggregation.LAST)[i % 3],
        )
        services.write_points(
            project=project,
            points=[
                services.PointIn(metric.key, date(2025, 11, 1) + timedelta(days=d), Decimal(d))
                for d in range(0, 380, 1 + i % 3)
            ],
            source="manual",
        )
        services.set_forecast(
            viewer=viewer_for(sergey),
            metric=metric,
            low=Decimal(100),
            high=Decimal(200),
            by_date=date(2027, 2, 28),
        )
        services.set_expectation(
            viewer=viewer_for(marina),
            metric=metric,
            target=Decimal(500),
            by_date=date(2027, 2, 28),
        )


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.fixture(params=["marina", "sergey"])
def browser(request, project, marina, sergey, viktoria, login):
    """The client (and her account manager, whose home shows more) on a project with a bit of
    everything, a visit three days ago (so that the home has new items to count) and the daily
    understanding index."""
    person = {"marina": marina, "sergey": sergey}[request.param]
    with time_machine.travel(NOW - timedelta(days=3), tick=False):
        services.note_visit(viewer=viewer_for(person), project=project)
    with time_machine.travel(NOW - timedelta(hours=1), tick=False):
        grow(project, marina, sergey, viktoria, 2)
        take_snapshots(project.agency, alarms=False)  # the manager's home shows the index
    return login(person)


@time_machine.travel(NOW, tick=False)
def test_the_home_runs_no_more_queries_than_the_chronology_page(browser, project):
    home, chronology = f"/projects/{project.pk}/overview/", f"/projects/{project.pk}/"
    browser.get(home)
    browser.get(chronology)  # the session is settled before we count

    assert queries(browser, home) <= queries(browser, chronology)


def counts(client, url: str) -> tuple[int, int]:
    """The queries of a visit with the KPI cards to render, and of one that finds them rendered."""
    cache.clear()
    return queries(client, url), queries(client, url)


def test_the_homes_query_count_does_not_grow_with_the_project(
    browser, project, marina, sergey, viktoria
):
    home, chronology = f"/projects/{project.pk}/overview/", f"/projects/{project.pk}/"
    with time_machine.travel(NOW, tick=False):
        browser.get(home)
        small = counts(browser, home)
        response = browser.get(home)
    assert len(response.context["home"].cards) == 2 and len(response.context["home"].waiting) > 2

    with time_machine.travel(NOW - timedelta(hours=1), tick=False):
        grow(project, marina, sergey, viktoria, 12, start=2)
    with time_machine.travel(NOW, tick=False):
        big = counts(browser, home)
        response = browser.get(home)
        budget = queries(browser, chronology)

    home_data = response.context["home"]
    assert len(home_data.cards) == 14 and len(home_data.plan_lines) == 2
    assert home_data.new_count > len(home_data.new_items) == 8
    assert big == small
    assert max(big) <= budget
