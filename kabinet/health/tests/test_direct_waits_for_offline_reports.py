"""Direct builds big reports offline: 201 "queued" and 202 "being built" with `retryIn`. The same
request is repeated a few times; a report still not ready is left for the next attempt."""

from __future__ import annotations

from datetime import timedelta

from kabinet.health import services
from kabinet.health.connectors import yandex_direct
from kabinet.health.models import Connection


def test_a_queued_report_is_asked_for_again_until_it_is_ready(
    replay, connect, stored, pull_at, monkeypatch
):
    waited = []
    monkeypatch.setattr(yandex_direct.YandexDirect, "sleep", staticmethod(waited.append))
    connection = connect("yandex_direct")
    replay.add(201, headers={"retryIn": "2"}).add(202, headers={"retryIn": "60"})
    replay.add(200, "direct_report.tsv")
    assert services.sync_connection(connection=connection, now=pull_at).ok
    assert waited == [2, yandex_direct.YandexDirect.max_wait]  # capped, the job does not hang
    bodies = replay.json_bodies()
    assert len({b["params"]["ReportName"] for b in bodies}) == 1  # the same report each time
    assert len(stored("clicks")) == 7


def test_a_report_still_being_built_is_left_for_later(replay, connect, pull_at):
    connection = connect("yandex_direct")
    for _ in range(yandex_direct.YandexDirect.polls + 1):
        replay.add(202, headers={"retryIn": "900"})
    outcome = services.sync_connection(connection=connection, now=pull_at)
    assert not outcome.ok
    assert connection.state == Connection.State.ERROR
    assert "being built" in connection.last_error
    assert connection.next_retry_at == pull_at + timedelta(seconds=900)
