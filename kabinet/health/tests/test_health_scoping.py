"""Everything of the health app answers 404 to whoever may not see it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kabinet.core.scoping import viewer_for
from kabinet.core.services import create_api_token
from kabinet.health import imports
from kabinet.timeline.models import Kind
from kabinet.timeline.services import record_event


@pytest.fixture
def objects(project, sessions, sergey, as_viewer):
    staged = imports.stage(
        viewer=as_viewer(sergey), project=project, upload=SimpleUploadedFile("a.csv", b"date,x\n")
    )
    record_event(project=project, kind=Kind.PLAN, title="План", author=sergey)
    return {"project": project, "metric": sessions, "import": staged}


def urls(o) -> dict[str, str]:
    p, m = o["project"].pk, o["metric"].pk
    return {
        "health:project_home": reverse("health:project_home", args=[p]),
        "health:seen": reverse("health:seen", args=[p]),
        "health:state_expectation": reverse("health:state_expectation", args=[p]),
        "health:add_plan_item": reverse("health:add_plan_item", args=[p]),
        "health:kpis": reverse("health:kpis", args=[p]),
        "health:add_metric": reverse("health:add_metric", args=[p]),
        "health:add_point": reverse("health:add_point", args=[p]),
        "health:set_expectation": reverse("health:set_expectation", args=[p]),
        "health:set_forecast": reverse("health:set_forecast", args=[p]),
        "health:upload": reverse("health:upload", args=[p]),
        "health:report_draft": reverse("health:report_draft", args=[p]),
        "health:chart_svg": reverse("health:chart_svg", args=[p, m]),
        "health:import": reverse("health:import", args=[o["import"].pk]),
    }


STAFF_ONLY = {
    "health:add_plan_item",
    "health:kpis",
    "health:add_metric",
    "health:add_point",
    "health:set_expectation",
    "health:set_forecast",
    "health:upload",
    "health:report_draft",
    "health:import",
}
POSTS = {
    "health:seen",
    "health:state_expectation",
    "health:add_plan_item",
    "health:add_metric",
    "health:add_point",
    "health:set_expectation",
    "health:set_forecast",
    "health:upload",
}


def _request(client, name, url):
    return client.post(url, {}) if name in POSTS else client.get(url)


def test_another_companys_client_gets_404_everywhere(objects, oleg, login):
    client = login(oleg)
    for name, url in urls(objects).items():
        assert _request(client, name, url).status_code == 404, name


def test_another_agency_gets_404_everywhere(objects, stranger, login):
    client = login(stranger)
    for name, url in urls(objects).items():
        assert _request(client, name, url).status_code == 404, name


def test_a_manager_not_on_the_team_gets_404_everywhere(objects, irina, login):
    client = login(irina)
    for name, url in urls(objects).items():
        assert _request(client, name, url).status_code == 404, name


def test_the_client_gets_404_on_the_staff_pages_and_sees_her_own(objects, marina, login):
    client = login(marina)
    for name, url in urls(objects).items():
        expected = 404 if name in STAFF_ONLY else (204 if name == "health:seen" else 200)
        if name == "health:state_expectation":
            expected = 400  # hers, but an empty form
        assert _request(client, name, url).status_code == expected, name


def test_the_plan_line_form_is_404_to_whoever_may_not_add_lines(
    objects, oleg, stranger, irina, marina, login
):
    url = reverse("health:add_plan_item", args=[objects["project"].pk])
    for person in (oleg, stranger, irina, marina):
        client = login(person)
        assert client.get(url).status_code == 404, person.email
        assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404, person.email


def test_staff_cannot_state_the_clients_expectation_on_her_home(objects, sergey, login):
    url = reverse("health:state_expectation", args=[objects["project"].pk])
    response = login(sergey).post(
        url, {"metric": objects["metric"].pk, "target": "1", "by_date": "2027-01-01"}
    )
    assert response.status_code == 404


def test_the_api_answers_404_outside_the_viewers_projects(objects, oleg, agency):
    from django.test import Client

    _token, key = create_api_token(viewer=viewer_for(oleg), name="x")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    project, metric = objects["project"], objects["metric"]
    client = Client()

    assert client.get(f"/api/v1/projects/{project.pk}/kpis", **auth).status_code == 404
    assert client.get(f"/api/v1/kpis/{metric.pk}/points", **auth).status_code == 404
    assert (
        client.post(
            f"/api/v1/projects/{project.pk}/kpis/points",
            '{"points": []}',
            content_type="application/json",
            **auth,
        ).status_code
        == 404
    )
