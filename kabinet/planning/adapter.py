"""The engine adapter: the agency's open tasks as the scheduling engine's plain data, and back.

``build_inputs`` turns the agency's open tasks into the engine's plain data:

* the time axis is hours from "now" (float); every datetime goes through ``to_hours`` /
  ``from_hours`` and nothing else;
* every active staff member is a person with their own working intervals over
  ``HORIZON_BUSINESS_DAYS``: their working hours and days (``PersonSchedule``; the agency's
  calendar where they set none — public holidays and the agency's days off always apply), each
  business day clipped to their daily capacity (theirs, else the agency's), minus their absences
  (``lib.scheduling.people``); their skills go with them;
* each task carries the skill it needs and who may take it over (the project's team except its
  account managers, plus the assignee) for reassignment proposals;
* remaining work is the task's estimate; a task without an estimate counts as
  ``DEFAULT_ESTIMATE_HOURS`` (and its explanation says so);
* tasks without an assignee are not scheduled (their forecast says "unscheduled"); a task
  blocked by such a task keeps its own place and carries a note;
* priority factors: business hours to the due date against the remaining work, a pending
  promise attached (promises app), the project's tier and monthly budget, the client's health
  (the project's latest understanding index from kabinet.health; neutral while it has none), how many tasks / hours it blocks
  transitively, client-visible or internal, business days waited, the manager's boost.

``forecasts_from_plan`` turns the engine's plan back into ``TaskForecast`` rows (not saved: the
services write them). Nothing here writes, except ``weights_for`` creating an agency's default
weights row on first use.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.db.models import Prefetch
from django.utils import timezone

from kabinet.clients.models import Project
from kabinet.core.models import Agency
from kabinet.lib.business_calendar import BusinessCalendar
from kabinet.lib.scheduling import people, planner, priority
from kabinet.planning.models import (
    Absence,
    PersonSchedule,
    PlanRun,
    PriorityWeights,
    Skill,
    TaskForecast,
)
from kabinet.work.models import Task

DEFAULT_ESTIMATE_HOURS = 2.0
HORIZON_BUSINESS_DAYS = 120
MAX_BOOST = 3
# A commitment (a date the client accepted, a confirmed promise) outweighs any other work: its
# weight is multiplied so that a plan meeting it always scores better than one that does not,
# whenever such a plan exists. The engine itself is unchanged (weighted lateness).
COMMITMENT_FACTOR = 1000.0


# --------------------------------------------------------------------------- the time axis


def to_hours(now: datetime, at: datetime) -> float:
    return (at - now).total_seconds() / 3600.0


def from_hours(now: datetime, hours: float) -> datetime:
    # Whole seconds: the engine's float arithmetic should not leak microsecond noise.
    return now + timedelta(seconds=round(hours * 3600.0))


def capacity_intervals(
    calendar: BusinessCalendar, start: datetime, end: datetime, capacity_hours: float
) -> list[tuple[datetime, datetime]]:
    """Working periods in [start, end), each business day cut to its first `capacity_hours`
    (counted from the opening, so a plan made at 14:00 keeps only what is left of the day)."""
    out: list[tuple[datetime, datetime]] = []
    cap = timedelta(hours=capacity_hours)
    for a, b in calendar.working_intervals(start, end):
        day = a.astimezone(calendar.tz).date()
        limit = calendar.opening_of(day) + cap
        b = min(b, limit)
        if b > a:
            out.append((a, b))
    return out


# --------------------------------------------------------------------------- people


def person_calendar(agency: Agency, schedule: PersonSchedule | None) -> BusinessCalendar:
    """The agency's calendar with the person's own working hours and working weekdays."""
    if schedule is None or (
        schedule.work_start is None and schedule.work_end is None and not schedule.weekdays
    ):
        return agency.calendar()
    from kabinet.lib.business_calendar import from_settings

    weekend = (
        [d for d in range(7) if d not in set(schedule.weekdays)]
        if schedule.weekdays
        else (agency.weekend or [5, 6])
    )
    return from_settings(
        {
            "tz": agency.timezone,
            "start": schedule.work_start or agency.work_start,
            "end": schedule.work_end or agency.work_end,
            "weekend": weekend,
            "country": agency.country or None,
            "days_off": agency.days_off,
            "working_days": agency.working_days,
        }
    )


def staff_ids(agency: Agency) -> list[int]:
    from kabinet.core.models import STAFF_ROLES, Membership

    return sorted(
        Membership.objects.filter(
            agency=agency, role__in=STAFF_ROLES, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def working_axis(
    agency: Agency,
    now: datetime,
    horizon_end: datetime,
    schedule: PersonSchedule | None,
    absences: list[Absence],
    default_capacity: float,
) -> list[tuple[float, float]]:
    """One person's plannable time on the planner's axis: own hours and days, own capacity,
    absences removed."""
    calendar = person_calendar(agency, schedule)
    capacity = (
        float(schedule.capacity_hours)
        if schedule is not None and schedule.capacity_hours is not None
        else default_capacity
    )
    capacity = min(capacity, calendar.hours_per_day)
    axis = [
        (to_hours(now, a), to_hours(now, b))
        for a, b in capacity_intervals(calendar, now, horizon_end, capacity)
    ]
    tz = calendar.tz
    holes = [
        (
            to_hours(now, datetime.combine(a.starts_on, datetime.min.time(), tzinfo=tz)),
            to_hours(
                now, datetime.combine(a.ends_on + timedelta(days=1), datetime.min.time(), tzinfo=tz)
            ),
        )
        for a in absences
    ]
    return people.personal_intervals(axis, holes)


def schedules_and_absences(
    agency: Agency, ids, now: datetime
) -> tuple[dict[int, PersonSchedule], dict[int, list[Absence]]]:
    """The people's working schedules (with their skills) and their absences from yesterday on,
    read once for all of them."""
    schedules = {
        s.user_id: s
        for s in PersonSchedule.objects.filter(agency=agency, user_id__in=ids).prefetch_related(
            Prefetch("skills", queryset=Skill.objects.filter(agency=agency))
        )
    }
    absences: dict[int, list[Absence]] = {}
    for a in Absence.objects.filter(
        agency=agency, user_id__in=ids, ends_on__gte=(now - timedelta(days=1)).date()
    ):
        absences.setdefault(a.user_id, []).append(a)
    return schedules, absences


def build_persons(
    agency: Agency, now: datetime, horizon_end: datetime, default_capacity: float, extra: set[int]
) -> list[planner.Person]:
    """Every active staff member (and anyone else holding open work) as the engine's Person."""
    ids = sorted(set(staff_ids(agency)) | extra)
    schedules, absences = schedules_and_absences(agency, ids, now)
    out = []
    for pk in ids:
        schedule = schedules.get(pk)
        skills = frozenset(str(s.pk) for s in schedule.skills.all()) if schedule else frozenset()
        axis = working_axis(
            agency, now, horizon_end, schedule, absences.get(pk, []), default_capacity
        )
        out.append(planner.Person(str(pk), axis, skills))
    return out


