from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse

from kabinet.lib.business_calendar import DEFAULT_TZ as MSK
from kabinet.timeline.models import Kind

from .factories import event


def titles(response) -> list[str]:
    return [e.title for e in response.context["page"]]


def test_chronology_is_newest_first(login, marina, sergey, project):
    base = datetime(2026, 11, 2, 12, tzinfo=MSK)
    for i, title in enumerate(["Первое", "Второе", "Третье"]):
        event(project, title=title, author=sergey, occurred_at=base + timedelta(days=i))
    assert titles(login(marina).get(reverse("project", args=[project.pk]))) == [
        "Третье",
        "Второе",
        "Первое",
    ]


def test_chronology_filters_by_kind_and_period(login, marina, sergey, project):
    event(
        project,
        kind=Kind.REPORT,
        title="Отчёт за октябрь",
        author=sergey,
        occurred_at=datetime(2026, 11, 3, 12, tzinfo=MSK),
    )
    event(
        project,
        kind=Kind.REPORT,
        title="Отчёт за июнь",
        author=sergey,
        occurred_at=datetime(2026, 7, 3, 12, tzinfo=MSK),
    )
    event(
        project,
        kind=Kind.MEETING,
        title="Созвон",
        author=sergey,
        occurred_at=datetime(2026, 11, 4, 12, tzinfo=MSK),
    )
    client = login(marina)
    url = reverse("project", args=[project.pk])
    assert titles(client.get(url, {"kind": "report"})) == ["Отчёт за октябрь", "Отчёт за июнь"]
    assert titles(
        client.get(url, {"kind": "report", "start": "2026-10-01", "end": "2026-11-30"})
    ) == ["Отчёт за октябрь"]


def test_chronology_search_matches_every_word(login, marina, sergey, project):
    event(project, title="Рост позиций", body="по коммерческим запросам", author=sergey)
    event(project, title="Рост трафика", author=sergey)
    found = titles(
        login(marina).get(reverse("project", args=[project.pk]), {"q": "рост коммерческим"})
    )
    assert found == ["Рост позиций"]


def test_chronology_is_paginated(login, marina, sergey, project):
    for i in range(25):
        event(project, title=f"Событие {i}", author=sergey)
    client = login(marina)
    url = reverse("project", args=[project.pk])
    assert len(titles(client.get(url))) == 20
    assert len(titles(client.get(url, {"page": 2}))) == 5


def test_htmx_filter_request_returns_only_the_chronology(login, marina, sergey, project):
    event(project, title="Отчёт", author=sergey)
    response = login(marina).get(
        reverse("project", args=[project.pk]),
        {"q": "Отчёт"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="chronology",
    )
    html = response.content.decode()
    assert "Отчёт" in html and "<html" not in html
