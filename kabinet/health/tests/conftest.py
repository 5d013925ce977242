"""Fixtures of the health tests: the project's KPIs and a viewer builder."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from kabinet.core.scoping import viewer_for
from kabinet.health import services
from kabinet.health.models import Aggregation, Direction, Metric, Period


@pytest.fixture
def as_viewer():
    return viewer_for


@pytest.fixture
def sessions(project, sergey):
    return services.create_metric(
        viewer=viewer_for(sergey),
        project=project,
        key="organic_sessions",
        name="Визиты из поиска",
        unit="визиты",
        direction=Direction.HIGHER,
        period=Period.DAY,
        aggregation=Aggregation.SUM,
    )


@pytest.fixture
def position(project, sergey):
    return services.create_metric(
        viewer=viewer_for(sergey),
        project=project,
        key="avg_position",
        name="Средняя позиция",
        unit="",
        direction=Direction.LOWER,
        period=Period.DAY,
        aggregation=Aggregation.AVERAGE,
        decimals=1,
    )


@pytest.fixture
def daily(project):
    """daily(metric, start, values): write one value per day from start."""

    def _write(metric: Metric, start: date, values: list[float]) -> None:
        services.write_points(
            project=project,
            points=[
                services.PointIn(metric.key, start + timedelta(days=i), Decimal(str(v)))
                for i, v in enumerate(values)
            ],
            source="manual",
        )

    return _write