def eligible_by_project(agency: Agency, person_ids: set[str]) -> dict[int, tuple[str, ...]]:
    """Who may take a project's task: its team, except the account managers."""
    from kabinet.clients.models import ProjectMember

    out: dict[int, set[str]] = {}
    for project_id, user_id in (
        ProjectMember.objects.filter(agency=agency)
        .exclude(role=ProjectMember.ProjectRole.ACCOUNT_MANAGER)
        .values_list("project_id", "user_id")
    ):
        if str(user_id) in person_ids:
            out.setdefault(project_id, set()).add(str(user_id))
    return {k: tuple(sorted(v)) for k, v in out.items()}


# --------------------------------------------------------------------------- settings


def weights_for(agency: Agency) -> PriorityWeights:
    row = PriorityWeights.objects.filter(agency=agency).first()
    if row is None:
        row, _created = PriorityWeights.objects.get_or_create(agency=agency)
    return row


# --------------------------------------------------------------------------- models -> engine


@dataclass
class EngineInput:
    now: datetime
    tasks: list[Task]  # every open task of the agency, row i = priority row i
    persons: list[planner.Person]
    plan_tasks: list[planner.PlanTask]  # assigned tasks only
    priority: priority.PriorityResult
    remaining: list[float]
    estimated: list[bool]  # False: the default estimate was used
    notes: dict[int, list[str]] = field(default_factory=dict)  # task pk -> machine notes
    inputs_hash: str = ""
    health_known: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    committed: set[int] = field(default_factory=set)  # task pks whose due date is a commitment


