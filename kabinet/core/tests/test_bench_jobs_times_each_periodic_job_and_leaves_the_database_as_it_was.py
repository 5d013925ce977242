"""`kabinet bench jobs` runs every periodic job twice (the second time with nothing changed),
writes ms, queries and rows written per job, and leaves the database as it was."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kabinet.core.models import Notification
from kabinet.jobs.periodic import registered
from kabinet.questions.models import SlaPolicy
from kabinet.questions.tests.helpers import ask, msk


def test_every_job_is_measured_twice_and_nothing_is_kept(marina, sergey, project, tmp_path):
    SlaPolicy.objects.create(
        agency=project.agency, first_response_hours=2, next_response_hours=4, resolution_hours=40
    )
    ask(marina, project, at=msk(2026, 11, 23, 10, 0))
    out = tmp_path / "jobs.json"

    call_command(
        "bench", "jobs", "--at", "2026-11-23T13:00:00+03:00", "--out", str(out), stdout=StringIO()
    )

    data = json.loads(out.read_text())
    assert data["database"] and data["events"] >= 1
    assert set(data["jobs"]) == {job.name for job in registered()}
    sla = data["jobs"]["questions.sla_warnings"]  # the breach, to Sergey
    assert sla["rows_changed"] == 1 and sla["again"]["rows_changed"] == 0
    for figures in data["jobs"].values():
        assert {"ms", "queries", "rows_changed", "again"} <= set(figures)
    assert not Notification.objects.filter(kind__startswith="sla_").exists()


def test_an_unknown_job_or_a_naive_instant_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="unknown job"):
        call_command("bench", "jobs", "--only", "work.nothing", "--out", str(tmp_path / "x.json"))
    with pytest.raises(CommandError, match="time zone"):
        call_command("bench", "jobs", "--at", "2026-11-23T13:00", "--out", str(tmp_path / "x.json"))


def test_the_rows_of_a_bulk_insert_are_counted_on_either_database(project):
    """PostgreSQL's bulk insert sends a column per array (INSERT … SELECT * FROM UNNEST), SQLite
    a row per VALUES tuple: both are counted by their rows."""
    from django.db import connection

    from kabinet.benchmarks.jobs import _Counter
    from kabinet.timeline.models import Event

    counter = _Counter()
    with connection.execute_wrapper(counter):
        Event.objects.bulk_create(
            Event(agency=project.agency, project=project, kind="note", title=f"n{i}")
            for i in range(3)
        )

    assert counter.rows == 3
