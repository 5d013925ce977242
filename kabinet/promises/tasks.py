from __future__ import annotations

from django_tasks import task

from kabinet.jobs.periodic import slot_now
from kabinet.promises import services


@task()
def detect_promises(event_id: int) -> int:
    """Background variant of detection (the post_save hook runs it inline after commit)."""
    return len(services.detect_in_event(event_id))


@task()
def promise_clock(slot: str | None = None) -> dict:
    """Reminders, breaches and escalations; `slot` is "now" when the scheduler passes it."""
    result = services.run_clock(slot_now(slot))
    return {"soon": result.soon, "due": result.due, "broken": result.broken}
