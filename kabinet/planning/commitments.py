"""What would meet a committed date the plan cannot meet, computed by the plan run and stored.

A commitment is a task's due date the client has (a pending promise, or a date a manager accepted
and told the client). When the plan still finishes such a task late, the at-risk page names what
would meet the date: more hours of the assignee, other (uncommitted) work of theirs moved after
it, or a teammate with the skill and the free hours before the date. The plan run computes this
for the whole agency from what it already holds in memory (every person's working time, every
task's segments) and stores it in the task's forecast (``details["commitment"]``); the page only
reads it (issue 15: nothing computed is recomputed in the request).
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from kabinet.core.models import Agency
from kabinet.lib.business_calendar import BusinessCalendar
from kabinet.lib.scheduling import planner
from kabinet.planning.models import TaskForecast


def _overlap(intervals, end: float) -> float:
    """Hours of `intervals` (hours from now) inside [0, end)."""
    total = 0.0
    for a, b in intervals:
        a, b = max(a, 0.0), min(b, end)
        if b > a:
            total += b - a
    return total


def store_commitment_options(
    agency: Agency,
    forecasts: list[TaskForecast],
    persons: list[planner.Person],
    committed: set[int],
    calendar: BusinessCalendar,
    now: datetime,
    capacity: float,
) -> int:
    """Put what would meet each committed late date into its forecast (unsaved rows of one plan
    run): ``details["commitment"] = {"needed_hours", "move_first": [task ids], "others": [user
    ids], "at": the run's now}``. Free hours are counted from the run's ``now``. Returns how many
    forecasts got options. Queries: one for the project teams, and only for teammates the plan
    has no working time for (not staff), one for their schedules and one for their absences."""
    from kabinet.clients.models import ProjectMember

    late = [
        fc
        for fc in forecasts
        if fc.task_id in committed
        and fc.late_hours > 0
        and fc.predicted_finish is not None
        and fc.task.due_at is not None
    ]
    if not late:
        return 0
    teams: dict[int, list[ProjectMember]] = {}
    for m in ProjectMember.objects.filter(
        agency=agency, project_id__in={fc.task.project_id for fc in late}
    ).select_related("user"):
        if m.user.is_active and m.role != ProjectMember.ProjectRole.ACCOUNT_MANAGER:
            teams.setdefault(m.project_id, []).append(m)
    teammates = {m.user_id for ms in teams.values() for m in ms}

    # Everyone's working time (hours from now) and skills, as the plan saw them. A late task
    # finishes inside the plan's horizon, so its due date does too: the plan's axes reach it.
    axis: dict[int, list[tuple[float, float]]] = {int(p.id): p.intervals for p in persons}
    skills: dict[int, frozenset[str]] = {int(p.id): p.skills for p in persons}
    strangers = teammates - set(axis)
    if strangers:  # teammates the plan has no time for (not on the agency's staff)
        _more_axes(agency, now, late, strangers, axis, skills, capacity)

    # The queues of the people concerned only: the late tasks' assignees and their teammates.
    assignees = {fc.person_id for fc in late}
    by_person: dict[int, list[TaskForecast]] = {}
    busy: dict[int, list[tuple[float, float]]] = {}
    for fc in forecasts:
        if fc.person_id in assignees:
            by_person.setdefault(fc.person_id, []).append(fc)
        if fc.person_id in teammates:
            for a, b in (fc.details or {}).get("segments", []):
                busy.setdefault(fc.person_id, []).append(
                    (
                        (datetime.fromisoformat(a) - now).total_seconds() / 3600.0,
                        (datetime.fromisoformat(b) - now).total_seconds() / 3600.0,
                    )
                )

    def free_hours(person_id: int, end: float) -> float:
        if end <= 0:
            return 0.0
        total = _overlap(axis.get(person_id, []), end)
        taken = _overlap(busy.get(person_id, []), end)
        return max(0.0, total - taken)

    at = now.isoformat()
    for fc in late:
        task = fc.task
        needed = calendar.between(task.due_at, fc.predicted_finish).total_seconds() / 3600.0
        remaining = float((fc.details or {}).get("remaining_hours") or 0)
        ahead = sorted(
            (
                o
                for o in by_person.get(fc.person_id, [])
                if o.task_id != task.pk
                and o.task_id not in committed
                and not o.task.pinned
                and o.rank is not None
                and fc.rank is not None
                and o.rank < fc.rank
            ),
            key=lambda o: (o.weight, -o.rank),
        )
        move_first: list[int] = []
        freed = 0.0
        for o in ahead:
            if freed >= needed:
                break
            move_first.append(o.task_id)
            freed += float((o.details or {}).get("remaining_hours") or 0)
        if freed < needed:
            move_first = []  # moving others would not be enough
        due = (task.due_at - now).total_seconds() / 3600.0
        others = [
            m.user_id
            for m in teams.get(task.project_id, [])
            if m.user_id != fc.person_id
            and (task.skill_id is None or str(task.skill_id) in skills.get(m.user_id, ()))
            and free_hours(m.user_id, due) >= remaining
        ]
        fc.details["commitment"] = {
            "needed_hours": math.ceil(needed * 10) / 10,
            "move_first": move_first,
            "others": others,
            "at": at,
        }
    return len(late)


def _more_axes(agency, now, late, ids, axis, skills, capacity) -> None:
    """Working time up to the latest committed date for people the plan has none for: their
    schedules and absences read once for all of them."""
    from kabinet.planning.adapter import schedules_and_absences, working_axis

    end = max(fc.task.due_at for fc in late)
    schedules, absences = schedules_and_absences(agency, ids, now)
    for pk in ids:
        schedule = schedules.get(pk)
        axis[pk] = working_axis(agency, now, end, schedule, absences.get(pk, []), capacity)
        skills[pk] = (
            frozenset(str(s.pk) for s in schedule.skills.all()) if schedule else frozenset()
        )


def stored_options(fc: TaskForecast) -> dict[str, Any]:
    """The options the plan run stored for a committed late forecast ({} before any run did)."""
    return (fc.details or {}).get("commitment") or {}
