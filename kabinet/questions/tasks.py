"""Background jobs of the questions app."""

from __future__ import annotations

from django_tasks import task

from kabinet.questions import services


@task()
def check_sla() -> int:
    """Warn about SLA clocks at 75 % and at breach (run periodically; once per cause)."""
    return services.check_sla()
