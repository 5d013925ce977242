"""``kabinet bench agency``: the scenario family, each scenario planned twice, the agreed JSON
shape, the gap to a best-known value, and clear messages for bad options."""

from __future__ import annotations

import io
import json

import pytest

from kabinet.benchmarks import agency as bench


def test_json_lists_each_scenario_twice_with_the_same_objective(tmp_path):
    best = tmp_path / "best.json"
    best.write_text(
        json.dumps(
            {
                "scenarios": [
                    {"people": 2, "tasks": 20, "seed": 0, "best_known": 1, "lower_bound": 0}
                ]
            }
        )
    )
    out = io.StringIO()
    code = bench.run(
        {
            "sizes": "2x20",
            "seeds": "0,1",
            "best_known": str(best),
            "json": True,
            "out": str(tmp_path / "agency.json"),
        },
        out,
    )
    assert code == 0
    rep = json.loads(out.getvalue())
    assert json.loads((tmp_path / "agency.json").read_text()) == rep
    rows = rep["scenarios"]
    assert [(r["people"], r["tasks"], r["seed"], r["run"]) for r in rows] == [
        (2, 20, 0, 1),
        (2, 20, 0, 2),
        (2, 20, 1, 1),
        (2, 20, 1, 2),
    ]
    for r in rows:
        assert {"people", "tasks", "seed", "objective", "seconds", "best_known"} <= set(r)
        assert r["objective"] <= min(r["deadline_first"], r["priority_first"])
    assert rows[0]["objective"] == rows[1]["objective"]
    assert rows[2]["objective"] == rows[3]["objective"]
    assert rows[0]["best_known"] == 1 and rows[2]["best_known"] is None
    assert rows[0]["gap_pct"] == pytest.approx(100.0 * (rows[0]["objective"] - 1) / 1, abs=1e-3)


def test_text_output_prints_both_runs_and_says_they_agree(tmp_path):
    out = io.StringIO()
    bench.run({"sizes": "2x12", "seeds": "3", "best_known": str(tmp_path / "none.json")}, out)
    text = out.getvalue()
    assert len([ln for ln in text.splitlines() if ln.strip().startswith("2/12")]) == 2
    assert "same objective in both runs: yes" in text


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("sizes", "5by100", "PEOPLExTASKS"),
        ("sizes", "0x10", "at least one person"),
        ("seeds", "a,b", "comma-separated list of integers"),
        ("seeds", "-1", "non-negative"),
    ],
)
def test_bad_options_are_explained(option, value, message):
    with pytest.raises(SystemExit, match=message):
        bench.run({option: value}, io.StringIO())


def test_sizes_and_seeds_parse():
    assert bench.parse_sizes("5x100, 50X3000") == [(5, 100), (50, 3000)]
    assert bench.parse_seeds("0,1,2") == [0, 1, 2]
