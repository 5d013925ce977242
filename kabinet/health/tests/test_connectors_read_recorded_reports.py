"""Each connector reads its API's recorded report into KPI points, asking for the right days."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import parse_qs

from kabinet.health import services
from kabinet.health.models import Connection


def test_yandex_metrica_report_fills_the_mapped_kpis(replay, connect, stored, pull_at):
    connection = connect("yandex_metrica")
    replay.add(200, "metrica_report.json")
    outcome = services.sync_connection(connection=connection, now=pull_at)
    assert outcome.ok, outcome.error
    assert outcome.result.created == 14
    assert stored("organic_sessions")[date(2026, 11, 24)] == Decimal("812")
    assert stored("users")[date(2026, 11, 30)] == Decimal("391")
    request = replay.requests[0]
    query = parse_qs(request.url.query.decode())
    assert request.url.path == "/stat/v1/data"
    assert request.headers["Authorization"] == "OAuth y0_AgAAAAB-recorded-token-7f3a"
    assert query["ids"] == ["44147844"]
    assert query["metrics"] == ["ym:s:visits,ym:s:users"]
    assert query["filters"] == ["ym:s:lastTrafficSource=='organic'"]
    assert (query["date1"], query["date2"]) == (["2026-11-24"], ["2026-11-30"])


def test_yandex_direct_tsv_report_fills_clicks_spend_and_conversions(
    replay, connect, stored, pull_at
):
    connection = connect("yandex_direct")
    replay.add(200, "direct_report.tsv")
    assert services.sync_connection(connection=connection, now=pull_at).ok
    assert stored("spend")[date(2026, 11, 24)] == Decimal("4512.30")
    assert stored("clicks")[date(2026, 11, 27)] == Decimal("152")
    assert stored("conversions")[date(2026, 11, 29)] == Decimal("0")  # Direct writes "--"
    request = replay.requests[0]
    body = replay.json_bodies()[0]["params"]
    assert request.headers["Client-Login"] == "technodom-direct"
    assert request.headers["returnMoneyInMicros"] == "false"
    assert body["FieldNames"] == ["Date", "Clicks", "Conversions", "Cost"]  # by KPI key
    assert body["SelectionCriteria"] == {"DateFrom": "2026-11-24", "DateTo": "2026-11-30"}
    assert body["Format"] == "TSV"


def test_ga4_run_report_fills_sessions_and_conversions(replay, connect, stored, pull_at):
    connection = connect("ga4")
    replay.add(200, "ga4_report.json")
    assert services.sync_connection(connection=connection, now=pull_at).ok
    assert stored("organic_sessions")[date(2026, 11, 26)] == Decimal("1530")
    assert stored("conversions")[date(2026, 11, 30)] == Decimal("10")
    request = replay.requests[0]
    assert request.url.path == "/v1beta/properties/312345678:runReport"
    body = replay.json_bodies()[0]
    assert {m["name"] for m in body["metrics"]} == {"sessions", "conversions"}
    assert body["dateRanges"] == [{"startDate": "2026-11-24", "endDate": "2026-11-30"}]


def test_google_ads_search_fills_clicks_and_spend_from_micros(
    replay, connect, stored, pull_at, settings
):
    settings.KABINET_GOOGLE_ADS_DEVELOPER_TOKEN = "dev-token-recorded"
    connection = connect("google_ads", manager_account="111-222-3333")
    replay.add(200, "ads_search.json")
    assert services.sync_connection(connection=connection, now=pull_at).ok
    assert stored("spend")[date(2026, 11, 24)] == Decimal("3105.12")
    assert stored("clicks")[date(2026, 11, 30)] == Decimal("40")
    request = replay.requests[0]
    assert request.url.path.endswith("/customers/1234567890/googleAds:search")
    assert request.headers["developer-token"] == "dev-token-recorded"
    assert request.headers["login-customer-id"] == "1112223333"
    query = replay.json_bodies()[0]["query"]
    assert "FROM customer" in query
    assert "segments.date BETWEEN '2026-11-24' AND '2026-11-30'" in query


def test_a_successful_pull_records_the_state_and_the_next_pull(replay, connect, pull_at):
    connection = connect("ga4")
    replay.add(200, "ga4_report.json")
    services.sync_connection(connection=connection, now=pull_at)
    connection.refresh_from_db()
    assert connection.state == Connection.State.OK
    assert connection.last_success_at == pull_at
    assert connection.next_retry_at == pull_at + services.SYNC_EVERY
    assert connection.last_error == ""
