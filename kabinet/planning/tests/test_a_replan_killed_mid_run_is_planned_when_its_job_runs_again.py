"""Fault injection: the worker running a replan is SIGKILLed before the plan is stored.

The plan stays dirty (the flag is cleared in the transaction that stores the plan, not when the
job starts), so the job — put back in the queue when the next worker starts — plans the change.
To kill it mid-run for certain, the test holds a lock on rows the plan's transaction must write
(the agency's forecasts) and kills while the job waits on it: that takes row locks, so this runs
in the PostgreSQL pass of the suite (as in .ci/run). On SQLite a lock would stop the job before
it starts.
"""

from __future__ import annotations

import pytest
from django.db import connection

from kabinet.jobs.testing import Forkserver, child_env, wait_for

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks (the PostgreSQL pass runs it)"
)

SETUP = """
from datetime import timedelta
from django.utils import timezone
from kabinet.clients.models import ClientCompany, Project
from kabinet.core.models import Agency, Membership, Role, User
from kabinet.planning.services import replan
from kabinet.work.services import create_task

agency = Agency.objects.create(slug="replan", name="Replan")
person = User.objects.create_user(email="sp@replan.test", full_name="Specialist")
Membership.objects.create(agency=agency, user=person, role=Role.SPECIALIST)
company = ClientCompany.objects.create(agency=agency, name="Client")
project = Project.objects.create(
    agency=agency, company=company, name="SEO", service="seo", start_date="2027-01-01"
)
due = timezone.now() + timedelta(days=5)
for n in range(4):
    create_task(viewer=None, project=project, title=f"task {n}", assignee=person,
                estimate_hours=2, due_at=due)
replan(agency=agency, reason="setup")
from django_tasks_db.models import DBTaskResult
DBTaskResult.objects.all().delete()  # the jobs of the setup's changes: planned above
create_task(viewer=None, project=project, title="the change", assignee=person,
            estimate_hours=2, due_at=due)  # dirty again; its replan job is queued
"""
LATEST = "select task_count from planning_planrun where finished_at is not null order by id desc"


def _hold_a_lock(fault_db):
    """An open transaction that blocks the plan's write; returns (connection, is the job
    waiting on it)."""
    import psycopg

    conn = psycopg.connect(fault_db.url.replace("postgres://", "postgresql://", 1))
    conn.execute("select id from planning_taskforecast for update").fetchall()
    waiting = (
        "select count(*) from pg_stat_activity"
        " where wait_event_type = 'Lock' and datname = current_database()"
    )
    return conn, lambda: fault_db.scalar(waiting) > 0


def test_a_replan_killed_mid_run_is_planned_when_its_job_runs_again(tmp_path, fault_db):
    env = child_env(tmp_path, DATABASE_URL=fault_db.url, TASKS_BACKEND="database")
    forks = Forkserver(env, tmp_path)
    try:
        forks.exec(SETUP)
        assert fault_db.query(LATEST)[0] == (4,)
        lock, waiting = _hold_a_lock(fault_db)
        try:
            worker = forks.start(["worker", "--interval", "0.1"])
            wait_for(waiting, timeout=60, what="the replan to wait for the plan's write")
            forks.kill(worker)
            forks.wait(worker)
        finally:
            lock.rollback()
            lock.close()
        assert fault_db.scalar("select dirty from planning_planrequest")  # not dropped

        assert forks.run(["worker", "--batch"]) == 0  # puts the job back, runs it
    finally:
        forks.close()

    assert not fault_db.scalar("select dirty from planning_planrequest")
    assert fault_db.query(LATEST)[0] == (5,)  # the change is planned
    statuses = "select status from django_tasks_database_dbtaskresult"
    assert {row[0] for row in fault_db.query(statuses)} == {"SUCCESSFUL"}
