"""On the 2nd of a month nothing may be done yet: the client's home then shows last month's done
work under its own heading, not an empty card — and only while this month has none."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from kabinet.timeline.models import Kind, Visibility
from kabinet.timeline.services import record_event

MSK = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=MSK)


@pytest.fixture
def november(project, viktoria, sergey):
    with time_machine.travel(NOW, tick=False):
        record_event(
            project=project,
            kind=Kind.WORK_DONE,
            title="Исправлены дубли страниц",
            author=viktoria,
            occurred_at=datetime(2026, 11, 25, 12, tzinfo=MSK),
        )
        record_event(
            project=project,
            kind=Kind.WORK_DONE,
            title="Внутренняя проверка бюджета",
            author=sergey,
            visibility=Visibility.INTERNAL,
            occurred_at=datetime(2026, 11, 26, 12, tzinfo=MSK),
        )
        record_event(
            project=project,
            kind=Kind.WORK_DONE,
            title="Работа позапрошлого месяца",
            author=viktoria,
            occurred_at=datetime(2026, 10, 20, 12, tzinfo=MSK),
        )


@time_machine.travel(NOW, tick=False)
def test_with_nothing_done_this_month_the_home_lists_last_months_work(
    november, project, marina, login
):
    response = login(marina).get(f"/projects/{project.pk}/overview/")

    home = response.context["home"]
    assert home.done == []
    assert [e.title for e in home.done_last_month] == ["Исправлены дубли страниц"]
    card = response.content.decode().split('data-testid="month-work"', 1)[1].split("</section>")[0]
    heading = card.split('data-testid="done-last-month">', 1)[1].split("</h3>", 1)[0]
    assert "Ноябрь 2026" in heading
    assert "Исправлены дубли страниц" in card
    assert "Внутренняя проверка бюджета" not in card
    assert "Работа позапрошлого месяца" not in card


@time_machine.travel(NOW, tick=False)
def test_once_this_month_has_work_last_months_is_not_listed(
    november, project, viktoria, marina, login
):
    record_event(
        project=project,
        kind=Kind.WORK_DONE,
        title="Ускорена мобильная версия",
        author=viktoria,
        occurred_at=NOW - timedelta(hours=2),
    )

    response = login(marina).get(f"/projects/{project.pk}/overview/")

    home = response.context["home"]
    assert [e.title for e in home.done] == ["Ускорена мобильная версия"]
    card = response.content.decode().split('data-testid="month-work"', 1)[1].split("</section>")[0]
    assert "Ускорена мобильная версия" in card
    assert "Исправлены дубли страниц" not in card
    assert 'data-testid="done-last-month"' not in card
    assert home.month == date(2026, 12, 1)
