"""Each kind an endpoint can ask for is written to the outbox by the event that causes it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from kabinet.api import webhooks
from kabinet.api.models import WebhookDelivery
from kabinet.core.models import Visibility
from kabinet.core.scoping import viewer_for
from kabinet.promises import services as promises
from kabinet.questions import services as questions
from kabinet.work import services as work


@pytest.fixture(autouse=True)
def a_working_tuesday():
    """A fixed working morning (the promise clock counts business hours)."""
    with time_machine.travel(datetime(2026, 12, 1, 7, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def endpoint(head):
    endpoint, _secret = webhooks.create_endpoint(
        viewer=viewer_for(head),
        url="https://crm.example.test/hooks",
        event_kinds=list(webhooks.KINDS),
    )
    return endpoint


def kinds(endpoint) -> list[str]:
    # The deliveries are written in the event's transaction; the send job runs after the commit
    # (never here: the test's transaction does not commit).
    return sorted(WebhookDelivery.objects.filter(endpoint=endpoint).values_list("kind", flat=True))


def test_a_question_asked_and_answered(endpoint, marina, sergey, project):
    thread = questions.ask(
        viewer=viewer_for(marina), project=project, subject="Трафик", body="Почему?"
    )
    assert kinds(endpoint) == ["question.asked"]
    questions.reply(viewer=viewer_for(sergey), thread=thread, body="Из-за сезонности.")
    assert kinds(endpoint) == ["question.answered", "question.asked"]


def test_a_promise_kept(endpoint, sergey, project):
    promise = promises.create_promise(
        viewer=viewer_for(sergey),
        project=project,
        what="Прислать аудит",
        due_at=timezone.now() + timedelta(days=3),
    )
    WebhookDelivery.objects.all().delete()
    promises.keep(viewer=viewer_for(sergey), promise=promise, message="Аудит во вложении.")
    assert kinds(endpoint) == ["promise.kept"]


def test_a_promise_falls_due_once_and_then_is_broken(endpoint, sergey, project):
    now = timezone.now()
    promise = promises.create_promise(
        viewer=viewer_for(sergey),
        project=project,
        what="Прислать аудит",
        due_at=now + timedelta(hours=1),
    )
    promises.run_clock(now=promise.due_at + timedelta(minutes=1))
    promises.run_clock(now=promise.due_at + timedelta(minutes=16))
    assert kinds(endpoint) == ["promise.due"]
    promises.run_clock(now=promise.due_at + timedelta(days=3))
    assert kinds(endpoint) == ["promise.broken", "promise.due"]
    broken = WebhookDelivery.objects.get(endpoint=endpoint, kind="promise.broken")
    assert "Прислать аудит" in broken.body


def test_a_deadline_moved(endpoint, sergey, project):
    task = work.create_task(
        viewer=viewer_for(sergey),
        project=project,
        title="Аудит",
        due_at=timezone.now() + timedelta(days=2),
        visibility=Visibility.CLIENT,
    )
    work.change_task(
        viewer=viewer_for(sergey),
        task=task,
        due_at=timezone.now() + timedelta(days=9),
        reason="Ждём доступы",
    )
    assert kinds(endpoint) == ["deadline.moved"]


def test_an_endpoint_gets_only_the_kinds_it_asked_for(head, sergey, project):
    endpoint, _secret = webhooks.create_endpoint(
        viewer=viewer_for(head), url="https://crm.example.test/q", event_kinds=["question.answered"]
    )
    promises.create_promise(
        viewer=viewer_for(sergey),
        project=project,
        what="Прислать аудит",
        due_at=timezone.now() + timedelta(days=3),
    )
    assert kinds(endpoint) == []
