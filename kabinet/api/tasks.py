"""Background jobs of the api app (Django Tasks API): webhook deliveries."""

from __future__ import annotations

from django_tasks import task

from kabinet.api import webhooks
from kabinet.jobs.periodic import slot_now


@task()
def deliver_webhook(delivery_id: int, agency_id: int | None = None) -> str | None:
    """One try of one delivery, enqueued when its event commits (and for its retries), with its
    agency (a job enqueued before the agency was passed reads it from the row)."""
    return webhooks.attempt(delivery_id=delivery_id, agency_id=agency_id)


@task()
def send_due_webhooks(slot: str | None = None) -> int:
    """Periodic, every minute: retries that are due, and any first try whose job was lost."""
    return webhooks.send_due(now=slot_now(slot))
