"""``kabinet bench priority`` (the Django management command). Skipped without Django settings
(e.g. when the lib tests run with ``-p no:django``)."""

from __future__ import annotations

import io
import json

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(not settings.configured, reason="Django settings not configured")


def test_bench_priority_command_prints_the_json_report(tmp_path):
    from django.core.management import call_command

    (tmp_path / "wt3.txt").write_text("3 2 4 1 5 2 2 2 9\n")
    (tmp_path / "wtopt3.txt").write_text("3\n")
    out = io.StringIO()
    call_command(
        "bench",
        "priority",
        "--instances",
        str(tmp_path / "wt3.txt"),
        "--optimal",
        str(tmp_path / "wtopt3.txt"),
        "--time-limit",
        "0.1",
        "--json",
        stdout=out,
    )
    rep = json.loads(out.getvalue())
    assert rep["n"] == 3 and rep["instances"][0]["objective"] == 3


def test_bench_without_files_explains_what_to_give():
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--instances"):
        call_command("bench", "priority", stdout=io.StringIO())


def test_bench_agency_command_prints_the_json_report():
    from django.core.management import call_command

    out = io.StringIO()
    call_command("bench", "agency", "--sizes", "2x10", "--seeds", "0", "--json", stdout=out)
    rows = json.loads(out.getvalue())["scenarios"]
    assert [(r["people"], r["tasks"], r["seed"]) for r in rows] == [(2, 10, 0), (2, 10, 0)]


def test_bench_agency_with_bad_sizes_explains_the_format():
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="PEOPLExTASKS"):
        call_command("bench", "agency", "--sizes", "lots", stdout=io.StringIO())
