"""Background jobs: replan an agency when its tasks changed (coalesced), and every hour."""

from __future__ import annotations

from django_tasks import task


@task()
def replan_agency(agency_id: int) -> str:
    """Replan if the agency's plan is dirty; the flag makes many enqueues one run."""
    from kabinet.planning.services import replan_if_dirty

    run = replan_if_dirty(agency_id=agency_id, reason="tasks changed")
    return f"run {run.pk}" if run is not None else "coalesced"


@task()
def replan_all_agencies(slot: str | None = None) -> int:
    """Periodic (kabinet/jobs/schedule.py): the clock moves, so slack shrinks and forecasts age
    even when nothing changes. Plans are always computed for the current time, not the slot."""
    from kabinet.planning.services import replan_all

    return replan_all(reason="periodic")
