from __future__ import annotations

import io
import json

from kabinet.benchmarks import priority as bench


def test_orlib_bench_prints_the_agreed_json_shape(tmp_path):
    # two instances with n=3: p, w, d each
    (tmp_path / "wt3.txt").write_text("3 2 4\n1 5 2\n2 2 9\n1 1 1 1 1 1 9 9 9\n")
    (tmp_path / "wtopt3.txt").write_text("3\n0\n")
    out = io.StringIO()
    code = bench.run(
        {
            "instances": str(tmp_path / "wt3.txt"),
            "optimal": str(tmp_path / "wtopt3.txt"),
            "time_limit": 0.2,
            "json": True,
        },
        out,
    )
    assert code == 0
    rep = json.loads(out.getvalue())
    assert rep["n"] == 3
    assert [i["index"] for i in rep["instances"]] == [1, 2]
    first = rep["instances"][0]
    assert set(first) == {"index", "order", "objective", "best", "seconds", "seconds_to_best"}
    assert sorted(first["order"]) == [0, 1, 2]
    assert set(rep["summary"]) == {
        "mean_gap_pct",
        "solved_pct",
        "mean_seconds",
        "max_seconds",
        "median_seconds_to_best",
    }
    assert set(rep["baselines"]) == {"edd", "atc"}
    assert set(rep["baselines"]["edd"]) == {"mean_gap_pct", "solved_pct"}
    assert rep["summary"]["solved_pct"] == 100.0


def test_family_generator_follows_the_orlib_recipe():
    insts = bench.orlib_family_instances(100, 3, seed=1)
    for p, w, d in insts:
        assert p.min() >= 1 and p.max() <= 100
        assert w.min() >= 1 and w.max() <= 10
        assert d.min() >= 0 and d.max() <= 1.3 * p.sum()
