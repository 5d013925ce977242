"""Only the head of the agency adds, changes, syncs and removes source connections; everyone else
gets a 404 (a client, a manager, a specialist, another agency)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kabinet.health.models import Connection, Metric


@pytest.fixture
def connection(connect):
    return connect("yandex_metrica")


def urls(project, connection):
    both = [project.pk, connection.pk]
    return [
        ("get", reverse("health:connections", args=[project.pk])),
        ("post", reverse("health:connections", args=[project.pk])),
        ("get", reverse("health:edit_connection", args=both)),
        ("post", reverse("health:edit_connection", args=both)),
        ("post", reverse("health:sync_connection", args=both)),
        ("post", reverse("health:remove_connection", args=both)),
    ]


@pytest.mark.parametrize("who", ["marina", "sergey", "viktoria", "stranger"])
def test_nobody_but_the_head_reaches_the_connections(client, request, project, connection, who):
    client.force_login(request.getfixturevalue(who))
    for method, url in urls(project, connection):
        assert getattr(client, method)(url).status_code == 404, (who, url)
    assert Connection.objects.filter(pk=connection.pk).exists()


def test_the_head_adds_a_connection_and_the_kpi_is_filled_from_it(client, head, project, kpis):
    client.force_login(head)
    response = client.post(
        f"/projects/{project.pk}/kpis/sources/",
        {
            "kind": "google_ads",
            "account": "123-456-7890",
            "token": "ya29.some-access-token-9b1c",
            "map_clicks": "metrics.clicks",
        },
    )
    assert response.status_code == 302
    connection = Connection.objects.get(project=project)
    assert connection.mapping == {"clicks": "metrics.clicks"}
    assert Metric.objects.get(project=project, key="clicks").source == "google_ads"


def test_a_form_without_a_token_names_the_field_and_keeps_what_was_typed(
    client, head, project, kpis
):
    client.force_login(head)
    response = client.post(
        f"/projects/{project.pk}/kpis/sources/",
        {"kind": "ga4", "account": "312345678", "token": "", "map_organic_sessions": "sessions"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'name="token"' in page and "has-error" in page
    assert 'value="312345678"' in page and 'value="sessions"' in page


def test_changing_without_a_new_token_keeps_the_stored_one(client, head, project, connection):
    stored = connection.token_encrypted
    client.force_login(head)
    response = client.post(
        f"/projects/{project.pk}/kpis/sources/{connection.pk}/",
        {"kind": "yandex_metrica", "account": "55555555", "token": "", "map_users": "ym:s:users"},
    )
    assert response.status_code == 302
    connection.refresh_from_db()
    assert connection.account == "55555555"
    assert connection.token_encrypted == stored
    assert Metric.objects.get(project=project, key="organic_sessions").source == ""


def test_removing_keeps_the_values_it_brought(client, head, project, connection, replay, pull_at):
    from kabinet.health import services
    from kabinet.health.models import Point

    replay.add(200, "metrica_report.json")
    services.sync_connection(connection=connection, now=pull_at)
    client.force_login(head)
    client.post(f"/projects/{project.pk}/kpis/sources/{connection.pk}/remove/")
    assert not Connection.objects.filter(pk=connection.pk).exists()
    assert Point.objects.filter(metric__project=project).count() == 14
