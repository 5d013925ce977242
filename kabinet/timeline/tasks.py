"""Background jobs of the chronology (Django Tasks API)."""

from __future__ import annotations

from django_tasks import task

from kabinet.jobs.periodic import slot_now
from kabinet.timeline import notices, services


@task()
def remind_pending_decisions(slot: str | None = None) -> int:
    """Periodic, hourly: remind clients of decisions that wait (kabinet.timeline.notices)."""
    return notices.remind_pending_decisions(slot_now(slot))


@task()
def purge_staged_uploads(slot: str | None = None) -> int:
    """Periodic, hourly: delete files staged with a form that never succeeded, once expired."""
    return services.purge_staged_uploads(now=slot_now(slot))
