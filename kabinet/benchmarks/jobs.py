"""Periodic jobs on the data that is there: ``kabinet bench jobs``.

Runs every job of the schedule (kabinet/jobs/schedule.py) once against the configured database
(``DATABASE_URL``) and then a second time right after, when nothing has changed: the first run
does what has accumulated, the second must be cheap. Each job runs inside a transaction that is
rolled back at the end, so the database is left as it was and the bench can be repeated; e-mail
goes to Django's in-memory outbox and work enqueued on commit is never enqueued (nothing commits).

For each job it records wall time, SQL queries and rows written (the sum of the row counts of the
INSERT, UPDATE and DELETE statements). Writes ``var/bench/jobs.json``::

    {"database": "sqlite", "events": 100000,
     "jobs": {NAME: {"ms", "queries", "rows_changed", "again": {"ms", "queries", "rows_changed"}}}}

Nothing is asserted: the figures go to BENCHMARKS.md.
"""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path
from typing import Any

WRITES = ("INSERT", "UPDATE", "DELETE")


class _Rollback(Exception):
    pass


def add_arguments(parser) -> None:
    parser.add_argument("--only", default="", help="comma-separated job names (default: all)")
    parser.add_argument(
        "--at", default="", help="ISO instant the jobs run at (default: now, as a slot)"
    )
    parser.add_argument("--out", default="var/bench/jobs.json")


class _Counter:
    def __init__(self) -> None:
        self.queries = 0
        self.rows = 0

    def __call__(self, execute, sql, params, many, context):
        self.queries += 1
        result = execute(sql, params, many, context)
        verb = sql.lstrip()[:6].upper()
        if verb in WRITES:
            rowcount = getattr(context.get("cursor"), "rowcount", -1)
            if verb == "INSERT" and " UNNEST(" in sql.upper() and params:
                # PostgreSQL's bulk insert sends one array per column: its length is the rows
                self.rows += len(params[0])
            elif verb == "INSERT" and " RETURNING " in sql.upper():
                # SQLite gives no row count for INSERT … RETURNING: count the rows inserted
                self.rows += len(params) if many else sql.count("), (") + 1
            elif rowcount is not None and rowcount > 0:
                self.rows += rowcount
        return result


def _once(job, slot: str) -> dict[str, Any]:
    from django.db import connection

    counter = _Counter()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        job.task.func(slot=slot)
    return {
        "ms": round((time.perf_counter() - started) * 1000, 1),
        "queries": counter.queries,
        "rows_changed": counter.rows,
    }


def measure_job(job, slot: str) -> dict[str, Any]:
    """First and second run of one job, both rolled back."""
    from django.db import transaction

    row: dict[str, Any] = {}
    try:
        with transaction.atomic():
            row.update(_once(job, slot))
            row["again"] = _once(job, slot)
            raise _Rollback
    except _Rollback:
        pass
    return row


def measure(only: set[str] | None = None, at: str = "") -> dict[str, Any]:
    from datetime import datetime

    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment
    from django.utils import timezone

    from kabinet.jobs.periodic import registered, slot_of
    from kabinet.timeline.models import Event

    now = datetime.fromisoformat(at) if at else timezone.now()
    try:
        setup_test_environment()  # e-mail kept in memory
        ours = True
    except RuntimeError:
        ours = False
    jobs: dict[str, Any] = {}
    try:
        for job in registered():
            if only and job.name not in only:
                continue
            jobs[job.name] = measure_job(job, slot_of(now, job.every).isoformat())
    finally:
        if ours:
            teardown_test_environment()
    return {
        "database": connection.vendor,
        "events": Event.objects.count(),
        "at": now.isoformat(),
        "jobs": jobs,
        "python": platform.python_version(),
        "load_average": list(os.getloadavg()),
    }


def run(options: dict[str, Any], stdout) -> int:
    out = Path(options.get("out") or "var/bench/jobs.json")
    only = {n.strip() for n in (options.get("only") or "").split(",") if n.strip()} or None
    at = options.get("at") or ""
    if at:
        try:
            from datetime import datetime

            if datetime.fromisoformat(at).tzinfo is None:
                raise ValueError
        except ValueError:
            raise SystemExit("--at must be an ISO instant with a time zone") from None
    if only:
        from kabinet.jobs.periodic import registered

        unknown = only - {job.name for job in registered()}
        if unknown:
            raise SystemExit(f"unknown job(s): {', '.join(sorted(unknown))}")
    data = measure(only=only, at=at)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    stdout.write(
        f"Periodic jobs on {data['database']}, {data['events']:,} events "
        f"(load average {data['load_average'][0]:.1f}); second run = nothing changed\n"
    )
    stdout.write(
        f"{'job':30} {'ms':>9} {'queries':>8} {'rows':>7} | {'again ms':>9} {'queries':>8} "
        f"{'rows':>6}\n"
    )
    for name, row in data["jobs"].items():
        a = row["again"]
        stdout.write(
            f"{name:30} {row['ms']:>9} {row['queries']:>8} {row['rows_changed']:>7} | "
            f"{a['ms']:>9} {a['queries']:>8} {a['rows_changed']:>6}\n"
        )
    stdout.write(f"written to {out}\n")
    return 0
