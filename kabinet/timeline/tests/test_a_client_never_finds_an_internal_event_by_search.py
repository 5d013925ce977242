"""The search is a condition of the chronology's own query, next to the scope's visibility
condition: a client never finds an internal item by its words — on the page, in the API — while
the manager finds both."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from kabinet.api.tokens import create_token
from kabinet.core.models import Visibility

from .factories import event


def make_events(project, sergey):
    event(project, title="Аудит позиций сайта", author=sergey)
    event(
        project,
        title="Позиции сайта упали: клиенту пока не говорим",
        author=sergey,
        visibility=Visibility.INTERNAL,
    )


def token_client(user, agency) -> Client:
    _token, key = create_token(user=user, agency=agency, name="search test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_on_the_chronology_page(login, marina, sergey, project):
    make_events(project, sergey)
    url = reverse("project", args=[project.pk])
    for_client = login(marina).get(url, {"q": "позиции сайта"}).context["page"]
    for_manager = login(sergey).get(url, {"q": "позиции сайта"}).context["page"]
    assert [e.title for e in for_client] == ["Аудит позиций сайта"]
    assert len(for_manager) == 2


def test_in_the_api_events_list(agency, marina, sergey, project):
    make_events(project, sergey)
    url = f"/api/v1/projects/{project.pk}/events"
    found = token_client(marina, agency).get(url, {"q": "позиции", "limit": 20}).json()
    assert [e["title"] for e in found["items"]] == ["Аудит позиций сайта"]
    assert len(token_client(sergey, agency).get(url, {"q": "позиции"}).json()["items"]) == 2
