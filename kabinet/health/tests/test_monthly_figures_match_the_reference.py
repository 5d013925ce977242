from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from kabinet.health import selectors, services
from kabinet.health.models import Aggregation
from kabinet.lib import kpi


@pytest.mark.parametrize("aggregation", [Aggregation.SUM, Aggregation.AVERAGE, Aggregation.LAST])
def test_the_databases_monthly_figures_match_the_pure_reference(
    project, sergey, as_viewer, aggregation
):
    metric = services.create_metric(
        viewer=as_viewer(sergey),
        project=project,
        key="k",
        name="K",
        aggregation=aggregation,
        decimals=2,
    )
    start = date(2026, 1, 20)
    values = [
        (start + timedelta(days=3 * i), Decimal(str(round(10 + (i * 7) % 13 + i / 4, 2))))
        for i in range(40)
    ]
    services.write_points(
        project=project, points=[services.PointIn("k", d, v) for d, v in values], source="manual"
    )

    figures = selectors.monthly_figures([metric], date(2026, 1, 1), date(2026, 12, 31))[metric.pk]

    reference = kpi.monthly_figures([(d, float(v)) for d, v in values], aggregation)
    assert figures.keys() == reference.keys()
    for month, value in reference.items():
        assert figures[month] == pytest.approx(value)
