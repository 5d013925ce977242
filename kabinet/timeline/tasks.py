"""Background jobs of the chronology (Django Tasks API)."""

from __future__ import annotations

from django_tasks import task

from kabinet.jobs.periodic import slot_now
from kabinet.timeline import notices


@task()
def remind_pending_decisions(slot: str | None = None) -> int:
    """Periodic, hourly: remind clients of decisions that wait (kabinet.timeline.notices)."""
    return notices.remind_pending_decisions(slot_now(slot))
