"""Quota and server errors are transient: the error is shown and the pull is tried again later,
each time after a longer wait (or the API's own retry delay when it is longer)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kabinet.core.models import Notification
from kabinet.health import services
from kabinet.health.models import Connection

RECORDED = [
    ("yandex_metrica", 429, "metrica_quota.json", "quota_requests_by_uid"),
    ("yandex_direct", 400, "direct_not_enough_units.json", "error 152"),
    ("yandex_direct", 400, "direct_too_many_requests.json", "error 506"),
    ("ga4", 429, "ga4_resource_exhausted.json", "RESOURCE_EXHAUSTED"),
    ("google_ads", 429, "ads_resource_exhausted.json", "RESOURCE_TEMPORARILY_EXHAUSTED"),
]


@pytest.mark.parametrize("kind,status,file,words", RECORDED)
def test_a_quota_error_is_recorded_and_retried_later(
    replay, connect, pull_at, kind, status, file, words
):
    connection = connect(kind)
    replay.add(status, file)
    outcome = services.sync_connection(connection=connection, now=pull_at)
    connection.refresh_from_db()
    assert not outcome.ok
    assert connection.state == Connection.State.ERROR
    assert words in connection.last_error
    assert connection.next_retry_at == pull_at + services.BACKOFF[0]
    assert connection not in services.due_connections(now=pull_at)
    assert connection in services.due_connections(now=connection.next_retry_at)
    assert not Notification.objects.filter(kind="kpi_source_token").exists()


def test_each_failure_in_a_row_waits_longer_and_a_success_resets(replay, connect, pull_at):
    connection = connect("ga4")
    waits = []
    now = pull_at
    for _ in range(3):
        replay.add(503, body=b'{"error": {"code": 503, "status": "UNAVAILABLE"}}')
        services.sync_connection(connection=connection, now=now)
        waits.append(connection.next_retry_at - now)
        now = connection.next_retry_at
    assert waits == list(services.BACKOFF[:3])
    replay.add(200, "ga4_report.json")
    services.sync_connection(connection=connection, now=now)
    assert (connection.failures, connection.state) == (0, Connection.State.OK)


def test_the_apis_retry_after_is_respected_when_longer(replay, connect, pull_at):
    connection = connect("yandex_metrica")
    replay.add(429, "metrica_quota.json", headers={"Retry-After": "7200"})
    services.sync_connection(connection=connection, now=pull_at)
    assert connection.next_retry_at == pull_at + timedelta(hours=2)


def test_a_network_failure_is_transient(connect, pull_at, monkeypatch):
    import httpx

    from kabinet.health import connectors

    def refuse(request):
        raise httpx.ConnectError("connection refused", request=request)

    monkeypatch.setattr(connectors, "TRANSPORT", httpx.MockTransport(refuse))
    connection = connect("yandex_direct")
    services.sync_connection(connection=connection, now=pull_at)
    assert connection.state == Connection.State.ERROR
    assert "ConnectError" in connection.last_error
