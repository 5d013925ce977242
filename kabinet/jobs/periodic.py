"""Periodic jobs: `kabinet scheduler` enqueues each job of the schedule once per time slot.

The jobs themselves are listed in one place, `kabinet/jobs/schedule.py`.

A slot is `every` long, counted from a fixed epoch, so every scheduler process agrees on slot
boundaries. Claiming a slot is an INSERT into PeriodicRun under a unique (name, slot)
constraint: when two schedulers run at once, one insert wins and only the winner enqueues.
The claim and (on the database backend) the enqueued job commit in the same transaction, so a
scheduler killed between the two loses nothing. Jobs themselves are idempotent as well.

Every periodic job is enqueued with `slot=<ISO instant>`, the start of its slot: that is "now"
for the job (read it with `slot_now(slot)`), which lets `kabinet scheduler --from/--until`
simulate time.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from kabinet.jobs.models import PeriodicRun

logger = logging.getLogger(__name__)

EPOCH = datetime(2000, 1, 3, tzinfo=UTC)  # a Monday: weekly slots start on Mondays


@dataclass(frozen=True)
class Periodic:
    """One line of the schedule: run `task` (a django_tasks Task) every `every`."""

    name: str
    every: timedelta
    task: Any

    def __post_init__(self) -> None:
        if self.every < timedelta(minutes=1):
            raise ValueError(f"{self.name}: periodic jobs run at most once a minute")
        func = getattr(self.task, "func", None)
        if func is None or "slot" not in inspect.signature(func).parameters:
            raise ValueError(
                f"{self.name}: a periodic job is a @task() taking `slot: str | None = None`"
            )


def registered() -> list[Periodic]:
    """The schedule (kabinet/jobs/schedule.py), sorted by name."""
    from kabinet.jobs.schedule import SCHEDULE

    names = [job.name for job in SCHEDULE]
    if len(names) != len(set(names)):
        raise ValueError("two periodic jobs share a name in kabinet/jobs/schedule.py")
    return sorted(SCHEDULE, key=lambda job: job.name)


def slot_of(at: datetime, every: timedelta) -> datetime:
    """Start of the slot `at` falls into."""
    return EPOCH + ((at - EPOCH) // every) * every


def slot_now(slot: str | None) -> datetime:
    """The "now" of a periodic job: its slot when given, else the current time."""
    return datetime.fromisoformat(slot) if slot else timezone.now()


def claim(name: str, slot: datetime) -> bool:
    """Insert the (name, slot) row; False when another scheduler already has it."""
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(name=name, slot=slot)
    except IntegrityError:
        return False
    return True


def run_due(
    now: datetime | None = None,
    only: set[str] | None = None,
    schedule: Iterable[Periodic] | None = None,
) -> list[tuple[str, datetime]]:
    """Enqueue every job of the schedule (or those named in `only`) whose current slot is not yet
    claimed. Returns what was enqueued."""
    now = now or timezone.now()
    enqueued: list[tuple[str, datetime]] = []
    for job in registered() if schedule is None else schedule:
        if only is not None and job.name not in only:
            continue
        slot = slot_of(now, job.every)
        try:
            with transaction.atomic():
                if not claim(job.name, slot):
                    continue
                result = job.task.enqueue(slot=slot.isoformat())
                PeriodicRun.objects.filter(name=job.name, slot=slot).update(
                    task_result_id=str(result.id)[:64]
                )
        except Exception:  # one broken job must not stop the others
            logger.exception("periodic job %s could not be enqueued", job.name)
            continue
        enqueued.append((job.name, slot))
    # Claims are only needed while two schedulers could still race for the slot.
    try:
        PeriodicRun.objects.filter(slot__lt=now - timedelta(days=7)).delete()
    except OperationalError:  # e.g. SQLite busy with the other scheduler: prune next time
        pass
    return enqueued


__all__ = ["Periodic", "claim", "registered", "run_due", "slot_now", "slot_of"]
