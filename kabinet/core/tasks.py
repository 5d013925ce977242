"""Background jobs of the core app (Django Tasks API)."""

from __future__ import annotations

from django_tasks import task

from kabinet.core import services
from kabinet.jobs.periodic import slot_now


@task()
def send_notification_emails(slot: str | None = None) -> int:
    """Periodic, every minute: one e-mail per person whose notifications have stopped coming; retries."""
    return services.send_due_emails(now=slot_now(slot))


@task()
def send_notification_digests(slot: str | None = None) -> int:
    """Periodic, hourly: the morning digest of each person who chose "daily" for some topics."""
    return services.send_digests(now=slot_now(slot))
