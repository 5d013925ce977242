"""The daily job stores one snapshot per project and company per day, and a client below the
threshold or dropping fast gets its account manager a task — once per cause."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from kabinet.health.models import UnderstandingSnapshot
from kabinet.health.understanding import alarms, take_snapshots
from kabinet.lib.business_calendar import DEFAULT_TZ as MSK
from kabinet.timeline.models import Kind
from kabinet.timeline.services import record_event
from kabinet.work.models import Task

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=MSK)


@pytest.fixture(autouse=True)
def _settings(agency):
    """Alarms below 6, or on a fall of 1 point in a week (the mechanism, not the defaults)."""
    from kabinet.health.models import UnderstandingSettings

    return UnderstandingSettings.objects.create(agency=agency, threshold=6, drop_points=1)


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    from django.utils import timezone

    state = {"now": NOW}
    monkeypatch.setattr(timezone, "now", lambda: state["now"])
    return state


def _update(project, author, at):
    record_event(project=project, kind=Kind.MESSAGE, title="Новости", author=author, occurred_at=at)


def test_running_the_job_twice_on_a_day_keeps_one_row_per_project_and_company(
    project, other_project, sergey
):
    _update(project, sergey, NOW - timedelta(days=1))
    assert take_snapshots(project.agency, NOW) == 4
    assert take_snapshots(project.agency, NOW + timedelta(hours=3)) == 4
    rows = UnderstandingSnapshot.objects.filter(day=NOW.date())
    assert rows.count() == 4
    mine = rows.get(project=project)
    assert set(mine.components) >= {"silence", "expectation"}
    assert float(mine.index) > float(rows.get(project=other_project).index)


def test_a_silent_client_raises_one_task_for_its_manager_per_episode(project, sergey, _clock):
    _update(project, sergey, NOW - timedelta(days=30))
    for day in range(3):  # the dip lasts three days: one cause, one task
        _clock["now"] = NOW + timedelta(days=day)
        take_snapshots(project.agency, _clock["now"])
    tasks = Task.objects.filter(dedupe_key__startswith="understanding:")
    assert tasks.count() == 1
    task = tasks.get()
    assert task.assignee == sergey
    assert task.project == project
    assert "ТехноДом" in task.title
    (alarm,) = alarms(project.agency, (NOW + timedelta(days=2)).date())
    assert alarm.since == NOW.date()
    assert alarm.moved[0]["key"] == "silence"


def test_a_fast_drop_is_its_own_cause_with_the_components_that_moved(
    project, sergey, _clock, _settings
):
    _settings.threshold = 0  # only drops
    _settings.save()
    _update(project, sergey, NOW - timedelta(days=1))
    take_snapshots(project.agency, NOW)
    _clock["now"] = NOW + timedelta(days=7)  # silence: seven days, five of them business days
    _update(project, sergey, NOW - timedelta(days=1))
    UnderstandingSnapshot.objects.filter(day=NOW.date()).update(index=10)
    take_snapshots(project.agency, _clock["now"])
    found = alarms(project.agency, _clock["now"].date())
    assert len(found) == 1 and found[0].kind == "drop"
    assert Task.objects.filter(dedupe_key__startswith="understanding:drop:").count() == 1


def test_a_client_above_the_threshold_raises_nothing(project, sergey):
    _update(project, sergey, NOW - timedelta(hours=2))
    take_snapshots(project.agency, NOW)
    assert alarms(project.agency, NOW.date()) == []
    assert not Task.objects.filter(dedupe_key__startswith="understanding:").exists()
