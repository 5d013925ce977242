"""Fault injection: PostgreSQL goes away for several seconds under a working worker and scheduler.

The processes talk to PostgreSQL through a TCP proxy that the test cuts (every connection reset,
new ones refused) and restores. Neither process exits: they wait with backoff and resume; every
job runs to success exactly once in effect, none is left failed or running; the scheduler claims
slots again. Runs in the PostgreSQL pass of the suite (`make test` with DATABASE_URL, as in
.ci/run).
"""

from __future__ import annotations

import time

import pytest
from django.db import connection

from kabinet.jobs.testing import Forkserver, TcpProxy, child_env, upstream_of, wait_for

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a PostgreSQL outage (the PostgreSQL pass runs it)"
)

JOBS = 12
SETUP = f"""
from kabinet.core.models import Agency, User
from kabinet.jobs.tests.crash_jobs import note_after_a_while
Agency.objects.create(slug="outage", name="Outage")
User.objects.create_user(email="am@outage.test", full_name="AM")
for n in range({JOBS}):
    note_after_a_while.enqueue(n)
"""
RESULTS = "select status, count(*) from django_tasks_database_dbtaskresult group by status"


def test_a_postgresql_outage_stops_neither_worker_nor_scheduler_and_loses_no_job(
    tmp_path, fault_db
):
    proxy = TcpProxy(upstream_of(fault_db.url, 5432))
    env = child_env(tmp_path, DATABASE_URL=proxy.url(fault_db.url), TASKS_BACKEND="database")
    forks = Forkserver(env, tmp_path)
    try:
        forks.exec(SETUP)
        worker = forks.start(["worker", "--interval", "0.2"])
        scheduler = forks.start(["scheduler", "--tick", "0.5", "--only", "jobs.redrive"])
        notes = "select count(*) from core_notification where kind = 'outage'"
        wait_for(lambda: fault_db.scalar(notes) >= 3, timeout=60, what="the worker to get going")
        wait_for(
            lambda: fault_db.scalar("select count(*) from jobs_periodicrun"),
            timeout=60,
            what="the scheduler to claim a slot",
        )

        proxy.cut()
        during = fault_db.scalar(notes)
        fault_db.query("delete from jobs_periodicrun")  # so that the scheduler must claim again
        time.sleep(6)  # the outage
        assert forks.exit_code(worker) is None, "the worker exited during the outage"
        assert forks.exit_code(scheduler) is None, "the scheduler exited during the outage"
        proxy.restore()

        wait_for(
            lambda: dict(fault_db.query(RESULTS)) == {"SUCCESSFUL": JOBS + _redrives(fault_db)},
            timeout=90,
            what="every job to succeed after the outage",
        )
        wait_for(
            lambda: fault_db.scalar("select count(*) from jobs_periodicrun"),
            timeout=30,
            what="the scheduler to claim a slot again",
        )
        assert forks.exit_code(worker) is None and forks.exit_code(scheduler) is None
    finally:
        forks.close()
        proxy.close()

    assert during < JOBS  # the outage did cut the batch
    assert fault_db.scalar(notes) == JOBS
    assert "the database is away" in _logs(tmp_path, "worker")
    assert "Connection refused" in _logs(tmp_path, "scheduler")  # it did meet the outage


def _redrives(fault_db) -> int:
    return fault_db.scalar(
        "select count(*) from django_tasks_database_dbtaskresult where task_path like %s",
        "%redrive_lost_jobs",
    )


def _logs(tmp_path, name: str) -> str:
    return "".join(p.read_text() for p in tmp_path.glob(f"*-{name}.log"))
