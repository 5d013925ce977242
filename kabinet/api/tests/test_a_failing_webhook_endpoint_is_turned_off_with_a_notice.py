"""After DISABLE_AFTER failed tries in a row the endpoint is off and the head is told."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.core import mail

from kabinet.api import tasks, webhooks
from kabinet.api.models import WebhookDelivery
from kabinet.api.testing import Receiver
from kabinet.core.models import Notification
from kabinet.core.scoping import viewer_for
from kabinet.core.services import send_due_emails
from kabinet.work.services import complete_task, create_task

START = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def test_repeated_failures_turn_the_endpoint_off_and_tell_the_head(
    head, sergey, project, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(webhooks, "DISABLE_AFTER", 4)
    with Receiver(500) as receiver, time_machine.travel(START, tick=False) as clock:
        endpoint, _secret = webhooks.create_endpoint(
            viewer=viewer_for(head), url=receiver.url, event_kinds=["task.done"]
        )
        for title in ("Аудит", "Семантика"):
            task = create_task(viewer=viewer_for(sergey), project=project, title=title)
            with django_capture_on_commit_callbacks(execute=True):
                complete_task(viewer=viewer_for(sergey), task=task)
        assert len(receiver.requests) == 2  # two first tries, both 500
        while WebhookDelivery.objects.filter(state=WebhookDelivery.State.PENDING).exists():
            due = (
                WebhookDelivery.objects.filter(state=WebhookDelivery.State.PENDING)
                .order_by("next_attempt_at")
                .first()
            )
            clock.move_to(due.next_attempt_at)
            tasks.send_due_webhooks.call()
        assert len(receiver.requests) == 4

    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert endpoint.disabled_at is not None
    assert endpoint.consecutive_failures == 4
    assert set(WebhookDelivery.objects.values_list("state", flat=True)) == {"failed"}
    notice = Notification.objects.get(user=head, kind="webhook_disabled")
    assert receiver.url in notice.title

    # …and by e-mail, with the other notifications, once they stop coming.
    send_due_emails(now=START + timedelta(days=1))
    assert any(receiver.url in m.subject or receiver.url in m.body for m in mail.outbox)
    assert all(head.email in m.to for m in mail.outbox if receiver.url in m.body)


def test_an_endpoint_that_is_off_gets_nothing_until_it_is_on_again(
    head, sergey, project, django_capture_on_commit_callbacks
):
    viewer = viewer_for(head)
    with Receiver(200) as receiver:
        endpoint, _secret = webhooks.create_endpoint(
            viewer=viewer, url=receiver.url, event_kinds=["task.done"]
        )
        webhooks.change_endpoint(
            viewer=viewer,
            endpoint=endpoint,
            url=receiver.url,
            event_kinds=["task.done"],
            is_active=False,
        )
        task = create_task(viewer=viewer_for(sergey), project=project, title="Аудит")
        with django_capture_on_commit_callbacks(execute=True):
            complete_task(viewer=viewer_for(sergey), task=task)
        assert receiver.requests == []
        webhooks.change_endpoint(
            viewer=viewer,
            endpoint=endpoint,
            url=receiver.url,
            event_kinds=["task.done"],
            is_active=True,
        )
        task = create_task(viewer=viewer_for(sergey), project=project, title="Семантика")
        with django_capture_on_commit_callbacks(execute=True):
            complete_task(viewer=viewer_for(sergey), task=task)
        assert len(receiver.requests) == 1
