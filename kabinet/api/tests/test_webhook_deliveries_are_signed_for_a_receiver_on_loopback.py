"""A head's endpoint gets a report as a signed POST that a receiver can check with its secret."""

from __future__ import annotations

from datetime import date

import pytest
from standardwebhooks import Webhook

from kabinet.api import webhooks
from kabinet.api.models import WebhookDelivery
from kabinet.api.testing import Receiver
from kabinet.core.scoping import viewer_for
from kabinet.timeline.services import EventDraft, publish


def report(title: str) -> EventDraft:
    return EventDraft(
        kind="report",
        title=title,
        body="Трафик вырос на 12%.",
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
    )


def test_signing_matches_the_standard_webhooks_example():
    # The example of the Standard Webhooks specification (secret, id, timestamp, body → signature).
    from datetime import UTC, datetime

    signature = webhooks.sign(
        secret="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        msg_id="msg_p5jXN8AQM9LWM0D4loKWxJek",
        timestamp=datetime.fromtimestamp(1614265330, tz=UTC),
        body='{"test": 2432232314}',
    )
    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


@pytest.mark.django_db(transaction=True)
def test_a_published_report_reaches_the_receiver_correctly_signed(head, sergey, project):
    with Receiver(200) as receiver:
        endpoint, secret = webhooks.create_endpoint(
            viewer=viewer_for(head), url=receiver.url, event_kinds=["report.published"]
        )
        assert secret.startswith("whsec_")
        publish(
            viewer=viewer_for(sergey),
            project=project,
            draft=report("Отчёт за ноябрь"),
        )
        assert len(receiver.requests) == 1
        request = receiver.requests[0]
        payload = receiver.verify(request, secret)
        # …and the maintained library agrees, as a receiver using it would check.
        Webhook(secret).verify(request["body"], request["headers"])
    assert payload["type"] == "report.published"
    assert payload["data"]["project"]["id"] == project.pk
    assert payload["data"]["event"]["title"] == "Отчёт за ноябрь"
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert request["headers"]["webhook-id"] == delivery.msg_id
    assert delivery.state == WebhookDelivery.State.DELIVERED
    assert [(t.number, t.status_code, t.succeeded) for t in delivery.tries.all()] == [
        (1, 200, True)
    ]


@pytest.mark.django_db(transaction=True)
def test_a_wrong_secret_does_not_verify(head, sergey, project):
    with Receiver(200) as receiver:
        webhooks.create_endpoint(
            viewer=viewer_for(head), url=receiver.url, event_kinds=["report.published"]
        )
        publish(
            viewer=viewer_for(sergey),
            project=project,
            draft=report("Отчёт"),
        )
        with pytest.raises(AssertionError, match="signature"):
            receiver.verify(receiver.requests[0], webhooks.new_secret())
