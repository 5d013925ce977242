from __future__ import annotations

import numpy as np
import pytest

from kabinet.lib.scheduling import priority as pr


def make(n: int = 2, **overrides) -> pr.PriorityInput:
    base = dict(
        hours_to_due=np.full(n, 40.0),
        remaining_hours=np.full(n, 4.0),
        promise=np.zeros(n, bool),
        tier=np.array(["standard"] * n),
        budget=np.full(n, 1000.0),
        health=np.full(n, 5.0),
        blocks_tasks=np.zeros(n),
        blocks_hours=np.zeros(n),
        client_visible=np.zeros(n, bool),
        age_days=np.zeros(n),
        boost=np.zeros(n),
    )
    base.update(overrides)
    return pr.PriorityInput(**base)


def test_a_task_with_a_promise_outranks_an_otherwise_equal_task():
    res = pr.compute(make(promise=np.array([False, True])))
    assert res.weight[1] > res.weight[0]


def test_every_factor_is_normalised_to_the_unit_interval():
    rng = np.random.default_rng(0)
    n = 500
    inp = make(
        n,
        hours_to_due=np.where(rng.random(n) < 0.3, np.nan, rng.uniform(-50, 500, n)),
        remaining_hours=rng.uniform(0, 50, n),
        promise=rng.random(n) < 0.5,
        tier=rng.choice(np.array(["standard", "gold", "platinum", "mystery"]), n),
        budget=rng.uniform(0, 1e7, n),
        health=np.where(rng.random(n) < 0.2, np.nan, rng.uniform(-3, 13, n)),
        blocks_tasks=rng.integers(0, 100, n),
        blocks_hours=rng.uniform(0, 1000, n),
        client_visible=rng.random(n) < 0.5,
        age_days=rng.uniform(0, 100, n),
        boost=rng.integers(0, 10, n),
    )
    res = pr.compute(inp)
    assert res.values.shape == (n, len(pr.FACTORS))
    assert np.all(res.values >= 0) and np.all(res.values <= 1)
    assert np.allclose(res.weight, 1.0 + res.contributions.sum(axis=1))


def test_unknown_health_counts_as_neutral():
    res = pr.compute(make(health=np.array([np.nan, 5.0])))
    k = pr.FACTORS.index("health")
    assert res.values[0, k] == pytest.approx(0.5) == res.values[1, k]


def test_less_slack_means_more_urgent_and_overdue_is_most_urgent():
    res = pr.compute(make(3, hours_to_due=np.array([100.0, 10.0, -5.0])))
    k = pr.FACTORS.index("deadline")
    assert res.values[0, k] < res.values[1, k] < res.values[2, k] == 1.0


def test_agency_weights_override_the_defaults_and_unknown_names_are_refused():
    inp = make(client_visible=np.array([True, False]))
    heavy = pr.compute(inp, {"client_visible": 10.0})
    assert heavy.weight[0] - heavy.weight[1] == pytest.approx(10.0)
    with pytest.raises(ValueError):
        pr.compute(inp, {"colour": 1.0})


def test_tier_values_are_configurable():
    inp = make(tier=np.array(["gold", "vip"]))
    cfg = pr.PriorityConfig(tier_values={"gold": 0.2, "vip": 1.0})
    res = pr.compute(inp, config=cfg)
    assert res.weight[1] > res.weight[0]


def test_blocked_work_is_counted_transitively_and_once():
    count, hours = pr.transitive_blocked(4, [(0, 1), (1, 2), (0, 3), (3, 2)], [1, 2, 3, 4])
    assert count.tolist() == [3, 1, 0, 1]
    assert hours.tolist() == [9.0, 3.0, 0.0, 3.0]
    with pytest.raises(ValueError):
        pr.transitive_blocked(2, [(0, 1), (1, 0)], [1, 1])
