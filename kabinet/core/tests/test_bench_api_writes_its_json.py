"""`kabinet bench api` times the API's chronology list and leaves nothing in the database."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command

from kabinet.core.models import Agency
from kabinet.timeline.models import Event


def test_bench_api_writes_first_tenth_and_before_for_each_size(db, tmp_path):
    out = tmp_path / "api.json"
    call_command(
        "bench", "api", "--sizes", "30,250", "--repeat", "1", "--out", str(out), stdout=StringIO()
    )
    data = json.loads(out.read_text())
    assert set(data["sizes"]) == {"30", "250"}
    for figures in data["sizes"].values():
        assert set(figures) == {"first_page", "tenth_page", "before"}
        assert all(f["p50_ms"] > 0 for f in figures.values())
    assert not Agency.objects.exists() and not Event.objects.exists()
