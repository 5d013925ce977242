"""In the demo the understanding index flags a silent client (Мебель Плюс) and one whose
expectations went beyond our forecast (ТехноДом); Sergey sees why, and the backtest runs."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from kabinet.core.models import User
from kabinet.work.models import Task

pytestmark = pytest.mark.django_db


def test_the_demo_flags_silence_and_an_expectation_gap_and_the_backtest_runs(login, tmp_path):
    call_command("demo", "--no-serve", verbosity=0)
    sergey = User.objects.get(email="sergey@agency.example")

    attention = login(sergey).get("/results/").context["attention"]
    why = {row.company.name: [m.key for m in row.moved] for row in attention}
    assert why["Мебель Плюс"][0] == "silence"
    assert why["ТехноДом"][0] == "expectation"
    tasks = Task.objects.filter(dedupe_key__startswith="understanding:", assignee=sergey)
    assert {t.project.company.name for t in tasks} >= {"Мебель Плюс", "ТехноДом"}

    head = User.objects.get(email="head@agency.example")
    page = login(head).get("/understanding/")
    assert page.status_code == 200
    assert any(c.alarm for c in page.context["view"].clients)

    out = tmp_path / "backtest.json"
    call_command(
        "health",
        "backtest",
        "--agency",
        "demo",
        "--out",
        str(out),
        "--report",
        str(tmp_path / "b.md"),
        verbosity=0,
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["departed"] == 2 and data["auc"] is not None
