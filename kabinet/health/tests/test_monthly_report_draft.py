from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from kabinet.timeline.models import Kind, Visibility
from kabinet.timeline.services import record_event

MSK = ZoneInfo("Europe/Moscow")


@pytest.fixture
def october(project, sessions, viktoria, sergey, daily):
    daily(sessions, date(2025, 10, 1), [100] * 31)
    daily(sessions, date(2026, 9, 1), [100] * 30 + [110] * 31)  # September, October
    record_event(
        project=project,
        kind=Kind.WORK_DONE,
        title="Исправлены дубли",
        author=viktoria,
        occurred_at=datetime(2026, 10, 7, 12, tzinfo=MSK),
    )
    record_event(
        project=project,
        kind=Kind.WORK_DONE,
        title="Внутренняя правка",
        author=viktoria,
        visibility=Visibility.INTERNAL,
        occurred_at=datetime(2026, 10, 8, 12, tzinfo=MSK),
    )
    record_event(
        project=project,
        kind=Kind.WORK_DONE,
        title="Ноябрьская работа",
        author=viktoria,
        occurred_at=datetime(2026, 11, 2, 12, tzinfo=MSK),
    )


@time_machine.travel(datetime(2026, 11, 20, 12, tzinfo=MSK), tick=False)
def test_the_draft_has_the_months_kpi_table_chart_and_done_work(
    october, project, sessions, sergey, login
):
    response = login(sergey).get(f"/projects/{project.pk}/kpis/report-draft/?month=2026-10")

    text = response.content.decode().replace("\xa0", " ")
    assert "## Результаты: Октябрь 2026 г." in text
    assert "| Визиты из поиска, визиты | 3 410 | +13,7 % ▲ | +10,0 % ▲ | — |" in text
    assert (
        f"![Визиты из поиска](/projects/{project.pk}/kpis/{sessions.pk}/chart.svg?month=2026-10)"
        in text
    )
    assert "- 07.10.2026 — Исправлены дубли" in text
    assert "Внутренняя правка" not in text and "Ноябрьская работа" not in text


@time_machine.travel(datetime(2026, 11, 20, 12, tzinfo=MSK), tick=False)
def test_the_chart_image_is_an_svg_the_client_may_open_but_not_another_company(
    october, project, sessions, marina, oleg, login
):
    url = f"/projects/{project.pk}/kpis/{sessions.pk}/chart.svg?month=2026-10"

    response = login(marina).get(url)

    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    assert response.content.startswith(b"<svg") and b"polyline" in response.content
    assert login(oleg).get(url).status_code == 404


def test_the_draft_is_for_staff_only(project, marina, login):
    assert login(marina).get(f"/projects/{project.pk}/kpis/report-draft/").status_code == 404


def test_the_composer_offers_to_insert_the_month(project, sergey, login):
    html = login(sergey).get(f"/projects/{project.pk}/").content.decode()

    assert f'data-report-draft="/projects/{project.pk}/kpis/report-draft/"' in html
