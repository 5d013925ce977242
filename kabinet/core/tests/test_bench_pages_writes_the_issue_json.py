"""`kabinet bench pages` measures every listed page against a bare view and writes the agreed JSON."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from kabinet.timeline.models import Event

pytestmark = pytest.mark.django_db


def test_bench_pages_writes_database_events_pages_and_baseline(tmp_path):
    call_command("demo", "--no-serve", "--scale", "1000", verbosity=0)
    out = tmp_path / "pages.json"
    call_command("bench", "pages", "--repeat", "1", "--out", str(out))
    data = json.loads(out.read_text())
    assert set(data) >= {"database", "events", "pages", "baseline"}
    assert data["events"] == Event.objects.count()
    assert set(data["baseline"]) >= {"p50_ms", "p95_ms"}
    for name in ("client_home", "chronology_page_50", "chronology_search", "api_events"):
        row = data["pages"][name]
        assert set(row) >= {"p50_ms", "p95_ms", "queries"}
        assert row["queries"] > 0


def test_bench_pages_refuses_a_database_without_the_demo(tmp_path):
    with pytest.raises(CommandError, match="kabinet demo"):
        call_command("bench", "pages", "--repeat", "1", "--out", str(tmp_path / "p.json"))
