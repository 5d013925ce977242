"""Work done a day or two apart put its numbered marks on the KPI chart a few pixels apart: they
printed over each other ("2 23" read as one badge). Each shown number now has room of its own, on
a laptop and on a phone; a mark with no room keeps its line and its place in the list below."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from kabinet.core.scoping import viewer_for
from kabinet.health import services
from kabinet.health.models import Aggregation, Direction
from kabinet.timeline.models import Kind
from kabinet.timeline.services import record_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LABELS = """() => {
  const chart = Chart.getChart(document.querySelector('canvas[data-chart-index]'));
  return Chart.registry.getPlugin('annotation').getAnnotations(chart)
    .filter(a => a.elements && a.elements.length && a.elements[0].options.display)
    .map(a => { const l = a.elements[0]; return [l.x, l.y, l.x2, l.y2]; });
}"""


@pytest.fixture
def crowded(project, sergey, viktoria):
    now = timezone.now()
    today = timezone.localdate(now)
    services.create_metric(
        viewer=viewer_for(sergey),
        project=project,
        key="organic_sessions",
        name="Визиты из поиска",
        direction=Direction.HIGHER,
        aggregation=Aggregation.SUM,
    )
    start = today - timedelta(days=200)
    services.write_points(
        project=project,
        source="sample",
        points=[
            services.PointIn("organic_sessions", start + timedelta(days=i), Decimal(800 + i))
            for i in range(200)
        ],
    )
    for day in range(12):  # a piece of work every day for twelve days, a month ago
        record_event(
            project=project,
            kind=Kind.WORK_DONE,
            title=f"Работа {day + 1}",
            author=viktoria,
            occurred_at=now - timedelta(days=45 - day),
        )


def _overlapping(boxes: list[list[float]]) -> list[tuple]:
    return [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]


@pytest.mark.parametrize(
    "width,height,numbered",
    [(1366, 900, 6), (390, 844, 3)],  # a phone has room for a number per row only
    ids=["laptop", "phone"],
)
def test_no_two_numbers_on_a_chart_cover_each_other(
    browser, live_server, browser_login, crowded, project, marina, width, height, numbered
):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": height}
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        browser_login(page, marina)
        page.goto(f"/projects/{project.pk}/overview/")
        page.wait_for_function(
            "() => window.Chart && Chart.getChart(document.querySelector('canvas[data-chart-index]'))"
        )

        boxes = page.evaluate(LABELS)

        assert len(boxes) >= numbered
        assert _overlapping(boxes) == []
        assert page.locator("[data-testid=chart-annotations] li").count() == 12
    finally:
        context.close()
