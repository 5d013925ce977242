"""The home's KPI cards are rendered once and kept: a second visit reads no points. Whatever the
cards show — a new value, a new forecast, the work marked on the charts, the metric's name, the
reader's language — shows on the very next visit."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kabinet.core.scoping import viewer_for
from kabinet.health import services
from kabinet.timeline.models import Kind
from kabinet.timeline.services import record_event

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Europe/Moscow"))


@pytest.fixture
def home(project, marina, sessions, daily, login):
    """Marina's home with six months of daily sessions, visited once (the cards are rendered)."""
    with time_machine.travel(NOW, tick=False):
        daily(sessions, date(2026, 5, 1), [1000] * 203)  # May 1 – Nov 19
    client = login(marina)
    url = f"/projects/{project.pk}/overview/"

    def visit() -> tuple[str, list[str]]:
        with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return response.content.decode(), [q["sql"] for q in ctx.captured_queries]

    visit()
    return visit


def _cards(html: str) -> str:
    """The KPI cards and their charts' data, as the page shows them."""
    start = html.index('data-testid="kpi-card"')
    return html[start : html.index("</script>", html.index('id="kpi-charts"'))]


def _reads_points(sql: list[str]) -> bool:
    return any("health_point" in statement for statement in sql)


def test_a_second_visit_reads_no_points_and_shows_the_same_cards(home):
    first, _ = home()
    second, sql = home()

    assert "Визиты из поиска" in _cards(second)
    assert not _reads_points(sql)
    assert _cards(first) == _cards(second)


def test_a_new_value_shows_on_the_next_visit(home, sessions, daily):
    before, _ = home()
    with time_machine.travel(NOW, tick=False):
        daily(sessions, date(2026, 11, 19), [987654])  # the month so far changes

    after, sql = home()

    # Nov 1-18 at 1,000 a day and 987,654 on the 19th: the month so far in the chart's data.
    assert "1005654" not in _cards(before) and "1005654" in _cards(after)
    assert _reads_points(sql)


def test_a_new_forecast_shows_on_the_next_visit(home, sessions, sergey):
    with time_machine.travel(NOW, tick=False):
        services.set_forecast(
            viewer=viewer_for(sergey),
            metric=sessions,
            low=Decimal(45000),
            high=Decimal(50000),
            by_date=date(2027, 2, 28),
        )

    after, _ = home()

    assert 'class="swatch swatch-forecast"' in _cards(after) and '"low": 45000' in _cards(after)


def test_work_marked_on_the_charts_shows_on_the_next_visit(home, project, viktoria):
    with time_machine.travel(NOW, tick=False):
        record_event(
            project=project,
            kind=Kind.WORK_DONE,
            title="Исправлены дубли страниц",
            author=viktoria,
            occurred_at=NOW - timedelta(days=2),
        )

    after, _ = home()

    assert 'data-testid="chart-annotations"' in after
    assert "Исправлены дубли страниц" in after.split('data-testid="chart-annotations"')[1]


def test_a_renamed_metric_and_another_language_show_on_the_next_visit(home, sessions, marina):
    sessions.name = "Органический трафик"
    sessions.save(update_fields=["name"])
    renamed, _ = home()

    marina.language = "en"
    marina.save(update_fields=["language"])
    english, _ = home()

    assert "Органический трафик" in _cards(renamed) and "Визиты из поиска" not in _cards(renamed)
    assert "vs the month before" in _cards(english)
    assert "vs the month before" not in _cards(renamed)
