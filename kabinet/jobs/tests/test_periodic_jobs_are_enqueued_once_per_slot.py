from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django_tasks import task

from kabinet.jobs import periodic
from kabinet.jobs.models import PeriodicRun
from kabinet.jobs.periodic import Periodic

calls: list[str | None] = []


@task()
def record_slot(slot: str | None = None) -> None:
    calls.append(slot)


def test_a_slot_is_enqueued_once_however_often_the_scheduler_ticks(db):
    schedule = [Periodic("test.hourly", every=timedelta(hours=1), task=record_slot)]
    calls.clear()
    at = datetime(2027, 3, 1, 10, 5, tzinfo=UTC)

    periodic.run_due(at, schedule=schedule)
    periodic.run_due(
        at + timedelta(minutes=30), schedule=schedule
    )  # same slot, e.g. a second scheduler
    periodic.run_due(at + timedelta(minutes=60), schedule=schedule)  # next slot

    assert calls == ["2027-03-01T10:00:00+00:00", "2027-03-01T11:00:00+00:00"]
    assert PeriodicRun.objects.filter(name="test.hourly").count() == 2


def test_a_claimed_slot_cannot_be_claimed_again(db):
    slot = datetime(2027, 3, 1, 10, tzinfo=UTC)

    assert periodic.claim("x", slot) is True
    assert periodic.claim("x", slot) is False
