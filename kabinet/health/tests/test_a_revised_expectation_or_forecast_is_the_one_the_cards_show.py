"""An expectation or a forecast revised is a new row; the KPI cards show the latest one, read with
the metric (the metric points at its current expectation and forecast), and the earlier rows stay
as the history of revisions — in this agency only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kabinet.core.testing import make_company, make_project
from kabinet.health import selectors, services
from kabinet.health.models import Expectation, Forecast, Metric


@pytest.fixture
def stranger_project(stranger_agency, stranger):
    return make_project(make_company(stranger_agency, "ТехноДом"), "SEO", manager=stranger)


def _card(viewer, project, metric):
    return next(c for c in selectors.cards(viewer, project) if c.metric.pk == metric.pk)


def test_the_latest_revision_is_current_and_the_first_stays_as_history(
    project, sessions, sergey, marina, as_viewer
):
    staff = as_viewer(sergey)
    services.set_forecast(
        viewer=staff, metric=sessions, low=Decimal(1), high=Decimal(2), by_date=date(2027, 3, 31)
    )
    services.set_expectation(
        viewer=as_viewer(marina), metric=sessions, target=Decimal(5), by_date=date(2027, 3, 31)
    )
    revised = services.set_forecast(
        viewer=staff, metric=sessions, low=Decimal(3), high=Decimal(6), by_date=date(2027, 6, 30)
    )

    card = _card(as_viewer(marina), project, sessions)
    assert (card.forecast.pk, card.forecast.low, card.forecast.high) == (
        revised.pk,
        Decimal(3),
        Decimal(6),
    )
    assert card.expectation.target == Decimal(5)
    assert card.expectation_check is not None  # checked against the revised range
    assert Forecast.objects.filter(metric=sessions).count() == 2
    assert Metric.objects.get(pk=sessions.pk).current_forecast_id == revised.pk


def test_a_metric_without_targets_shows_none(project, sessions, marina, as_viewer):
    card = _card(as_viewer(marina), project, sessions)
    assert card.expectation is None and card.forecast is None


def test_another_agencys_revision_leaves_this_metric_alone(
    project, sessions, sergey, stranger, stranger_project, as_viewer
):
    services.set_forecast(
        viewer=as_viewer(sergey),
        metric=sessions,
        low=Decimal(1),
        high=Decimal(2),
        by_date=date(2027, 3, 31),
    )
    theirs = services.create_metric(
        viewer=as_viewer(stranger), project=stranger_project, key="organic_sessions", name="Visits"
    )
    services.set_forecast(
        viewer=as_viewer(stranger),
        metric=theirs,
        low=Decimal(7),
        high=Decimal(9),
        by_date=date(2027, 3, 31),
    )
    ours = Metric.objects.get(pk=sessions.pk)
    assert ours.current_forecast.low == Decimal(1)
    assert not Expectation.objects.filter(metric=ours).exists()
