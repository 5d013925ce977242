"""How the background machinery is doing, for the `/health/` endpoint: reads only.

Each check answers `{"ok": bool, ...}` with counts and ages, never hostnames, URLs or error
texts (the endpoint needs no login).
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from kabinet.jobs import periodic, recovery
from kabinet.jobs.models import PeriodicRun, WorkerHeartbeat

logger = logging.getLogger(__name__)


def backend() -> str:
    path = settings.TASKS["default"]["BACKEND"]
    if path.startswith("django_tasks_rq"):
        return "rq"
    if path.startswith("django_tasks_db"):
        return "database"
    return "immediate"


def scheduler_max_lag() -> timedelta:
    return timedelta(seconds=float(os.environ.get("HEALTH_SCHEDULER_MAX_LAG_SECONDS", "180")))


def database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("health: database unreachable")
        return {"ok": False}
    return {"ok": True}


def queue() -> dict[str, Any]:
    kind = backend()
    try:
        if kind == "rq":
            import django_rq

            waiting = 0
            for name in settings.RQ_QUEUES:
                q = django_rq.get_queue(name)
                q.connection.ping()
                waiting += len(q)
        elif kind == "database":
            from django_tasks.base import TaskResultStatus
            from django_tasks_db.models import DBTaskResult

            waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()
        else:
            waiting = 0
    except Exception:
        logger.exception("health: queue unreachable")
        return {"ok": False, "backend": kind}
    return {"ok": True, "backend": kind, "waiting": waiting}


def _age(seen: datetime | None, now: datetime) -> int | None:
    return None if seen is None else max(0, int((now - seen).total_seconds()))


def worker(now: datetime | None = None) -> dict[str, Any]:
    """A live worker: a heartbeat younger than WORK_WORKER_STALE_SECONDS."""
    now = now or timezone.now()
    kind = backend()
    if kind == "immediate":
        return {"ok": True, "needed": False}
    try:
        if kind == "rq":
            import django_rq
            from rq.worker import Worker

            conn = django_rq.get_queue(next(iter(settings.RQ_QUEUES))).connection
            beats = [w.last_heartbeat for w in Worker.all(connection=conn) if w.last_heartbeat]
            last = max(beats) if beats else None
            if last is not None and timezone.is_naive(last):
                last = last.replace(tzinfo=UTC)
        else:
            last = WorkerHeartbeat.objects.aggregate(last=Max("seen_at"))["last"]
    except Exception:
        logger.exception("health: worker heartbeat unreadable")
        return {"ok": False}
    age = _age(last, now)
    return {
        "ok": age is not None and age <= recovery.stale_after().total_seconds(),
        "last_heartbeat_seconds": age,
    }


def scheduler(now: datetime | None = None) -> dict[str, Any]:
    """Lag: how long the oldest due, unclaimed slot of the schedule has been waiting."""
    now = now or timezone.now()
    try:
        claimed = dict(
            PeriodicRun.objects.values("name")
            .annotate(last=Max("slot"))
            .values_list("name", "last")
        )
    except Exception:
        logger.exception("health: scheduler runs unreadable")
        return {"ok": False}
    lag = timedelta(0)
    for job in periodic.registered():
        due = periodic.slot_of(now, job.every)
        last = claimed.get(job.name)
        if last is None or last < due:
            lag = max(lag, now - due)
    return {"ok": lag <= scheduler_max_lag(), "lag_seconds": int(lag.total_seconds())}


def report(now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    checks = {"database": database()}
    if checks["database"]["ok"]:
        checks |= {"queue": queue(), "worker": worker(now), "scheduler": scheduler(now)}
    else:
        checks |= {"queue": {"ok": False}, "worker": {"ok": False}, "scheduler": {"ok": False}}
    healthy = all(check["ok"] for check in checks.values())
    return {"status": "ok" if healthy else "unhealthy", "checks": checks}
