"""A GET never writes: every page, opened by each persona, runs no INSERT, UPDATE or DELETE."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kabinet.timeline.models import Decision, Kind
from kabinet.timeline.services import record_event

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def world(project, marina, sergey, viktoria):
    from kabinet.core.scoping import viewer_for
    from kabinet.promises.services import create_promise
    from kabinet.questions.services import ask
    from kabinet.work.services import create_task

    rec = record_event(
        project=project,
        kind=Kind.RECOMMENDATION,
        title="ТЗ",
        author=viktoria,
        decision=Decision.PENDING,
    )
    thread = ask(
        viewer=viewer_for(marina), project=project, subject="Трафик", body="Почему упал трафик?"
    )
    task = create_task(
        viewer=sergey,
        project=project,
        title="Аудит",
        assignee=viktoria,
        estimate_hours=3,
        due_at=timezone.now() + timedelta(days=3),
        visibility="client",
    )
    promise = create_promise(
        viewer=viewer_for(sergey),
        project=project,
        what="Пришлём аудит",
        due_at=timezone.now() + timedelta(days=2),
    )
    return {"project": project, "event": rec, "thread": thread, "task": task, "promise": promise}


def _pages(w) -> list[str]:
    p = w["project"].pk
    return [
        reverse("projects"),
        reverse("project", args=[p]),
        reverse("event", args=[w["event"].pk]),
        reverse("settings"),
        reverse("notifications"),
        reverse("questions:project", args=[p]),
        reverse("questions:thread", args=[w["thread"].pk]),
        reverse("questions:desk"),
        reverse("questions:numbers"),
        reverse("project_promises", args=[p]),
        reverse("promise", args=[w["promise"].pk]),
        reverse("my_promises"),
        reverse("promise_numbers"),
        reverse("work:board"),
        reverse("work:project_tasks", args=[p]),
        reverse("work:task", args=[w["task"].pk]),
        reverse("work:recurrences", args=[p]),
        reverse("work:playbooks"),
        reverse("work:rules"),
        reverse("planning:queue"),
        reverse("planning:at_risk"),
        reverse("planning:weights"),
    ]


@pytest.mark.parametrize("persona", ["marina", "sergey", "viktoria", "head"])
def test_opening_any_page_writes_nothing(persona, request, world, login):
    client = login(request.getfixturevalue(persona))
    client.get(reverse("projects"))  # the session is settled before we watch
    for url in _pages(world):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code in (200, 302, 404), (url, response.status_code)
        writes = [
            q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)
        ]
        assert writes == [], (persona, url, writes)
