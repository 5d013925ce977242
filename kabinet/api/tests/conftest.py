"""Fixtures of the API tests: tokens, and a project with one of every kind of item.

`filled(project, staff, client, marker)` writes, through the services, one item of every kind the
API serves into `project`: client-visible ones titled with `marker`, internal ones titled
``marker + " INTERNAL"``. The scoping tests look for those markers in what the API answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from kabinet.api.tokens import create_token
from kabinet.core.models import Visibility
from kabinet.core.scoping import viewer_for
from kabinet.health import services as health
from kabinet.planning.models import DeadlineProposal
from kabinet.promises import services as promises
from kabinet.promises.models import PromiseProposal
from kabinet.questions import services as questions
from kabinet.timeline.models import Decision, Kind
from kabinet.timeline.services import record_event
from kabinet.work.models import Task


def token_client(user, agency, **extra) -> Client:
    _token, key = create_token(user=user, agency=agency, name="test", **extra)
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

    @property
    def every(self) -> dict[str, list[int]]:
        """Every id by parameter name, client-visible and internal alike."""
        names = set(self.ids) | set(self.internal)
        return {n: self.ids.get(n, []) + self.internal.get(n, []) for n in names}


def filled(project, staff, client, marker: str) -> Filled:
    staff_viewer, client_viewer = viewer_for(staff), viewer_for(client)
    out = Filled()
    out.add("project_id", project.pk)
    for kind, visibility, suffix in (
        (Kind.REPORT, Visibility.CLIENT, ""),
        (Kind.MESSAGE, Visibility.INTERNAL, " INTERNAL"),
    ):
        event = record_event(
            project=project, kind=kind, title=marker + suffix, author=staff, visibility=visibility
        )
        out.add("event_id", event.pk, internal=bool(suffix))
    rec = record_event(
        project=project,
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
    # Tasks are written as rows: the fixture needs one of each visibility, not the task rules.
    due = timezone.now() + timedelta(days=7)
    for visibility, suffix in ((Visibility.CLIENT, ""), (Visibility.INTERNAL, " INTERNAL")):
        task = Task.objects.create(
            agency=project.agency,
            project=project,
            title=marker + suffix + " task",
            assignee=staff,
            due_at=due,
            visibility=visibility,
        )
        out.add("task_id", task.pk, internal=bool(suffix))
    proposal = DeadlineProposal.objects.create(
        agency=project.agency,
        task=task,
        old_due=due,
        new_due=due + timedelta(days=2),
        lateness_hours=5,
        reason=marker + " INTERNAL reason",
    )
    out.add("proposal_id", proposal.pk, internal=True)
    promise = promises.create_promise(
        viewer=staff_viewer,
        project=project,
        what=marker + " promise",
        due_at=due,
        promised_by=staff,
    )
    out.add("promise_id", promise.pk)
    found = PromiseProposal.objects.create(
        agency=project.agency,
        project=project,
        source_event=event,
        author=staff,
        quote=marker + " INTERNAL will send",
        due_at=due,
        start=0,
        end=5,
    )
    out.add("proposal_id", found.pk, internal=True)
    out.add("person_id", staff.pk)
    return out


@pytest.fixture
def fill():
    return filled
