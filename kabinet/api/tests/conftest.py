"""Fixtures of the API tests: tokens, and a project with one of every kind of item.

`filled(project, staff, client, marker)` writes, through the services, one item of every kind the
API serves into `project`: client-visible ones titled with `marker`, internal ones titled
``marker + " INTERNAL"``. The scoping tests look for those markers in what the API answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.test import Client

from kabinet.core.models import Visibility
from kabinet.core.scoping import viewer_for
from kabinet.core.services import create_api_token
from kabinet.health import services as health
from kabinet.questions import services as questions
from kabinet.timeline.models import Decision, Kind
from kabinet.timeline.services import record_event


def token_client(user, agency, **extra) -> Client:
    _token, key = create_api_token(user, agency, "test", **extra)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def api():
    """api(user, agency) -> a test client that sends a fresh token of that user."""
    return token_client


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Each test starts with empty rate-limit counters (they live in the cache)."""
    cache.clear()
    yield
    cache.clear()


@dataclass
class Filled:
    """The ids of the items written into one project, by the path parameter that names them."""

    ids: dict[str, list[int]] = field(default_factory=dict)
    internal: dict[str, list[int]] = field(default_factory=dict)

    def add(self, name: str, pk: int, *, internal: bool = False) -> None:
        (self.internal if internal else self.ids).setdefault(name, []).append(pk)


def filled(project, staff, client, marker: str) -> Filled:
    staff_viewer, client_viewer = viewer_for(staff), viewer_for(client)
    out = Filled()
    out.add("project_id", project.pk)
    for kind, visibility, suffix in (
        (Kind.REPORT, Visibility.CLIENT, ""),
        (Kind.MESSAGE, Visibility.INTERNAL, " INTERNAL"),
    ):
        event = record_event(
            project, kind=kind, title=marker + suffix, author=staff, visibility=visibility
        )
        out.add("event_id", event.pk, internal=bool(suffix))
    rec = record_event(
        project,
        kind=Kind.RECOMMENDATION,
        title=marker + " rec",
        author=staff,
        decision=Decision.PENDING,
    )
    out.add("event_id", rec.pk)
    thread = questions.ask(
        viewer=client_viewer, project=project, subject=marker + " question", body=marker
    )
    out.add("thread_id", thread.pk)
    questions.reply(
        viewer=staff_viewer, thread=thread, body=marker + " INTERNAL note", internal=True
    )
    metric = health.create_metric(
        viewer=staff_viewer, project=project, key="sessions", name=marker + " sessions"
    )
    out.add("metric_id", metric.pk)
    hidden = health.create_metric(
        viewer=staff_viewer,
        project=project,
        key="costs",
        name=marker + " INTERNAL costs",
        visibility=Visibility.INTERNAL,
    )
    out.add("metric_id", hidden.pk, internal=True)
    return out


@pytest.fixture
def fill():
    return filled
