"""Background jobs of the work app (Django Tasks API). Every job is idempotent; the periodic
ones are listed in kabinet/jobs/schedule.py."""

from __future__ import annotations

from django_tasks import task

from kabinet.jobs.periodic import slot_now
from kabinet.work import rules, services


@task()
def run_rules(slot: str | None = None) -> int:
    """Evaluate every enabled automation rule of every agency."""
    return rules.run_all_rules(slot_now(slot))


@task()
def generate_recurring(slot: str | None = None) -> int:
    """Create the tasks of recurring work that comes due soon."""
    return services.generate_all_occurrences(now=slot_now(slot))
