"""Background jobs of the core app (Django Tasks API)."""

from __future__ import annotations

from django_tasks import task

from kabinet.core import services


@task()
def send_notification_email(notification_id: int) -> str:
    return services.deliver_email(notification_id)


@task()
def retry_failed_emails() -> int:
    return services.retry_due_emails()
