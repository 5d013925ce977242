from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from kabinet.benchmarks.priority import read_orlib
from kabinet.lib.scheduling import wt

ORLIB = Path(__file__).resolve().parents[4] / "shared" / "benchmarks" / "orlib-wt"
if not ORLIB.exists():
    ORLIB = Path("/work/shared/benchmarks/orlib-wt")


def brute_force(p, w, d) -> int:
    return min(wt.objective(list(o), p, w, d) for o in itertools.permutations(range(len(p))))


@pytest.mark.parametrize("seed", range(12))
def test_solver_matches_brute_force_on_small_instances(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 8))
    p = rng.integers(1, 20, n).tolist()
    w = rng.integers(1, 10, n).tolist()
    d = rng.integers(0, sum(p), n).tolist()
    res = wt.solve(p, w, d, time_limit=0.5, seed=seed)
    assert sorted(res.order) == list(range(n))
    assert res.objective == wt.objective(res.order, p, w, d)
    assert res.objective == brute_force(p, w, d)


def test_objective_counts_weighted_tardiness():
    # order 0,1: C=(3,5); job1 late by 4 with weight 2 -> 8
    assert wt.objective([0, 1], [3, 2], [1, 2], [5, 1]) == 8
    assert wt.objective([1, 0], [3, 2], [1, 2], [5, 1]) == 2 * 1 + 1 * 0


def test_solver_stops_early_when_every_job_can_be_on_time():
    res = wt.solve([2, 3, 4], [1, 1, 1], [20, 20, 20], time_limit=5.0)
    assert res.objective == 0
    assert res.stopped_because == "zero"


def test_solver_is_reproducible_for_a_seed():
    rng = np.random.default_rng(7)
    p, w = rng.integers(1, 100, 30), rng.integers(1, 10, 30)
    d = rng.integers(0, int(p.sum() * 0.6), 30)
    a = wt.solve(p, w, d, time_limit=0.2, seed=3, target=0)
    assert a.objective == wt.objective(a.order, p, w, d)
    assert a.objective <= wt.objective(wt.atc(p, w, d), p, w, d)
    assert a.objective <= wt.objective(wt.edd(p, w, d), p, w, d)


@pytest.mark.skipif(not ORLIB.exists(), reason="OR-Library files not available")
@pytest.mark.parametrize("index", [0, 8, 60, 120])
def test_solver_reaches_the_orlib_best_value(index):
    n, insts, best = read_orlib(
        (ORLIB / "wt40.txt").read_text(), (ORLIB / "wtopt40.txt").read_text()
    )
    assert n == 40 and len(insts) == 125
    p, w, d = insts[index]
    res = wt.solve(p, w, d, time_limit=5.0, target=best[index])
    assert res.objective == best[index]
