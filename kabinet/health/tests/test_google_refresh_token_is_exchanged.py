"""With the agency's OAuth client configured, a Google connection stores a refresh token that is
exchanged for an hour-long access token at every pull; a revoked one needs a new token."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from kabinet.health import services
from kabinet.health.models import Connection


@pytest.fixture
def oauth_client(settings):
    settings.KABINET_GOOGLE_OAUTH_CLIENT_ID = "1234-client.apps.googleusercontent.com"
    settings.KABINET_GOOGLE_OAUTH_CLIENT_SECRET = "GOCSPX-recorded-secret"


def test_the_access_token_from_the_exchange_reads_the_report(
    replay, connect, pull_at, oauth_client
):
    connection = connect("ga4", token="1//0g-recorded-refresh-token")
    replay.add(200, "google_token_refreshed.json").add(200, "ga4_report.json")
    assert services.sync_connection(connection=connection, now=pull_at).ok
    exchange, report = replay.requests
    assert exchange.url.host == "oauth2.googleapis.com"
    form = parse_qs(exchange.content.decode())
    assert form["grant_type"] == ["refresh_token"]
    assert form["refresh_token"] == ["1//0g-recorded-refresh-token"]
    assert report.headers["Authorization"] == "Bearer ya29.a0AfB_byC-recorded-access-token"


def test_a_revoked_refresh_token_needs_a_new_token(replay, connect, pull_at, oauth_client):
    connection = connect("google_ads", token="1//0g-recorded-refresh-token")
    replay.add(400, "google_token_invalid_grant.json")
    services.sync_connection(connection=connection, now=pull_at)
    assert connection.state == Connection.State.NEEDS_TOKEN
    assert "invalid_grant" in connection.last_error
