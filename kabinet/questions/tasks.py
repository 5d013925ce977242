"""Background jobs of the questions app."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from kabinet.questions import services


@task()
def check_sla(slot: str | None = None) -> int:
    """Warn about SLA clocks at 75 % and at breach (run periodically; once per cause).

    `slot` is "now" when the scheduler passes it (so simulated time works too).
    """
    return services.check_sla(datetime.fromisoformat(slot) if slot else None)
