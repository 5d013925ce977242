"""Every page of a report is read: Metrica's offset/limit, GA4's offset/rowCount, Ads' pageToken."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import parse_qs

from kabinet.health import services
from kabinet.health.connectors import ga4, yandex_metrica

WEEK = {date(2026, 11, 24) + timedelta(days=i) for i in range(7)}


def test_metrica_asks_for_the_next_offset_until_total_rows(
    replay, connect, stored, pull_at, monkeypatch
):
    monkeypatch.setattr(yandex_metrica.YandexMetrica, "page_size", 4)
    connection = connect("yandex_metrica")
    replay.add(200, "metrica_page_1.json").add(200, "metrica_page_2.json")
    assert services.sync_connection(connection=connection, now=pull_at).ok
    offsets = [parse_qs(r.url.query.decode())["offset"] for r in replay.requests]
    assert offsets == [["1"], ["5"]]
    assert set(stored("organic_sessions")) == WEEK


def test_ga4_asks_for_the_next_offset_until_row_count(
    replay, connect, stored, pull_at, monkeypatch
):
    monkeypatch.setattr(ga4.GA4, "page_size", 4)
    connection = connect("ga4")
    replay.add(200, "ga4_page_1.json").add(200, "ga4_page_2.json")
    assert services.sync_connection(connection=connection, now=pull_at).ok
    assert [b["offset"] for b in replay.json_bodies()] == ["0", "4"]
    assert set(stored("conversions")) == WEEK


def test_google_ads_follows_next_page_token(replay, connect, stored, pull_at):
    connection = connect("google_ads")
    replay.add(200, "ads_page_1.json").add(200, "ads_page_2.json")
    assert services.sync_connection(connection=connection, now=pull_at).ok
    bodies = replay.json_bodies()
    assert "pageToken" not in bodies[0]
    assert bodies[1]["pageToken"].startswith("CPyBqoDxp5cD")
    assert bodies[0]["query"] == bodies[1]["query"]
    assert set(stored("clicks")) == WEEK


def test_an_error_on_a_later_page_writes_nothing_of_the_first(replay, connect, stored, pull_at):
    connection = connect("google_ads")
    replay.add(200, "ads_page_1.json").add(429, "ads_resource_exhausted.json")
    assert not services.sync_connection(connection=connection, now=pull_at).ok
    assert stored("clicks") == {}