def committed_task_ids(agency: Agency, tasks: list[Task], promised: set[int]) -> set[int]:
    """Tasks (of `agency`) whose due date is a commitment to the client: a pending promise is
    attached, or the current due date is one a manager accepted and told the client (a proposal
    accepted to it)."""
    from kabinet.planning.models import DeadlineProposal, ProposalStatus

    due = {t.pk: t.due_at for t in tasks if t.due_at is not None}
    accepted = DeadlineProposal.objects.filter(
        agency=agency, task_id__in=list(due), status=ProposalStatus.ACCEPTED
    ).values_list("task_id", "new_due")
    return set(promised & set(due)) | {pk for pk, new_due in accepted if due.get(pk) == new_due}


def pending_promise_task_ids(agency: Agency, task_ids: list[int]) -> set[int]:
    """Tasks (of `agency`) with a promise to the client that is still to be kept (open or
    renegotiated)."""
    from kabinet.promises.models import PENDING_STATES

    return set(
        Task.objects.filter(
            agency=agency, pk__in=task_ids, promises__state__in=PENDING_STATES
        ).values_list("pk", flat=True)
    )


def fingerprint(agency: Agency) -> str:
    """A hash of everything a plan depends on except the clock, from a few cheap queries."""
    settings_row = weights_for(agency)
    tasks = list(
        Task.objects.filter(agency=agency, status__in=Task.OPEN_STATUSES)
        .order_by("pk")
        .values_list("pk", "updated_at")
    )
    ids = [pk for pk, _ in tasks]
    edges = sorted(
        Task.blocked_by.through.objects.filter(
            from_task__agency=agency, from_task_id__in=ids
        ).values_list("from_task_id", "to_task_id")
    )
    from kabinet.health.understanding import latest_project_indices

    project_ids = set(
        Task.objects.filter(agency=agency, pk__in=ids)
        .values_list("project_id", flat=True)
        .distinct()
    )
    indices = sorted(latest_project_indices(agency, project_ids).items())
    digest = hashlib.sha256()
    digest.update(
        repr(
            (
                indices,
                sorted(settings_row.merged().items()),
                str(settings_row.capacity_hours),
                agency.timezone,
                str(agency.work_start),
                str(agency.work_end),
                agency.weekend,
                agency.days_off,
                agency.working_days,
                sorted(pending_promise_task_ids(agency, ids)),
                edges,
                _people_fingerprint(agency),
            )
        ).encode()
    )
    for pk, updated_at in tasks:
        digest.update(f"{pk}:{updated_at.isoformat()};".encode())
    return digest.hexdigest()


def _people_fingerprint(agency: Agency) -> tuple:
    from kabinet.clients.models import ProjectMember

    return (
        staff_ids(agency),
        sorted(
            (s.user_id, s.updated_at.isoformat())
            for s in PersonSchedule.objects.filter(agency=agency)
        ),
        sorted(
            Absence.objects.filter(agency=agency).values_list(
                "pk", "user_id", "starts_on", "ends_on"
            )
        ),
        sorted(
            ProjectMember.objects.filter(agency=agency).values_list("project_id", "user_id", "role")
        ),
    )


