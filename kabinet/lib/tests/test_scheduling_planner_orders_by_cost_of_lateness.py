from __future__ import annotations

from kabinet.lib.scheduling import planner as pl
from kabinet.lib.scheduling.scenario import agency_scenario


def test_a_task_with_a_promise_goes_first_among_equals():
    persons = [pl.Person("v", [(0.0, 8.0), (24.0, 32.0)])]
    tasks = [
        pl.PlanTask("plain", "v", 4.0, 4.0, weight=3.0),
        pl.PlanTask("promised", "v", 4.0, 4.0, weight=3.0 + 4.0),  # promise adds to the weight
    ]
    plan = pl.plan(persons, tasks)
    assert plan.items["promised"].start < plan.items["plain"].start
    assert plan.late == ["plain"]


def test_planner_beats_both_greedy_plans_on_a_generated_scenario():
    persons, tasks = agency_scenario(5, 200, seed=11)
    ours = pl.plan(persons, tasks, time_limit=1.5).total_weighted_lateness
    deadline = pl.greedy_plan(persons, tasks, "deadline").total_weighted_lateness
    priority = pl.greedy_plan(persons, tasks, "priority").total_weighted_lateness
    assert ours < deadline
    assert ours < priority


def test_deadline_moves_are_proposed_only_for_late_tasks():
    persons, tasks = agency_scenario(4, 120, seed=5)
    plan = pl.plan(persons, tasks, time_limit=0.5)
    moves = pl.propose_moves(tasks, plan)
    assert moves
    assert {m.task_id for m in moves} == set(plan.late)
    for m in moves:
        assert m.new_due == plan.items[m.task_id].finish
        assert m.new_due > m.old_due
        assert m.lateness_hours == m.new_due - m.old_due


def test_no_moves_when_every_deadline_holds():
    persons = [pl.Person("v", [(0.0, 100.0)])]
    tasks = [pl.PlanTask("a", "v", 2.0, 10.0, 1.0), pl.PlanTask("b", "v", 2.0, None, 1.0)]
    plan = pl.plan(persons, tasks)
    assert plan.late == [] and pl.propose_moves(tasks, plan) == []
