"""`kabinet health backtest`: the index as it stood 30 days before each departure against the
clients who stayed, ROC AUC overall and per component, proposed weights for the head."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kabinet.core.testing import make_company, make_project
from kabinet.health.models import UnderstandingSettings
from kabinet.timeline.models import Kind
from kabinet.timeline.services import record_event


@pytest.fixture
def history(agency, sergey, company, other_company):
    """Four clients; the two that go silent leave, the two kept informed stay."""
    today = timezone.localdate()
    tz = agency.calendar().tz
    start = today - timedelta(days=200)
    clients = [
        company,
        other_company,
        make_company(agency, "Мебель Плюс"),
        make_company(agency, "ЭкоФерма"),
    ]
    for i, c in enumerate(clients):
        project = make_project(c, f"SEO {i}", manager=sergey)
        project.start_date = start
        project.save()
        leaves = i >= 2
        for back in range(200, 0, -3):
            day = today - timedelta(days=back)
            if leaves and back < 90:
                continue  # the last three months before leaving: nothing
            record_event(
                project=project,
                kind=Kind.MESSAGE,
                title=f"Новости {back}",
                author=sergey,
                occurred_at=datetime.combine(day, time(12), tzinfo=tz),
            )
        if leaves:
            c.left_on = today - timedelta(days=20 + 10 * i)
            c.save()
    return clients


def test_the_backtest_writes_json_and_a_report_and_separates_the_silent(history, tmp_path, agency):
    out, report = tmp_path / "backtest.json", tmp_path / "backtest.md"
    call_command("health", "backtest", "--out", str(out), "--report", str(report), verbosity=0)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["departed"] == 2
    assert data["auc"] == 1.0  # both silent clients scored below both who stayed
    assert data["component_auc"]["silence"] == 1.0
    assert data["proposed_weights"]["silence"] > data["current_weights"]["silence"]
    assert "ROC AUC of the index: 1.00" in report.read_text(encoding="utf-8")
    proposal = UnderstandingSettings.objects.get(agency=agency).proposal
    assert proposal["weights"] == data["proposed_weights"]


def test_departures_can_come_from_a_csv(history, tmp_path, agency):
    for c in history:
        c.left_on = None
        c.save()
    departures = tmp_path / "departures.csv"
    left = timezone.localdate() - timedelta(days=25)
    departures.write_text(f"company,left_on\nМебель Плюс,{left}\n", encoding="utf-8")
    out = tmp_path / "b.json"
    call_command(
        "health",
        "backtest",
        "--departures",
        str(departures),
        "--out",
        str(out),
        "--report",
        str(tmp_path / "b.md"),
        "--dry-run",
        verbosity=0,
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["company"] for d in data["departures"]] == ["Мебель Плюс"]
    assert not UnderstandingSettings.objects.filter(agency=agency).exists()  # --dry-run


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,date\nx,2026-01-01\n", "'company' and 'left_on'"),
        ("company,left_on\nНикто,2026-01-01\n", "line 2, column company"),
        ("company,left_on\nЭкоФерма,вчера\n", "line 2, column left_on"),
    ],
)
def test_a_bad_csv_is_refused_naming_the_line_and_column(history, tmp_path, content, message):
    departures = tmp_path / "d.csv"
    departures.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command(
            "health",
            "backtest",
            "--departures",
            str(departures),
            "--dry-run",
            "--out",
            str(tmp_path / "x.json"),
        )


def test_without_departures_it_says_how_to_mark_them(agency, company, tmp_path):
    with pytest.raises(CommandError, match="no client has left"):
        call_command("health", "backtest", "--out", str(tmp_path / "x.json"))
