"""The two outboxes' sweeps (webhook deliveries, notification e-mails and digests) go one agency at
a time: a run that finds nothing due reads the agencies, then makes one query per agency —
whether 5 or 50 items wait (not yet due), and whatever agency they wait in."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kabinet.api import webhooks
from kabinet.api.models import WebhookDelivery, WebhookEndpoint
from kabinet.core.models import Agency, Notification
from kabinet.core.services import send_digests, send_due_emails


def waiting(count: int, agencies: list[Agency], people: list, now) -> None:
    """`count` items in each outbox, spread over the agencies, none of them due yet."""
    E = Notification.EmailState
    for i in range(count):
        agency, person = agencies[i % 2], people[i % 2]
        endpoint, _ = WebhookEndpoint.objects.get_or_create(
            agency=agency, url="https://hooks.example/in", defaults={"secret": "whsec_x"}
        )
        WebhookDelivery.objects.create(
            agency=agency,
            endpoint=endpoint,
            msg_id=f"msg_{agency.pk}_{i}_{WebhookDelivery.objects.count()}",
            kind="task.done",
            body="{}",
            next_attempt_at=now + timedelta(minutes=5),
        )
        for extra in (
            {"email_state": E.PENDING, "created_at": now},  # still coming in
            {"email_state": E.FAILED, "email_next_try_at": now + timedelta(minutes=4)},
            {"email_state": E.SENDING, "email_sending_at": now, "email_attempt_id": f"n{i}"},
            {"email_state": E.DAILY, "created_at": now},  # after this morning's digest
        ):
            Notification.objects.create(agency=agency, user=person, kind="t", title="t", **extra)


def counted(now) -> list[tuple[int, int]]:
    """(result, queries) of each sweep."""
    out = []
    for sweep in (webhooks.send_due, send_due_emails, send_digests):
        with CaptureQueriesContext(connection) as queries:
            result = sweep(now=now)
        out.append((result, len(queries)))
    return out


def test_a_sweep_with_nothing_due_costs_one_query_per_agency_for_5_and_50_waiting(
    agency, stranger_agency, sergey, stranger
):
    now = timezone.now()
    agencies = [agency, stranger_agency]
    waiting(5, agencies, [sergey, stranger], now)
    with_5 = counted(now)
    waiting(45, agencies, [sergey, stranger], now)
    with_50 = counted(now)

    per_sweep = 1 + Agency.objects.count()  # the agencies, then one query per agency
    assert with_5 == with_50 == [(0, per_sweep)] * 3
    assert WebhookDelivery.objects.filter(state=WebhookDelivery.State.PENDING).count() == 50
