"""The single-machine solver can be budgeted in work (iterations) instead of seconds: then the
same instance and seed give the same order however long the machine takes."""

from __future__ import annotations

import numpy as np

from kabinet.benchmarks.priority import orlib_family_instances
from kabinet.lib.scheduling import wt


def test_the_same_iterations_give_the_same_order_whatever_the_time_cap():
    p, w, d = orlib_family_instances(40, 7, seed=3)[6]
    a = wt.solve(p, w, d, iterations=300, time_limit=1_000.0, seed=4)
    b = wt.solve(p, w, d, iterations=300, time_limit=1_000.0, seed=4)
    assert a.order == b.order and a.objective == b.objective
    assert a.stopped_because in {"iterations", "zero", "lower_bound"}
    if a.stopped_because == "iterations":
        assert a.iterations == 300
    assert a.objective == wt.objective(a.order, p, w, d)


def test_more_iterations_never_give_a_worse_order():
    p, w, d = orlib_family_instances(50, 9, seed=5)[8]
    few = wt.solve(p, w, d, iterations=20, time_limit=1_000.0)
    many = wt.solve(p, w, d, iterations=400, time_limit=1_000.0)
    assert many.objective <= few.objective


def test_zero_iterations_is_the_best_dispatch_rule_taken_to_a_local_optimum():
    p, w, d = (np.array(x) for x in orlib_family_instances(40, 3, seed=1)[2])
    res = wt.solve(p, w, d, iterations=0)
    assert res.iterations == 0
    assert sorted(res.order) == list(range(40))
