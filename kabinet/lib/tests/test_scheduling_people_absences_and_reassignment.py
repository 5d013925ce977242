"""People as they really work, on the engine side: a person's own hours, absences and daily
capacity shape their plan; when an absence makes work late, the engine names who else could do
it and proposes the reassignment that removes the lateness -- without moving anything."""

from __future__ import annotations

import pytest

from kabinet.lib.scheduling import people, reassign
from kabinet.lib.scheduling import planner as pl
from kabinet.lib.scheduling.scenario import working_intervals

WEEK = working_intervals(21)
NEXT_MONDAY = 7 * 24.0
WEDNESDAY_18 = 2 * 24 + 18.0


def _team(anna_absent: bool) -> list[pl.Person]:
    anna = WEEK if not anna_absent else people.subtract(WEEK, [(0.0, NEXT_MONDAY)])
    return [
        pl.Person("anna", anna, frozenset({"seo"})),
        pl.Person("boris", WEEK, frozenset({"seo", "ppc"})),
        pl.Person("carl", WEEK, frozenset({"ppc"})),
        pl.Person("dina", WEEK, frozenset({"seo"})),
    ]


AUDIT = pl.PlanTask(
    "audit", "anna", 6.0, WEDNESDAY_18, 5.0, skill="seo", eligible=("anna", "boris", "carl")
)


def test_an_absence_moves_the_persons_work_past_it():
    present = pl.plan(_team(False), [AUDIT])
    absent = pl.plan(_team(True), [AUDIT])
    assert present.late == []
    assert absent.items["audit"].start >= NEXT_MONDAY
    assert absent.late == ["audit"]


def test_who_else_could_do_it_needs_the_skill_and_access_to_the_project():
    # carl lacks the skill; dina has it but no access to the project
    assert reassign.candidates(_team(True), AUDIT) == ["boris"]


def test_a_reassignment_is_proposed_where_it_removes_lateness_and_nothing_moves():
    team = _team(True)
    plan = pl.plan(team, [AUDIT])
    proposals = reassign.propose_reassignments(team, [AUDIT], plan)
    assert [(p.task_id, p.from_person, p.to_person) for p in proposals] == [
        ("audit", "anna", "boris")
    ]
    prop = proposals[0]
    assert prop.late_hours_after == 0.0
    assert prop.late_hours_before == pytest.approx(plan.items["audit"].late_hours)
    assert (
        prop.objective_after < prop.objective_before == pytest.approx(plan.total_weighted_lateness)
    )
    # proposing is not doing: the plan and the task still say anna
    assert plan.items["audit"].person == "anna"
    assert AUDIT.person == "anna"
    assert pl.plan(team, [AUDIT]).items["audit"].person == "anna"


def test_the_search_for_proposals_stops_at_its_work_budget():
    team = _team(True)
    second = pl.PlanTask(
        "meta", "anna", 4.0, WEDNESDAY_18, 1.0, skill="seo", eligible=("anna", "boris", "dina")
    )
    plan = pl.plan(team, [AUDIT, second])
    assert sorted(plan.late) == ["audit", "meta"]
    everything = reassign.propose_reassignments(team, [AUDIT, second], plan)
    assert sorted(p.task_id for p in everything) == ["audit", "meta"]
    # one timing is spent on the latest task (weight x hours): it is finished, the next is not
    budget = reassign.propose_reassignments(team, [AUDIT, second], plan, max_evaluations=1)
    assert [p.task_id for p in budget] == ["audit"]


def test_no_proposal_when_the_only_other_person_is_just_as_busy():
    team = _team(True)
    busy = pl.PlanTask("boris-own", "boris", 45.0, 4 * 24 + 18.0, 50.0)  # his whole week
    plan = pl.plan(team, [AUDIT, busy])
    assert "audit" in plan.late
    assert reassign.propose_reassignments(team, [AUDIT, busy], plan) == []


def test_absences_and_daily_capacity_shape_a_persons_time():
    week = working_intervals(7)  # Monday to Friday, 09:00-18:00
    sick_tuesday = (24.0, 48.0)
    mine = people.personal_intervals(week, [sick_tuesday], daily_capacity=6.0)
    assert mine[0] == (9.0, 15.0)
    assert all(not (24.0 <= a < 48.0) for a, _b in mine)
    assert sum(b - a for a, b in mine) == pytest.approx(4 * 6.0)
    with pytest.raises(ValueError, match="daily capacity"):
        people.cap_per_day(week, -1.0)


def test_a_reduced_daily_capacity_makes_the_same_work_finish_later():
    full = [pl.Person("anna", working_intervals(14))]
    part = [pl.Person("anna", people.personal_intervals(working_intervals(14), daily_capacity=4.5))]
    task = [pl.PlanTask("spec", "anna", 9.0, 18.0, 1.0)]
    assert pl.plan(full, task).items["spec"].finish == pytest.approx(18.0)
    assert pl.plan(part, task).items["spec"].finish == pytest.approx(24.0 + 13.5)
