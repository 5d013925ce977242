"""The API shows exactly what the pages show: same scoping, 404 for what a viewer may not see."""

from __future__ import annotations

import pytest
from django.test import Client

from kabinet.core.scoping import viewer_for
from kabinet.core.services import create_api_token
from kabinet.timeline.models import Decision, Kind, Visibility
from kabinet.timeline.services import record_event


def api_client(user, agency) -> Client:
    _token, key = create_api_token(viewer=viewer_for(user), name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def events(project, sergey, viktoria):
    return {
        "report": record_event(
            project=project, kind=Kind.REPORT, title="Отчёт за ноябрь", author=sergey
        ),
        "internal": record_event(
            project=project,
            kind=Kind.MESSAGE,
            title="Внутреннее",
            author=sergey,
            visibility=Visibility.INTERNAL,
        ),
        "rec": record_event(
            project=project,
            kind=Kind.RECOMMENDATION,
            title="ТЗ",
            author=viktoria,
            decision=Decision.PENDING,
        ),
    }


def test_without_credentials_the_api_answers_401(client, project):
    assert client.get("/api/v1/projects").status_code == 401


def test_a_wrong_token_is_refused(project):
    assert (
        Client(HTTP_AUTHORIZATION="Bearer kab_nonsense").get("/api/v1/projects").status_code == 401
    )


def test_client_lists_only_their_projects(agency, marina, project, other_project):
    data = api_client(marina, agency).get("/api/v1/projects").json()["items"]
    assert [p["name"] for p in data] == [project.name]


def test_client_of_another_company_gets_404_on_every_object_endpoint(agency, oleg, project, events):
    api = api_client(oleg, agency)
    assert api.get(f"/api/v1/projects/{project.pk}").status_code == 404
    assert api.get(f"/api/v1/projects/{project.pk}/events").status_code == 404
    assert api.get(f"/api/v1/events/{events['report'].pk}").status_code == 404
    response = api.post(
        f"/api/v1/events/{events['rec'].pk}/decision",
        {"decision": "approved"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert (
        api.post(
            f"/api/v1/projects/{project.pk}/events",
            {"kind": "message", "title": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_internal_items_never_reach_the_client_through_the_api(agency, marina, project, events):
    api = api_client(marina, agency)
    titles = [e["title"] for e in api.get(f"/api/v1/projects/{project.pk}/events").json()["items"]]
    assert "Отчёт за ноябрь" in titles and "Внутреннее" not in titles
    assert api.get(f"/api/v1/events/{events['internal'].pk}").status_code == 404
    assert (
        api.get(f"/api/v1/projects/{project.pk}/events", {"q": "Внутреннее"}).json()["items"] == []
    )
    assert api.get(f"/api/v1/projects/{project.pk}").json()["monthly_budget"] is None


def test_staff_publish_through_the_api_and_bad_input_gets_a_clear_message(agency, sergey, project):
    api = api_client(sergey, agency)
    bad = api.post(
        f"/api/v1/projects/{project.pk}/events",
        {"kind": "report", "title": "Отчёт"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert (
        "period" in str(bad.json()["detail"]).lower()
        or "период" in str(bad.json()["detail"]).lower()
    )
    good = api.post(
        f"/api/v1/projects/{project.pk}/events",
        {
            "kind": "report",
            "title": "Отчёт",
            "period_start": "2026-11-01",
            "period_end": "2026-11-30",
        },
        content_type="application/json",
    )
    assert good.status_code == 201
    assert good.json()["kind"] == "report"


def test_client_decides_on_a_recommendation_through_the_api(agency, marina, events):
    api = api_client(marina, agency)
    response = api.post(
        f"/api/v1/events/{events['rec'].pk}/decision",
        {"decision": "approved"},
        content_type="application/json",
    )
    assert response.status_code == 201
    events["rec"].refresh_from_db()
    assert events["rec"].decision == Decision.APPROVED


def test_session_users_use_the_api_too(login, marina, project):
    assert login(marina).get("/api/v1/projects").status_code == 200


def test_the_openapi_schema_is_published(login, marina):
    schema = login(marina).get("/api/v1/openapi.json").json()
    assert "/api/v1/projects/{project_id}/events" in schema["paths"]
