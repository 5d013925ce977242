"""Background jobs of the core app (Django Tasks API)."""

from __future__ import annotations

from django_tasks import task

from kabinet.core import services
from kabinet.jobs.periodic import slot_now


@task()
def send_notification_email(notification_id: int) -> str:
    return services.deliver_email(notification_id)


@task()
def retry_failed_emails(slot: str | None = None) -> int:
    """Periodic (kabinet/jobs/schedule.py): re-send e-mails whose retry time has come."""
    return services.retry_due_emails(slot_now(slot))
