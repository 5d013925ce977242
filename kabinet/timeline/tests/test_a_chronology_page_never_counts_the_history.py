"""A chronology page reads the page, not the history: the same queries for 50 events as for 500,
on page 1 as on page 5, and no query counts the project's events ("Page N", Newer/Older)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kabinet.timeline.models import Event, Kind

KINDS = [Kind.REPORT, Kind.PLAN, Kind.WORK_DONE, Kind.MEETING, Kind.MESSAGE]


def fill(project, author, count: int) -> None:
    Event.objects.filter(project=project).delete()
    now = timezone.now()
    Event.objects.bulk_create(
        Event(
            agency=project.agency,
            project=project,
            kind=KINDS[i % len(KINDS)],
            title=f"Событие {i}",
            author=author,
            occurred_at=now - timedelta(hours=i),
        )
        for i in range(count)
    )


def sql_of(client, project, page: int) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("project", args=[project.pk]), {"page": page})
    assert response.status_code == 200
    assert len(response.context["page"]) == 20
    return [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("persona", ["marina", "sergey"])
def test_the_queries_are_the_same_at_50_and_500_events_and_on_page_1_and_5(
    request, login, persona, project, sergey
):
    client = login(request.getfixturevalue(persona))
    fill(project, sergey, 50)
    small = sql_of(client, project, 1)
    fill(project, sergey, 500)
    first, fifth = sql_of(client, project, 1), sql_of(client, project, 5)
    assert len(small) == len(first) == len(fifth)


@pytest.mark.parametrize("persona", ["marina", "sergey"])
def test_no_query_counts_the_projects_events(request, login, persona, project, sergey):
    fill(project, sergey, 60)
    for sql in sql_of(login(request.getfixturevalue(persona)), project, 2):
        assert not ("COUNT(" in sql.upper() and "timeline_event" in sql), sql
