"""Periodic jobs of the health app (listed in kabinet/jobs/schedule.py)."""

from __future__ import annotations

from django_tasks import task

from kabinet.health import services
from kabinet.jobs.periodic import slot_now


@task()
def sync_kpis(slot: str | None = None) -> dict:
    """Pull the last days of every active connection whose next attempt has come. Idempotent:
    points are upserted by (metric, date), so running twice changes nothing."""
    from kabinet.core.models import Agency

    now = slot_now(slot)
    ok = failed = 0
    for agency in Agency.objects.order_by("pk"):  # one agency's connections at a time
        for connection in services.due_connections(now=now, agency=agency):
            outcome = services.sync_connection(connection=connection, now=now)
            ok, failed = (ok + 1, failed) if outcome.ok else (ok, failed + 1)
    return {"ok": ok, "failed": failed}


@task()
def store_flags(slot: str | None = None) -> dict:
    """Compute the managers' flags once a day, store them and tell each manager once per cause."""
    result = services.store_flags(now=slot_now(slot))
    return {"raised": result.raised, "kept": result.kept, "resolved": result.resolved}


@task()
def draft_weekly_digests(slot: str | None = None) -> dict:
    """Periodic, hourly: each project's digest of the week that ended, once (from Monday morning,
    agency time); sent at once for client companies that opted in (kabinet.health.digests)."""
    from kabinet.health.digests.services import draft_due_digests

    return draft_due_digests(now=slot_now(slot))


@task()
def understanding_snapshots(slot: str | None = None) -> int:
    """Daily: every project's and client company's understanding index, and its alarms."""
    from kabinet.health.understanding import take_all_snapshots

    return take_all_snapshots(slot_now(slot))
