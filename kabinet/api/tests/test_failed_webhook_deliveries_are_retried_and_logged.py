"""A receiver that answers 500 is tried again after 5 s, then 5 min…; the log shows every try."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import time_machine

from kabinet.api import tasks, webhooks
from kabinet.api.models import WebhookDelivery
from kabinet.api.testing import Receiver
from kabinet.core.scoping import viewer_for
from kabinet.timeline.services import EventDraft, publish

START = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def publish_report(sergey, project, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(
            viewer=viewer_for(sergey),
            project=project,
            draft=EventDraft(
                kind="report",
                title="Отчёт за ноябрь",
                period_start=date(2026, 11, 1),
                period_end=date(2026, 11, 30),
            ),
        )


def test_a_failing_receiver_is_retried_with_backoff_until_it_answers(
    head, sergey, project, django_capture_on_commit_callbacks, login
):
    with Receiver([500, 500, 200]) as receiver, time_machine.travel(START, tick=False) as clock:
        endpoint, secret = webhooks.create_endpoint(
            viewer=viewer_for(head), url=receiver.url, event_kinds=["report.published"]
        )
        publish_report(sergey, project, django_capture_on_commit_callbacks)
        delivery = WebhookDelivery.objects.get(endpoint=endpoint)
        assert delivery.state == WebhookDelivery.State.PENDING
        assert delivery.next_attempt_at == START + timedelta(seconds=5)
        assert tasks.send_due_webhooks.call() == 0  # not due yet: nothing is sent early

        clock.move_to(START + timedelta(seconds=5))
        assert tasks.send_due_webhooks.call() == 1
        delivery.refresh_from_db()
        assert delivery.next_attempt_at == START + timedelta(seconds=5) + timedelta(minutes=5)

        clock.move_to(delivery.next_attempt_at)
        assert tasks.send_due_webhooks.call() == 1
        # Every try carried the same id, each with its own fresh timestamp and signature.
        assert len({r["headers"]["webhook-id"] for r in receiver.requests}) == 1
        assert [r["headers"]["webhook-timestamp"] for r in receiver.requests] == [
            str(int(START.timestamp())),
            str(int(START.timestamp()) + 5),
            str(int(START.timestamp()) + 5 + 300),
        ]
        receiver.verify(receiver.requests[-1], secret)

    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.State.DELIVERED
    tries = list(delivery.tries.order_by("number"))
    assert [(t.number, t.status_code, t.succeeded) for t in tries] == [
        (1, 500, False),
        (2, 500, False),
        (3, 200, True),
    ]
    assert [t.next_attempt_at for t in tries] == [
        START + timedelta(seconds=5),
        START + timedelta(seconds=5, minutes=5),
        None,
    ]
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0 and endpoint.is_active

    page = login(head).get(f"/agency/webhooks/{endpoint.pk}/")
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="try"') == 3


def test_a_receiver_that_cannot_be_reached_is_logged_with_the_error(
    head, sergey, project, django_capture_on_commit_callbacks
):
    with Receiver(200) as receiver:
        url = receiver.url  # the port is closed again once the receiver stops
    endpoint, _secret = webhooks.create_endpoint(
        viewer=viewer_for(head), url=url, event_kinds=["report.published"]
    )
    publish_report(sergey, project, django_capture_on_commit_callbacks)
    attempt = WebhookDelivery.objects.get(endpoint=endpoint).tries.get()
    assert not attempt.succeeded and attempt.status_code is None
    assert "ConnectError" in attempt.error
    assert attempt.next_attempt_at is not None
