"""Pulling the same days again (every pull re-reads the last week) changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kabinet.health import services
from kabinet.health.models import Point

REPORTS = {
    "yandex_metrica": "metrica_report.json",
    "yandex_direct": "direct_report.tsv",
    "ga4": "ga4_report.json",
    "google_ads": "ads_search.json",
}


@pytest.mark.parametrize("kind", sorted(REPORTS))
def test_the_second_pull_finds_every_value_unchanged(replay, connect, pull_at, kind):
    connection = connect(kind)
    replay.add(200, REPORTS[kind]).add(200, REPORTS[kind])
    first = services.sync_connection(connection=connection, now=pull_at)
    rows = list(Point.objects.order_by("pk").values_list("pk", "date", "value", "recorded_at"))
    second = services.sync_connection(connection=connection, now=pull_at + timedelta(hours=6))
    assert first.result.created > 0
    assert (second.result.created, second.result.updated) == (0, 0)
    assert second.result.unchanged == first.result.created
    assert (
        list(Point.objects.order_by("pk").values_list("pk", "date", "value", "recorded_at")) == rows
    )
