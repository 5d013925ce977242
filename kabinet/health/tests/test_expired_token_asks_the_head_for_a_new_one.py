"""An expired or revoked token: "needs a new token", the head is told once, no more retries until
a new token is saved, and the points already stored stay."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kabinet.core.models import Notification
from kabinet.core.scoping import viewer_for
from kabinet.health import services
from kabinet.health.models import Connection

RECORDED = [
    ("yandex_metrica", 403, "metrica_invalid_token.json", "Invalid oauth_token"),
    ("yandex_direct", 403, "direct_invalid_token.json", "error 53"),
    ("ga4", 401, "ga4_unauthenticated.json", "UNAUTHENTICATED"),
    ("google_ads", 401, "ads_token_expired.json", "OAUTH_TOKEN_EXPIRED"),
]


@pytest.mark.parametrize("kind,status,file,words", RECORDED)
def test_a_refused_token_stops_the_retries_and_says_why(
    replay, connect, pull_at, kind, status, file, words
):
    connection = connect(kind)
    replay.add(status, file)
    outcome = services.sync_connection(connection=connection, now=pull_at)
    connection.refresh_from_db()
    assert not outcome.ok
    assert connection.state == Connection.State.NEEDS_TOKEN
    assert words in connection.last_error
    assert connection.next_retry_at is None
    assert connection not in services.due_connections(now=pull_at + timedelta(days=3))


def test_the_head_is_told_once_per_token(replay, connect, pull_at, head):
    connection = connect("yandex_metrica")
    replay.add(403, "metrica_invalid_token.json").add(403, "metrica_invalid_token.json")
    services.sync_connection(connection=connection, now=pull_at)
    services.sync_connection(
        connection=connection, now=pull_at + timedelta(hours=1)
    )  # "sync now" again
    told = Notification.objects.filter(user=head, kind="kpi_source_token")
    assert told.count() == 1
    assert "/kpis/sources/" in told.get().url


def test_a_new_token_clears_the_state_and_the_pull_resumes(replay, connect, pull_at, project, head):
    connection = connect("ga4")
    replay.add(401, "ga4_unauthenticated.json")
    services.sync_connection(connection=connection, now=pull_at)
    services.save_connection(
        viewer=viewer_for(head),
        project=project,
        connection=connection,
        kind="ga4",
        account=connection.account,
        mapping=connection.mapping,
        token="ya29.a-brand-new-token-0042",
    )
    connection.refresh_from_db()
    assert connection.state == Connection.State.NEW
    assert connection in services.due_connections(now=pull_at)
    replay.add(200, "ga4_report.json")
    assert services.sync_connection(connection=connection, now=pull_at).ok


def test_points_already_stored_survive_a_refused_token(replay, connect, stored, pull_at):
    connection = connect("yandex_direct")
    replay.add(200, "direct_report.tsv")
    services.sync_connection(connection=connection, now=pull_at)
    before = stored("spend")
    replay.add(403, "direct_invalid_token.json")
    services.sync_connection(connection=connection, now=pull_at + timedelta(days=1))
    assert stored("spend") == before
    assert len(before) == 7