def build_inputs(agency: Agency, now: datetime | None = None) -> EngineInput:
    now = (now or timezone.now()).replace(microsecond=0)
    calendar = agency.calendar()
    settings_row = weights_for(agency)
    tasks = list(
        Task.objects.filter(agency=agency, status__in=Task.OPEN_STATUSES)
        .select_related("project__company", "assignee")
        .order_by("pk")
    )
    for t in tasks:  # the agency is the one being planned: no query per task for it later
        t.agency = agency
        t.project.agency = agency
    ids = [t.pk for t in tasks]
    row_of = {pk: i for i, pk in enumerate(ids)}
    edges_all = list(
        Task.blocked_by.through.objects.filter(
            from_task__agency=agency, from_task_id__in=ids, to_task_id__in=ids
        ).values_list("to_task_id", "from_task_id")
    )  # (blocker, blocked) among open tasks; done blockers no longer hold anything up
    promised = pending_promise_task_ids(agency, ids)
    committed = committed_task_ids(agency, tasks, promised)

    remaining: list[float] = []
    estimated: list[bool] = []
    for t in tasks:
        if t.estimate_hours is not None and t.estimate_hours > 0:
            remaining.append(float(t.estimate_hours))
            estimated.append(True)
        else:
            remaining.append(DEFAULT_ESTIMATE_HOURS)
            estimated.append(False)
    rem = np.array(remaining, dtype=float)
    n = len(tasks)
    edges = [(row_of[a], row_of[b]) for a, b in edges_all]
    try:
        blocks_n, blocks_h = priority.transitive_blocked(n, edges, rem)
    except ValueError:  # a cycle (the work app refuses them; be safe) -> count nothing
        blocks_n, blocks_h = np.zeros(n), np.zeros(n)
        edges_all = []
    today = timezone.localdate(now, calendar.tz)
    max_budget = max((float(t.project.monthly_budget) for t in tasks), default=0.0)
    budgets = Project.objects.filter(agency=agency).values_list("monthly_budget", flat=True)
    max_budget = max([max_budget, *(float(b) for b in budgets)])
    from kabinet.health.understanding import latest_project_indices

    indices = latest_project_indices(agency, {t.project_id for t in tasks})
    pin = priority.PriorityInput(
        hours_to_due=np.array(
            [
                calendar.between(now, t.due_at).total_seconds() / 3600.0 if t.due_at else np.nan
                for t in tasks
            ],
            dtype=float,
        ),
        remaining_hours=rem,
        promise=np.array([t.pk in promised for t in tasks], dtype=bool),
        tier=np.array([t.project.tier or "" for t in tasks], dtype=object),
        budget=np.array([float(t.project.monthly_budget or 0) for t in tasks], dtype=float),
        # The client's understanding index (0..10); no recent snapshot: unknown, neutral.
        health=np.array([indices.get(t.project_id, np.nan) for t in tasks], dtype=float),
        blocks_tasks=blocks_n,
        blocks_hours=blocks_h,
        client_visible=np.array([t.is_client_visible for t in tasks], dtype=bool),
        age_days=np.array(
            [
                max(
                    0,
                    calendar.business_days_between(
                        timezone.localdate(t.created_at, calendar.tz), today
                    ),
                )
                for t in tasks
            ],
            dtype=float,
        ),
        boost=np.array([max(0, t.priority_boost) for t in tasks], dtype=float),
    )
    config = priority.PriorityConfig(max_boost=float(MAX_BOOST), max_budget=max_budget or None)
    result = priority.compute(pin, settings_row.merged(), config)

    # People and their working time.
    horizon_end = calendar.closing_of(calendar.add_business_days(today, HORIZON_BUSINESS_DAYS))
    capacity = float(settings_row.capacity_hours)
    assignees = {t.assignee_id for t in tasks if t.assignee_id}
    persons = build_persons(agency, now, horizon_end, capacity, assignees)
    person_ids = {p.id for p in persons}
    eligible = eligible_by_project(agency, person_ids)

    notes: dict[int, list[str]] = {}
    planned = {t.pk for t in tasks if t.assignee_id}
    blockers_of: dict[int, list[int]] = {}
    for blocker, blocked in edges_all:
        blockers_of.setdefault(blocked, []).append(blocker)
    plan_tasks: list[planner.PlanTask] = []
    for i, t in enumerate(tasks):
        if not t.assignee_id:
            notes.setdefault(t.pk, []).append("no_assignee")
            continue
        blocked_by = []
        for b in blockers_of.get(t.pk, []):
            if b in planned:
                blocked_by.append(str(b))
            else:
                notes.setdefault(t.pk, []).append("blocked_by_unassigned")
        pinned = None
        if t.pinned:
            pinned = max(0.0, to_hours(now, t.pinned_start)) if t.pinned_start else 0.0
        plan_tasks.append(
            planner.PlanTask(
                id=str(t.pk),
                person=str(t.assignee_id),
                hours=remaining[i],
                due=to_hours(now, t.due_at) if t.due_at else None,
                weight=float(result.weight[i]) * (COMMITMENT_FACTOR if t.pk in committed else 1.0),
                blocked_by=tuple(sorted(set(blocked_by))),
                pinned_start=pinned,
                skill=str(t.skill_id) if t.skill_id else None,
                eligible=tuple(sorted(set(eligible.get(t.project_id, ())) | {str(t.assignee_id)})),
            )
        )
    return EngineInput(
        now,
        tasks,
        persons,
        plan_tasks,
        result,
        remaining,
        estimated,
        notes,
        fingerprint(agency),
        health_known=~np.isnan(pin.health),
        committed=committed,
    )


