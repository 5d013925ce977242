from __future__ import annotations

from django_tasks import task

from kabinet.jobs.periodic import slot_now
from kabinet.promises import services


@task()
def detect_promises(event_id: int, version: str | None = None) -> int:
    """Read one version of a staff text for promises (enqueued by the service that wrote it, on
    commit). Idempotent per text version: a second run, or a run for an outdated version, does
    nothing."""
    return len(services.detect_in_event(event_id=event_id, version=version))


@task()
def escalate_proposals(slot: str | None = None) -> int:
    """Proposals left unanswered for a business day go to the project's manager, once."""
    return services.escalate_unconfirmed_proposals(now=slot_now(slot))


@task()
def promise_clock(slot: str | None = None) -> dict:
    """Reminders, breaches and escalations; `slot` is "now" when the scheduler passes it."""
    result = services.run_clock(now=slot_now(slot))
    return {"soon": result.soon, "due": result.due, "broken": result.broken}
