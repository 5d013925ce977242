from __future__ import annotations

import pytest

from kabinet.lib.scheduling import planner as pl

PEOPLE = [pl.Person("a", [(0.0, 10.0)])]


def test_a_dependency_cycle_is_refused_with_the_tasks_named():
    tasks = [
        pl.PlanTask("x", "a", 1.0, None, 1.0, blocked_by=("y",)),
        pl.PlanTask("y", "a", 1.0, None, 1.0, blocked_by=("x",)),
    ]
    with pytest.raises(ValueError, match="cycle.*x, y"):
        pl.plan(PEOPLE, tasks)


def test_an_unknown_blocker_is_refused():
    tasks = [pl.PlanTask("x", "a", 1.0, None, 1.0, blocked_by=("ghost",))]
    with pytest.raises(ValueError, match="ghost"):
        pl.greedy_plan(PEOPLE, tasks)


def test_an_unknown_person_is_refused():
    with pytest.raises(ValueError, match="nobody"):
        pl.plan(PEOPLE, [pl.PlanTask("x", "nobody", 1.0, None, 1.0)])


def test_unsorted_working_intervals_are_refused():
    with pytest.raises(ValueError, match="sorted"):
        pl.plan([pl.Person("a", [(5.0, 9.0), (0.0, 6.0)])], [pl.PlanTask("x", "a", 1.0, None, 1.0)])