# --------------------------------------------------------------------------- engine -> models


def explainable(
    result: priority.PriorityResult, health_known: np.ndarray
) -> priority.PriorityResult:
    """The result the explanations are drawn from: an unknown client health counts as neutral
    (0.5) for every task alike, so it shifts all weights equally and never decides an order —
    it must not be named as a reason. The weights themselves are unchanged."""
    contributions = result.contributions.copy()
    k = result.factor_names.index("health")
    contributions[~health_known, k] = 0.0
    return dataclasses.replace(result, contributions=contributions)


def one_lines(
    result: priority.PriorityResult, i: int, overdue: bool = False
) -> tuple[dict[str, str], list[str]]:
    lines = {
        lang: priority.explain(result, i, lang=lang, overdue=overdue).one_line
        for lang in ("ru", "en")
    }
    decisive = [name for name, _v, _c in priority.explain(result, i, lang="en").details]
    return lines, decisive


def end_of_day(calendar: BusinessCalendar, at: datetime) -> datetime:
    """End of the business day the work finishes in (a finish exactly at closing stays that day)."""
    return calendar.end_of_business_day(at - timedelta(microseconds=1))


def forecasts_from_plan(
    agency: Agency,
    run: PlanRun,
    data: EngineInput,
    plan: planner.Plan,
    calendar: BusinessCalendar,
    reasons: priority.PriorityResult,
) -> list[TaskForecast]:
    """The engine's plan back as (unsaved) forecast rows, one per open task, ranked per person."""
    now = data.now
    unscheduled = set(plan.unscheduled)
    forecasts: list[TaskForecast] = []
    by_person: dict[str, list[tuple[float, int]]] = {}
    for i, t in enumerate(data.tasks):
        item = plan.items.get(str(t.pk))
        lines, decisive = one_lines(reasons, i, overdue=t.due_at is not None and t.due_at < now)
        details: dict[str, Any] = {
            "one_line": lines,
            "decisive": decisive,
            "factors": [
                [
                    name,
                    round(float(data.priority.values[i, k]), 4),
                    round(float(data.priority.contributions[i, k]), 4),
                ]
                for k, name in enumerate(data.priority.factor_names)
            ],
            "base": data.priority.base,
            "remaining_hours": data.remaining[i],
            "estimated": data.estimated[i],
            "notes": data.notes.get(t.pk, []),
            # Factors with no data, counted as neutral and never named as a reason.
            "neutral": [] if data.health_known[i] else ["health"],
        }
        fc = TaskForecast(
            agency=agency,
            task=t,
            plan_run=run,
            person_id=t.assignee_id,
            weight=float(data.priority.weight[i]),
            one_line=lines["ru"][:500],
            details=details,
        )
        if item is None or str(t.pk) in unscheduled:
            fc.unscheduled = True
            if item is not None:
                details["notes"].append("beyond_horizon")
        else:
            fc.predicted_start = from_hours(now, item.start)
            fc.predicted_finish = from_hours(now, item.finish)
            fc.late_hours = round(item.late_hours, 4)
            details["segments"] = [
                [from_hours(now, a).isoformat(), from_hours(now, b).isoformat()]
                for a, b in item.segments
            ]
            if t.due_at:
                fc.slack_hours = (
                    calendar.between(fc.predicted_finish, t.due_at).total_seconds() / 3600.0
                )
            by_person.setdefault(item.person, []).append((item.start, len(forecasts)))
        forecasts.append(fc)
    for entries in by_person.values():
        for rank, (_start, idx) in enumerate(sorted(entries), start=1):
            forecasts[idx].rank = rank
    return forecasts
