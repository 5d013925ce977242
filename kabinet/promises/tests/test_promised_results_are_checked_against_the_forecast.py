"""A promised result the detector finds («выведем трафик из поиска до 40 000 визитов к концу
марта») is compared with the agency's forecast of that KPI, and the manager sees "outside the
forecast range" with the forecast on the expectation risk."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kabinet.health import services as health
from kabinet.health.models import Direction
from kabinet.promises.models import PromiseProposal, ProposalKind


@pytest.fixture
def sessions(project, sergey, as_viewer):
    metric = health.create_metric(
        viewer=as_viewer(sergey),
        project=project,
        key="organic_sessions",
        name="Визиты из поиска",
        unit="визиты",
        direction=Direction.HIGHER,
    )
    health.set_forecast(
        viewer=as_viewer(sergey),
        metric=metric,
        low=Decimal(20000),
        high=Decimal(25000),
        by_date=date(2027, 3, 31),
    )
    return metric


def test_a_promise_beyond_the_forecast_is_marked_outside_with_the_forecast(
    wednesday, write, project, viktoria, sergey, sessions, login
):
    write(project, viktoria, "К концу марта выведем трафик из поиска до 40 000 визитов.")
    risk = PromiseProposal.objects.get(kind=ProposalKind.OUTCOME)
    assert risk.forecast_check["outside"] is True and risk.forecast_check["beyond"] is True
    assert risk.forecast_check["target"] == "40000"
    page = login(sergey).get(f"/projects/{project.pk}/").content.decode().replace("\xa0", " ")
    assert 'data-outside="yes"' in page
    assert "Вне диапазона прогноза" in page
    assert "20 000 – 25 000" in page


def test_a_promise_within_the_forecast_is_marked_within(
    wednesday, write, project, viktoria, sergey, sessions
):
    write(project, viktoria, "К концу марта выведем трафик из поиска до 22 000 визитов.")
    risk = PromiseProposal.objects.get(kind=ProposalKind.OUTCOME)
    assert risk.forecast_check["outside"] is False


def test_a_promise_naming_no_kpi_with_a_forecast_is_left_unchecked(
    wednesday, write, project, viktoria, sessions
):
    write(project, viktoria, "К концу квартала выведем 20 запросов в топ-10.")
    risk = PromiseProposal.objects.get(kind=ProposalKind.OUTCOME)
    assert risk.forecast_check == {}


def test_the_figure_is_read_from_the_words():
    from kabinet.health.outcomes import target_in

    assert target_in("до 40 000 визитов к марту 2027") == Decimal(40000)
    assert target_in("40,000 visits by March") == Decimal(40000)
    assert target_in("40 тыс. визитов") == Decimal(40000)
    assert target_in("на 30 % больше заявок") is None
