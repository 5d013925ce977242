"""Marina states her expectation (metric, target, date) on her project's home herself; it goes
into the chronology like the one staff write down, and a bad input names its field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kabinet.health.models import Expectation
from kabinet.timeline.models import Event, Kind


def test_the_home_offers_the_client_the_form_with_her_kpis_only(
    project, sessions, marina, sergey, login
):
    page = login(marina).get(f"/projects/{project.pk}/overview/").content.decode()
    assert 'data-testid="state-expectation"' in page
    assert "Визиты из поиска" in page
    staff_page = login(sergey).get(f"/projects/{project.pk}/overview/").content.decode()
    assert 'data-testid="state-expectation"' not in staff_page


def test_her_expectation_is_recorded_in_the_chronology(project, sessions, marina, login):
    response = login(marina).post(
        f"/projects/{project.pk}/overview/expectation/",
        {
            "metric": sessions.pk,
            "target": "40000",
            "by_date": "2027-03-31",
            "note": "хотим к весне",
        },
    )
    assert response.status_code == 302
    expectation = Expectation.objects.get(project=project)
    assert (expectation.target, expectation.by_date) == (Decimal(40000), date(2027, 3, 31))
    assert expectation.recorded_by == marina
    event = Event.objects.get(project=project, kind=Kind.KPI)
    assert event.visibility == "client" and event.author == marina
    assert event.title.startswith("Ожидание клиента: Визиты из поиска")


def test_a_bad_target_names_the_field_and_keeps_what_she_typed(project, sessions, marina, login):
    response = login(marina).post(
        f"/projects/{project.pk}/overview/expectation/",
        {
            "metric": sessions.pk,
            "target": "сорок тысяч",
            "by_date": "2027-03-31",
            "note": "к весне",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "has-error" in page and 'name="target"' in page
    assert 'value="сорок тысяч"' in page and "к весне" in page
    assert not Expectation.objects.exists()


def test_an_internal_kpi_cannot_be_chosen_by_the_client(
    project, sessions, marina, sergey, login, as_viewer
):
    from kabinet.health import services

    internal = services.create_metric(
        viewer=as_viewer(sergey),
        project=project,
        key="cost_per_lead",
        name="Цена заявки",
        visibility="internal",
    )
    response = login(marina).post(
        f"/projects/{project.pk}/overview/expectation/",
        {"metric": internal.pk, "target": "100", "by_date": "2027-03-31"},
    )
    assert response.status_code == 400
    assert not Expectation.objects.exists()
