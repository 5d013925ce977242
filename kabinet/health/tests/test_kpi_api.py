from __future__ import annotations

import json

from kabinet.core.scoping import viewer_for
from kabinet.core.services import create_api_token
from kabinet.health.models import Point

PAYLOAD = {
    "points": [
        {"metric": "organic_sessions", "date": "2026-11-01", "value": "1200"},
        {"metric": "organic_sessions", "date": "2026-11-02", "value": "1310.5"},
    ]
}


def _post(client, project, payload, **headers):
    return client.post(
        f"/api/v1/projects/{project.pk}/kpis/points",
        json.dumps(payload),
        content_type="application/json",
        **headers,
    )


def test_posting_the_same_values_twice_writes_them_once(project, sessions, sergey, agency):
    from django.test import Client

    _token, key = create_api_token(viewer=viewer_for(sergey), name="connector")
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    first = _post(client, project, PAYLOAD, **auth)
    second = _post(client, project, PAYLOAD, **auth)

    assert first.status_code == 200 and first.json() == {"created": 2, "updated": 0, "unchanged": 0}
    assert second.json() == {"created": 0, "updated": 0, "unchanged": 2}
    assert Point.objects.filter(metric=sessions).count() == 2
    assert set(Point.objects.values_list("source", flat=True)) == {"api"}


def test_an_unknown_kpi_refuses_the_whole_batch_with_a_reason(project, sessions, sergey, agency):
    from django.test import Client

    _token, key = create_api_token(viewer=viewer_for(sergey), name="connector")
    payload = {
        "points": PAYLOAD["points"] + [{"metric": "nope", "date": "2026-11-01", "value": "1"}]
    }

    response = _post(Client(), project, payload, HTTP_AUTHORIZATION=f"Bearer {key}")

    assert response.status_code == 400
    assert "nope" in response.json()["detail"]
    assert not Point.objects.exists()


def test_a_client_reads_the_values_but_cannot_write_them(
    project, sessions, sergey, marina, agency, daily
):
    from datetime import date

    from django.test import Client

    daily(sessions, date(2026, 11, 1), [5, 6])
    _token, key = create_api_token(viewer=viewer_for(marina), name="mine")
    client, auth = Client(), {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    listed = client.get(f"/api/v1/projects/{project.pk}/kpis", **auth)
    points = client.get(f"/api/v1/kpis/{sessions.pk}/points?start=2026-11-02", **auth)
    written = _post(client, project, PAYLOAD, **auth)

    assert [m["key"] for m in listed.json()] == ["organic_sessions"]
    assert [p["value"] for p in points.json()["items"]] == [6.0]
    assert written.status_code == 404
    assert Point.objects.count() == 2


def test_another_companys_kpis_are_404(project, sessions, oleg, agency):
    from django.test import Client

    _token, key = create_api_token(viewer=viewer_for(oleg), name="mine")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    assert Client().get(f"/api/v1/projects/{project.pk}/kpis", **auth).status_code == 404
    assert Client().get(f"/api/v1/kpis/{sessions.pk}/points", **auth).status_code == 404
