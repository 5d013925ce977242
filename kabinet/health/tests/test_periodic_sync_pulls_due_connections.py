"""The periodic job (`health.kpi_sync`) pulls every active connection whose next attempt has come."""

from __future__ import annotations

from datetime import timedelta

from kabinet.health import tasks
from kabinet.health.models import Connection
from kabinet.jobs.schedule import SCHEDULE


def test_the_job_is_in_the_one_schedule():
    assert {p.name for p in SCHEDULE} >= {"health.kpi_sync", "health.flags"}


def test_the_job_pulls_due_connections_and_skips_the_others(replay, connect, pull_at, stored):
    due = connect("ga4")
    waiting = connect("yandex_metrica")
    Connection.objects.filter(pk=waiting.pk).update(next_retry_at=pull_at + timedelta(hours=1))
    off = connect("google_ads")
    Connection.objects.filter(pk=off.pk).update(active=False)
    replay.add(200, "ga4_report.json")
    result = tasks.sync_kpis.call(slot=pull_at.isoformat())
    assert result == {"ok": 1, "failed": 0}
    assert len(replay.requests) == 1
    assert replay.requests[0].url.host == "analyticsdata.googleapis.com"
    due.refresh_from_db()
    assert due.state == Connection.State.OK
    assert len(stored("conversions")) == 7


def test_a_second_run_in_the_same_hour_pulls_nothing(replay, connect, pull_at):
    connect("ga4")
    replay.add(200, "ga4_report.json")
    tasks.sync_kpis.call(slot=pull_at.isoformat())
    again = tasks.sync_kpis.call(slot=(pull_at + timedelta(minutes=30)).isoformat())
    assert again == {"ok": 0, "failed": 0}
