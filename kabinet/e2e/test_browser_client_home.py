"""Marina's home in a real browser: this month's work, a KPI chart annotated with the work, the
plan with its tasks' states and what waits for her — on a laptop and a phone, in Russian and
English; and a KPI file refused for one bad row, then imported and drawn."""

from __future__ import annotations

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from kabinet.core.scoping import viewer_for
from kabinet.health import services
from kabinet.health.models import Aggregation, Direction, PlanItem
from kabinet.lib import kpi
from kabinet.timeline.models import Decision, Kind
from kabinet.timeline.services import record_event
from kabinet.work.models import Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("KABINET_SCREENSHOTS")  # a folder: keep screenshots to look at


@pytest.fixture
def month(project, sergey, viktoria):
    now = timezone.now()
    today = timezone.localdate(now)
    record_event(
        project=project,
        kind=Kind.WORK_DONE,
        title="Исправлены дубли страниц каталога",
        author=viktoria,
        occurred_at=now - timedelta(minutes=5),
    )
    record_event(
        project=project,
        kind=Kind.WORK_DONE,
        title="Ускорена мобильная версия",
        author=viktoria,
        occurred_at=now - timedelta(days=40),
    )
    record_event(
        project=project,
        kind=Kind.RECOMMENDATION,
        title="ТЗ: перелинковка карточек",
        author=viktoria,
        decision=Decision.PENDING,
        occurred_at=now - timedelta(days=4, hours=1),
    )
    first, last = kpi.month_bounds(kpi.add_months(today, 1))
    plan = record_event(
        project=project,
        kind=Kind.PLAN,
        title="План работ на следующий месяц",
        author=sergey,
        period_start=first,
        period_end=last,
    )
    task = Task.objects.create(
        agency=project.agency,
        project=project,
        title="Перелинковка карточек",
        status=Task.Status.IN_PROGRESS,
        visibility="client",
        assignee=viktoria,
    )
    PlanItem.objects.create(
        agency=project.agency,
        project=project,
        plan=plan,
        title="Перелинковка карточек товаров",
        task=task,
    )
    metric = services.create_metric(
        viewer=viewer_for(sergey),
        project=project,
        key="organic_sessions",
        name="Визиты из поиска",
        unit="визиты",
        direction=Direction.HIGHER,
        aggregation=Aggregation.SUM,
    )
    start = today - timedelta(days=200)
    services.write_points(
        project=project,
        source="sample",
        points=[
            services.PointIn("organic_sessions", start + timedelta(days=i), Decimal(800 + 2 * i))
            for i in range(200)
        ],
    )
    services.set_forecast(
        viewer=viewer_for(sergey),
        metric=metric,
        low=Decimal(40000),
        high=Decimal(48000),
        by_date=kpi.month_bounds(kpi.add_months(today, 3))[1],
    )
    return plan


WORDS = {
    "ru": {"state": "В работе", "waited": "ждёт 4 дня", "plan": "План на следующий месяц"},
    "en": {"state": "In progress", "waited": "waiting 4 days", "plan": "Next month's plan"},
}


@pytest.mark.parametrize("width,height", [(1366, 900), (390, 844)], ids=["laptop", "phone"])
@pytest.mark.parametrize("language", ["ru", "en"])
def test_marina_lands_on_her_home_and_sees_the_month_at_a_glance(
    browser, live_server, browser_login, month, project, marina, width, height, language
):
    marina.language = language
    marina.save(update_fields=["language"])
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": height}
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        browser_login(page, marina)
        page.wait_for_url(f"**/projects/{project.pk}/overview/")
        words = WORDS[language]

        assert (
            page.locator("[data-testid=month-work]")
            .get_by_text("Исправлены дубли страниц каталога")
            .is_visible()
        )
        plan = page.locator("[data-testid=plan]")
        assert words["plan"] in plan.inner_text()
        assert plan.locator("[data-testid=plan-task-state]").inner_text() == words["state"]
        waiting = page.locator("[data-testid=waiting]")
        assert "ТЗ: перелинковка карточек" in waiting.inner_text()
        assert waiting.locator("[data-testid=waited]").inner_text() == words["waited"]

        page.wait_for_function(
            "() => window.Chart && Chart.getChart(document.querySelector('canvas[data-chart-index]'))"
        )
        work_marks = page.evaluate(
            "() => Object.keys(Chart.getChart(document.querySelector('canvas[data-chart-index]'))"
            ".options.plugins.annotation.annotations).filter(k => k.startsWith('work')).length"
        )
        assert work_marks >= 1
        assert page.locator("[data-testid=kpi-table] tbody tr").count() >= 6
        assert page.locator("[data-testid=team]").get_by_text("Сергей Соловьёв").is_visible()
        # Nothing of the home itself is wider than the screen (the top bar is the base template's).
        too_wide = page.evaluate(
            "() => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right >"
            " window.innerWidth + 1).map(e => e.tagName + '.' + e.className)"
        )
        assert too_wide == [], f"wider than {width}px: {too_wide}"
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SHOTS}/home-{language}-{width}.png", full_page=True)
    finally:
        context.close()


BAD = "Дата;Визиты из поиска\n01.11.2026;1200\n31.11.2026;1310\n03.11.2026;1280\n"
GOOD = "Дата;Визиты из поиска\n01.11.2026;1200\n02.11.2026;1310\n03.11.2026;1280\n"


def test_a_csv_with_one_bad_row_is_refused_then_the_good_one_is_drawn(
    page, browser_login, project, sergey, tmp_path
):
    services.create_metric(
        viewer=viewer_for(sergey),
        project=project,
        key="organic_sessions",
        name="Визиты из поиска",
        unit="визиты",
    )
    (tmp_path / "bad.csv").write_text(BAD, encoding="utf-8")
    (tmp_path / "good.csv").write_text(GOOD, encoding="utf-8")
    browser_login(page, sergey)

    page.goto(f"/projects/{project.pk}/kpis/")
    page.click("#upload summary")
    page.set_input_files("#upload input[type=file]", str(tmp_path / "bad.csv"))
    page.click("#upload button.primary")
    page.select_option("select[name=date_format]", "dmy_dot")
    page.click("form.card button.primary")
    refused = page.locator("[data-testid=import-refused]")
    assert refused.locator("[data-testid=bad-row]").count() == 1
    assert refused.locator("[data-testid=bad-row] td").first.inner_text() == "3"
    assert "31.11.2026" in refused.inner_text()

    page.goto(f"/projects/{project.pk}/kpis/")
    page.click("#upload summary")
    page.set_input_files("#upload input[type=file]", str(tmp_path / "good.csv"))
    page.click("#upload button.primary")
    page.select_option("select[name=date_format]", "dmy_dot")
    page.click("form.card button.primary")
    page.wait_for_url(f"**/projects/{project.pk}/kpis/")

    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.querySelector('canvas[data-chart-index]'))"
    )
    drawn = page.evaluate(
        "() => Chart.getChart(document.querySelector('canvas[data-chart-index]')).data.datasets"
        ".map(d => d.data.filter(v => v !== null)).flat()"
    )
    assert sum(drawn) == 1200 + 1310 + 1280
