"""Plans respect dependencies, pins and working time."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kabinet.lib.scheduling import planner as pl
from kabinet.lib.scheduling.scenario import agency_scenario, working_intervals

EPS = 1e-6


def assert_feasible(persons, tasks, plan):
    by_id = {t.id: t for t in tasks}
    cal = {p.id: p.intervals for p in persons}
    assert set(plan.items) == set(by_id)
    for tid, it in plan.items.items():
        t = by_id[tid]
        assert it.person == t.person
        if tid in plan.unscheduled:
            continue
        # work only inside working intervals, and it adds up to the task's hours
        done = 0.0
        for a, b in it.segments:
            assert any(s - EPS <= a and b <= e + EPS for s, e in cal[t.person]), (tid, a, b)
            done += b - a
        assert done == pytest.approx(t.hours, abs=1e-6)
        if it.segments:
            assert it.start == pytest.approx(it.segments[0][0])
            assert it.finish == pytest.approx(it.segments[-1][1])
        # dependencies (pinned tasks may clash, but then the plan says so)
        for b in t.blocked_by:
            if t.pinned_start is None:
                assert it.start >= plan.items[b].finish - EPS, (tid, b)
    # one person never does two things at once
    for p in persons:
        segs = sorted(s for tid, it in plan.items.items() if it.person == p.id for s in it.segments)
        for (_a1, b1), (a2, _b2) in zip(segs, segs[1:], strict=False):
            assert a2 >= b1 - EPS


@pytest.mark.parametrize("maker", ["kabinet", "deadline", "priority"])
def test_dependencies_pins_and_working_time_are_respected(maker):
    persons, tasks = agency_scenario(5, 200, seed=3)
    if maker == "kabinet":
        plan = pl.plan(persons, tasks, time_limit=1.0)
    else:
        plan = pl.greedy_plan(persons, tasks, maker)
    assert_feasible(persons, tasks, plan)
    assert all("cannot start" in c for c in plan.conflicts)  # only pin-on-pin clashes


def test_pinned_tasks_stay_where_pinned():
    persons, tasks = agency_scenario(5, 200, seed=4, pin_rate=0.1)
    pinned = [t for t in tasks if t.pinned_start is not None]
    assert pinned
    plan = pl.plan(persons, tasks, time_limit=1.0)
    for t in pinned:
        it = plan.items[t.id]
        clash = any(f"pinned task {t.id!r} cannot start" in c for c in plan.conflicts)
        assert clash or it.start == pytest.approx(t.pinned_start)
    assert sum(plan.items[t.id].start == t.pinned_start for t in pinned) > len(pinned) // 2


def test_two_overlapping_pins_of_one_person_are_reported():
    persons = [pl.Person("v", [(0.0, 100.0)])]
    tasks = [
        pl.PlanTask("a", "v", 4.0, None, 1.0, pinned_start=10.0),
        pl.PlanTask("b", "v", 4.0, None, 1.0, pinned_start=12.0),
    ]
    plan = pl.plan(persons, tasks)
    assert plan.items["a"].start == 10.0
    assert plan.items["b"].start == 14.0
    assert any("'b' cannot start" in c for c in plan.conflicts)


def test_a_long_task_started_late_in_the_day_continues_next_morning():
    persons = [pl.Person("v", [(9.0, 18.0), (33.0, 42.0)])]
    tasks = [pl.PlanTask("a", "v", 6.0, None, 1.0, pinned_start=16.0)]
    it = pl.plan(persons, tasks).items["a"]
    assert it.segments == [(16.0, 18.0), (33.0, 37.0)]
    assert it.finish == 37.0


def test_a_task_waits_for_a_blocker_of_another_person():
    persons = [pl.Person("a", working_intervals(14)), pl.Person("b", working_intervals(14))]
    tasks = [
        pl.PlanTask("spec", "a", 5.0, 20.0, 1.0),
        pl.PlanTask("build", "b", 2.0, 20.0, 1.0, blocked_by=("spec",)),
    ]
    plan = pl.plan(persons, tasks)
    assert plan.items["build"].start >= plan.items["spec"].finish
    assert plan.items["spec"].finish == 14.0  # 9:00 + 5h
    assert plan.items["build"].finish == 16.0


def test_a_pinned_task_is_kept_even_when_its_blocker_runs_late_and_the_clash_is_reported():
    persons = [pl.Person("a", [(0.0, 100.0)]), pl.Person("b", [(0.0, 100.0)])]
    tasks = [
        pl.PlanTask("x", "a", 10.0, None, 1.0),
        pl.PlanTask("y", "b", 1.0, None, 1.0, blocked_by=("x",), pinned_start=2.0),
    ]
    plan = pl.plan(persons, tasks)
    assert plan.items["y"].start == 2.0
    assert plan.conflicts and "'y'" in plan.conflicts[0]


def test_work_beyond_the_last_interval_is_reported_as_unscheduled():
    persons = [pl.Person("a", [(0.0, 4.0)])]
    tasks = [pl.PlanTask("x", "a", 3.0, None, 1.0), pl.PlanTask("y", "a", 3.0, None, 1.0)]
    plan = pl.plan(persons, tasks)
    assert len(plan.unscheduled) == 1


@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 4),
    st.integers(1, 25),
    st.integers(0, 10_000),
)
def test_random_scenarios_always_give_feasible_plans(people, ntasks, seed):
    persons, tasks = agency_scenario(people, ntasks, seed=seed, dependency_rate=0.4, pin_rate=0.0)
    plan = pl.plan(persons, tasks, time_limit=0.3, seed=seed)
    assert_feasible(persons, tasks, plan)
