"""Every chronology URL that takes an id answers 404 to a client of another company."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kabinet.timeline.models import Kind

from .factories import attachment, event


@pytest.fixture
def recommendation(project, viktoria):
    return event(
        project,
        kind=Kind.RECOMMENDATION,
        title="ТЗ: перелинковка",
        author=viktoria,
        decision="pending",
    )


def test_client_of_another_company_gets_404_on_the_project_page(login, oleg, project):
    assert login(oleg).get(reverse("project", args=[project.pk])).status_code == 404


def test_client_of_another_company_gets_404_on_an_event(login, oleg, recommendation):
    assert login(oleg).get(reverse("event", args=[recommendation.pk])).status_code == 404


def test_client_of_another_company_cannot_decide_on_a_recommendation(login, oleg, recommendation):
    response = login(oleg).post(
        reverse("decide", args=[recommendation.pk]), {"decision": "approved"}
    )
    assert response.status_code == 404
    recommendation.refresh_from_db()
    assert recommendation.decision == "pending"


def test_client_of_another_company_cannot_download_an_attachment(login, oleg, recommendation):
    file = attachment(recommendation)
    assert login(oleg).get(reverse("attachment", args=[file.pk])).status_code == 404


def test_client_cannot_publish_even_on_their_own_project(login, marina, project):
    response = login(marina).post(
        reverse("publish", args=[project.pk]), {"kind": "message", "title": "x"}
    )
    assert response.status_code == 404
    assert not project.events.exists()


def test_specialist_not_on_the_project_gets_404(login, agency, other_project):
    from kabinet.core.testing import Role, make_user

    outsider = make_user(agency, "elena@agency.test", Role.SPECIALIST)
    assert login(outsider).get(reverse("project", args=[other_project.pk])).status_code == 404
    assert login(outsider).post(reverse("publish", args=[other_project.pk]), {}).status_code == 404


def test_head_of_another_agency_gets_404_everywhere(login, stranger, project, recommendation):
    client = login(stranger)
    assert client.get(reverse("project", args=[project.pk])).status_code == 404
    assert client.get(reverse("event", args=[recommendation.pk])).status_code == 404
    assert (
        client.get(reverse("attachment", args=[attachment(recommendation).pk])).status_code == 404
    )


def test_user_without_agency_gets_404(client, django_user_model, project):
    lonely = django_user_model.objects.create_user(
        email="lonely@x.test", password="x", full_name="L"
    )
    client.force_login(lonely)
    assert client.get(reverse("projects")).status_code == 404
    assert client.get(reverse("project", args=[project.pk])).status_code == 404


def test_anonymous_visitor_is_sent_to_login(client, project):
    response = client.get(reverse("project", args=[project.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
