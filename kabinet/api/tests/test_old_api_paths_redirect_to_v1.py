"""The unversioned `/api/...` of before answers 308 to the same path under `/api/v1/`."""

from __future__ import annotations


def test_a_get_keeps_its_query(client):
    response = client.get("/api/projects/7/events?kind=report&cursor=abc")
    assert response.status_code == 308
    assert response["Location"] == "/api/v1/projects/7/events?kind=report&cursor=abc"


def test_a_post_is_redirected_with_308_so_it_stays_a_post(agency, marina, project, api):
    client = api(marina, agency)
    response = client.post(
        f"/api/projects/{project.pk}/questions",
        {"subject": "Где отчёт?", "body": "Не вижу"},
        content_type="application/json",
        follow=True,
    )
    assert response.redirect_chain == [(f"/api/v1/projects/{project.pk}/questions", 308)]
    assert response.status_code == 201


def test_the_docs_and_schema_moved_too(client):
    assert client.get("/api/docs")["Location"] == "/api/v1/docs"
    assert client.get("/api/openapi.json")["Location"] == "/api/v1/openapi.json"


def test_the_v1_root_without_its_slash_is_not_taken_for_an_old_path(client):
    assert client.get("/api/v1")["Location"] == "/api/v1/"  # the slash added, not /api/v1/v1
