from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kabinet.timeline.models import Attachment, Event, Kind

KINDS = [Kind.REPORT, Kind.PLAN, Kind.WORK_DONE, Kind.MEETING, Kind.MESSAGE]


def fill(project, author, count: int) -> None:
    now = timezone.now()
    Event.objects.bulk_create(
        Event(
            agency=project.agency,
            project=project,
            kind=KINDS[i % len(KINDS)],
            title=f"Событие {i}",
            body="**текст**",
            author=author,
            occurred_at=now - timedelta(hours=i),
        )
        for i in range(count)
    )
    for ev in Event.objects.filter(project=project).order_by("-occurred_at")[:30:3]:
        Attachment.objects.create(
            agency=project.agency, event=ev, file="x/a.pdf", name="a.pdf", size=1
        )


def queries_for_page(client, project) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("project", args=[project.pk]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["marina", "sergey"])
def test_chronology_page_runs_the_same_number_of_queries_for_10_and_1000_events(
    request, login, persona, project, sergey
):
    client = login(request.getfixturevalue(persona))
    fill(project, sergey, 10)
    with_ten = queries_for_page(client, project)
    Event.objects.filter(project=project).delete()
    fill(project, sergey, 1000)
    with_thousand = queries_for_page(client, project)
    assert with_ten == with_thousand
