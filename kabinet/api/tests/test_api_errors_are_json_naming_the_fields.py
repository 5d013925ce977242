"""Every error is JSON `{"detail": message, "fields": {...}}`; bad bodies are 4xx, never 500."""

from __future__ import annotations

import json


def post(client, url, body, content_type="application/json"):
    return client.post(url, body, content_type=content_type)


def test_an_unknown_field_or_a_wrong_enumeration_is_400_naming_the_field(
    agency, sergey, project, api
):
    client = api(sergey, agency)
    url = f"/api/v1/projects/{project.pk}/events"
    unknown = post(client, url, {"kind": "message", "title": "x", "colour": "red"})
    wrong = post(client, url, {"kind": "message", "title": "x", "visibility": "public"})
    assert unknown.status_code == 400 and "colour" in unknown.json()["fields"]
    assert wrong.status_code == 400 and "visibility" in wrong.json()["fields"]
    assert "visibility" in wrong.json()["detail"]


def test_a_service_refusal_is_400_with_its_fields(agency, sergey, project, api):
    response = post(
        api(sergey, agency),
        f"/api/v1/projects/{project.pk}/events",
        {"kind": "report", "title": "x"},
    )
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "fields"}
    assert "period_start" in response.json()["fields"]


def test_malformed_json_and_multipart_bodies_are_400_not_500(agency, sergey, project, api):
    client = api(sergey, agency)
    url = f"/api/v1/projects/{project.pk}/events"
    broken_json = post(client, url, '{"kind": "message", "title": ')
    broken_multipart = post(
        client, url, b"--x\r\nContent-Disposition: form-data\r\n\r\nbody", "multipart/form-data"
    )
    no_boundary = post(client, url, b"kind=message", "multipart/form-data; boundary=")
    for response in (broken_json, broken_multipart, no_boundary):
        assert 400 <= response.status_code < 500, response.content
        assert "detail" in response.json() and "fields" in response.json()


def test_a_session_post_with_a_malformed_multipart_body_is_400(login, sergey, project):
    client = login(sergey)
    client.handler.enforce_csrf_checks = True
    response = client.post(
        f"/api/v1/projects/{project.pk}/events",
        b"--x\r\nbroken",
        content_type="multipart/form-data; boundary=x",
    )
    assert 400 <= response.status_code < 500


def test_a_forged_cursor_is_400_naming_the_cursor(agency, marina, project, api):
    response = api(marina, agency).get(f"/api/v1/projects/{project.pk}/events?cursor=forged")
    assert response.status_code == 400 and "cursor" in response.json()["fields"]


def test_without_credentials_the_error_is_json_too(client):
    response = client.get("/api/v1/projects")
    assert response.status_code == 401 and json.loads(response.content)["fields"] == {}


def test_the_schema_documents_the_error_shape_on_every_operation(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail", "fields"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"400", "401", "404", "429"} <= set(map(str, operation["responses"])), (
                method,
                path,
            )
