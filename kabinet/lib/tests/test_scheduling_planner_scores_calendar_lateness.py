"""One objective: the planner searches for, and reports, weight x calendar hours late -- the
figure a client feels -- and its score is exactly what its plan adds up to."""

from __future__ import annotations

import pytest

from kabinet.lib.scheduling import planner as pl
from kabinet.lib.scheduling.scenario import agency_scenario, working_intervals

FRIDAY_18 = 4 * 24 + 18.0
MONDAY_0930 = 7 * 24 + 9.5


def test_work_due_friday_evening_and_done_monday_morning_is_late_by_the_weekend():
    # 45.5 working hours from Monday 09:00 end on the next Monday at 09:30
    persons = [pl.Person("anna", working_intervals(14))]
    tasks = [pl.PlanTask("report", "anna", 45.5, FRIDAY_18, 2.0)]
    plan = pl.plan(persons, tasks)
    item = plan.items["report"]
    assert item.finish == pytest.approx(MONDAY_0930)
    assert item.late_hours == pytest.approx(63.5)
    assert plan.total_weighted_lateness == pytest.approx(2.0 * 63.5)


def test_the_search_weighs_a_weekend_of_lateness_as_the_client_feels_it():
    # Monday to Thursday are full; "a" (due Friday 18:00, weight 1) and "b" (due Monday
    # 10:00, weight 1.5) share Friday and Monday. In working hours "b" first is cheaper
    # (a late by 9 working hours: 9, against b late by 8: 12); in calendar hours "a" late
    # over the weekend costs 72, and "a" goes first.
    persons = [pl.Person("anna", working_intervals(14))]
    tasks = [
        pl.PlanTask("fill", "anna", 36.0, 3 * 24 + 18.0, 100.0),
        pl.PlanTask("a", "anna", 9.0, FRIDAY_18, 1.0),
        pl.PlanTask("b", "anna", 9.0, 7 * 24 + 10.0, 1.5),
    ]
    plan = pl.plan(persons, tasks)
    assert plan.items["a"].finish == pytest.approx(FRIDAY_18)
    assert plan.late == ["b"]
    assert plan.total_weighted_lateness == pytest.approx(1.5 * 8.0)


@pytest.mark.parametrize(("people", "ntasks", "seed"), [(3, 60, 0), (5, 100, 4), (8, 160, 9)])
def test_the_reported_score_equals_a_recomputation_from_the_plan(people, ntasks, seed):
    persons, tasks = agency_scenario(people, ntasks, seed=seed)
    stats: dict = {}
    plan = pl.plan(persons, tasks, stats=stats)
    recomputed = sum(
        t.weight * max(0.0, plan.items[t.id].finish - t.due) for t in tasks if t.due is not None
    )
    assert plan.total_weighted_lateness == pytest.approx(recomputed, rel=1e-9, abs=1e-6)
    assert stats["search_objective"] == pytest.approx(recomputed, rel=1e-9, abs=1e-6)
    for t in tasks:
        late = 0.0 if t.due is None else max(0.0, plan.items[t.id].finish - t.due)
        assert plan.items[t.id].late_hours == pytest.approx(late, abs=1e-6)
