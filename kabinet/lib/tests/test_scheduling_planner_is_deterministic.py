"""The planner's search is budgeted in work, not seconds: the same input gives the same plan,
whatever the machine's load and however generous the wall-clock safety net is."""

from __future__ import annotations

from kabinet.lib.scheduling import planner as pl
from kabinet.lib.scheduling.scenario import agency_scenario


def _timing(plan: pl.Plan) -> dict[str, tuple[float, float]]:
    return {tid: (it.start, it.finish) for tid, it in plan.items.items()}


def test_two_runs_give_the_same_plan():
    persons, tasks = agency_scenario(4, 80, seed=5)
    first, second = {}, {}
    a = pl.plan(persons, tasks, stats=first)
    b = pl.plan(persons, tasks, stats=second)
    assert _timing(a) == _timing(b)
    assert a.total_weighted_lateness == b.total_weighted_lateness
    assert first["ops"] == second["ops"]
    assert first["stopped_because"] != "time_limit"


def test_a_huge_wall_clock_cap_changes_nothing():
    persons, tasks = agency_scenario(3, 60, seed=2)
    default = pl.plan(persons, tasks)
    generous = pl.plan(persons, tasks, time_limit=10_000.0)
    assert _timing(default) == _timing(generous)


def test_the_budget_is_work_that_grows_with_the_problem():
    stats: dict = {}
    persons, tasks = agency_scenario(2, 20, seed=1)
    pl.plan(persons, tasks, effort=0.5, stats=stats)
    deps = sum(len(t.blocked_by) for t in tasks)
    assert stats["budget"] == pl.search_budget(20, deps, 0.5)
    assert stats["ops"] <= stats["budget"] + pl.search_budget(20, deps)  # one turn past it
    assert pl.search_budget(3000, 900) > pl.search_budget(1000, 300) >= pl.search_budget(20, 5)
    assert pl.search_budget(3000, 900, effort=2.0) == 2 * pl.search_budget(3000, 900)


def test_the_wall_clock_cap_is_only_a_safety_net_and_says_when_it_was_hit():
    persons, tasks = agency_scenario(4, 120, seed=3)
    stats: dict = {}
    capped = pl.plan(persons, tasks, time_limit=0.0, stats=stats)
    assert stats["stopped_because"] == "time_limit"
    greedy = min(
        pl.greedy_plan(persons, tasks, rule).total_weighted_lateness
        for rule in ("deadline", "priority")
    )
    assert capped.total_weighted_lateness <= greedy
