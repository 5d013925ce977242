"""kabinet/jobs/schedule.py is the one list of periodic jobs; each line is checked when it is built."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django_tasks import task

from kabinet.jobs.periodic import Periodic, registered


@task()
def without_slot() -> None:
    pass


@task()
def with_slot(slot: str | None = None) -> None:
    pass


def test_the_schedule_holds_every_periodic_job_of_the_domain_apps():
    jobs = {job.name: job for job in registered()}

    assert set(jobs) == {
        "api.webhooks",
        "core.notification_emails",
        "core.notification_digests",
        "health.kpi_sync",
        "health.flags",
        "health.weekly_digests",
        "health.understanding",
        "jobs.redrive",
        "planning.replan_all",
        "promises.clock",
        "promises.escalate_proposals",
        "questions.sla_warnings",
        "timeline.decision_reminders",
        "timeline.purge_staged",
        "work.recurring",
        "work.rules",
    }
    for name, job in jobs.items():
        app = name.split(".")[0]
        assert job.task.module_path.startswith(f"kabinet.{app}.tasks."), name


def test_a_periodic_job_must_take_its_slot():
    with pytest.raises(ValueError, match="taking `slot"):
        Periodic("test.no_slot", every=timedelta(hours=1), task=without_slot)


def test_a_periodic_job_runs_at_most_once_a_minute():
    with pytest.raises(ValueError, match="at most once a minute"):
        Periodic("test.too_often", every=timedelta(seconds=30), task=with_slot)


def test_no_app_but_jobs_hosts_the_background_machinery():
    from pathlib import Path

    package = Path(__file__).resolve().parents[2]
    commands = {p.stem for p in package.glob("*/management/commands/*.py") if p.stem != "__init__"}
    hosts = {
        p.parts[-4]
        for p in package.glob("*/management/commands/*.py")
        if p.stem in {"worker", "scheduler", "run"}
    }

    assert {"worker", "scheduler", "run"} <= commands
    assert hosts == {"jobs"}
    assert [p.parent.name for p in package.glob("*/periodic.py")] == ["jobs"]
