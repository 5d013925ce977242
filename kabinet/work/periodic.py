"""Periodic jobs: apps register them, `kabinet scheduler` enqueues each once per time slot.

A slot is `every` long, counted from a fixed epoch, so every scheduler process agrees on slot
boundaries. Claiming a slot is an INSERT into PeriodicRun under a unique (name, slot)
constraint: when two schedulers run at once, one insert wins and only the winner enqueues.
The claim and (on the database backend) the enqueued job commit in the same transaction, so a
scheduler killed between the two loses nothing. Jobs themselves are idempotent as well.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

EPOCH = datetime(2000, 1, 3, tzinfo=UTC)  # a Monday: weekly slots start on Mondays


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    task: Any  # a django_tasks Task
    pass_slot: bool = False


_registry: dict[str, PeriodicJob] = {}


def register_periodic(name: str, every: timedelta, task: Any, *, pass_slot: bool = False) -> None:
    """Run `task` every `every` (call from AppConfig.ready()).

    With pass_slot=True the task is enqueued with `slot=<ISO instant>` — the start of its slot,
    which is "now" for the job (and lets `kabinet scheduler --from/--until` simulate time).
    """
    if every < timedelta(minutes=1):
        raise ValueError("periodic jobs run at most once a minute")
    _registry[name] = PeriodicJob(name=name, every=every, task=task, pass_slot=pass_slot)


def registered() -> list[PeriodicJob]:
    return sorted(_registry.values(), key=lambda job: job.name)


def slot_of(at: datetime, every: timedelta) -> datetime:
    """Start of the slot `at` falls into."""
    return EPOCH + ((at - EPOCH) // every) * every


def claim(name: str, slot: datetime) -> bool:
    """Insert the (name, slot) row; False when another scheduler already has it."""
    from kabinet.work.models import PeriodicRun

    try:
        with transaction.atomic():
            PeriodicRun.objects.create(name=name, slot=slot)
    except IntegrityError:
        return False
    return True


def run_due(now: datetime | None = None, only: set[str] | None = None) -> list[tuple[str, datetime]]:
    """Enqueue every registered job (or those named in `only`) whose current slot is not yet
    claimed. Returns what was enqueued."""
    from kabinet.work.models import PeriodicRun

    now = now or timezone.now()
    enqueued: list[tuple[str, datetime]] = []
    for job in registered():
        if only is not None and job.name not in only:
            continue
        slot = slot_of(now, job.every)
        try:
            with transaction.atomic():
                if not claim(job.name, slot):
                    continue
                kwargs = {"slot": slot.isoformat()} if job.pass_slot else {}
                result = job.task.enqueue(**kwargs)
                PeriodicRun.objects.filter(name=job.name, slot=slot).update(task_result_id=str(result.id)[:64])
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


def slot_now(slot: str | None) -> datetime:
    """The "now" of a periodic job: its slot when given, else the current time."""
    return datetime.fromisoformat(slot) if slot else timezone.now()


__all__ = ["PeriodicJob", "claim", "register_periodic", "registered", "run_due", "slot_now", "slot_of"]
