"""Background jobs of the questions app."""

from __future__ import annotations

from django_tasks import task

from kabinet.jobs.periodic import slot_now
from kabinet.questions import services


@task()
def check_sla(slot: str | None = None) -> int:
    """Warn about SLA clocks at 75 % and at breach (run periodically; once per cause).

    `slot` is "now" when the scheduler passes it (so simulated time works too).
    """
    return services.check_sla(now=slot_now(slot))
