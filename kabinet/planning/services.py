"""Every write of the planning app, and the adapter from tasks to the scheduling engine.

The adapter (``build_inputs``) turns the agency's open tasks into the engine's plain data:

* the time axis is hours from "now" (float); every datetime goes through ``to_hours`` /
  ``from_hours`` and nothing else;
* each assignee gets the agency's working intervals (business calendar: working hours,
  weekends, public holidays, days off) over ``HORIZON_BUSINESS_DAYS``, each business day
  clipped to its first ``capacity_hours`` (the agency's daily capacity for focused work);
* remaining work is the task's estimate; a task without an estimate counts as
  ``DEFAULT_ESTIMATE_HOURS`` (and its explanation says so);
* tasks without an assignee are not scheduled (their forecast says "unscheduled"); a task
  blocked by such a task keeps its own place and carries a note;
* priority factors: business hours to the due date against the remaining work, a pending
  promise attached (promises app), the project's tier and monthly budget, the client's health
  (neutral until the understanding index exists), how many tasks / hours it blocks
  transitively, client-visible or internal, business days waited, the manager's boost.

``replan`` runs the engine and writes the forecasts and the deadline proposals. Proposal rule:
one pending proposal per task, updated in place by later runs; withdrawn when the task is no
longer predicted late; and a manager who rejected moving a task to a date D is not asked again
for that task unless its due date has changed since, or the plan now needs a date later than D.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from kabinet.clients.models import Project
from kabinet.core.models import Agency, Role
from kabinet.core.scoping import Viewer
from kabinet.core.services import audit
from kabinet.lib.business_calendar import BusinessCalendar
from kabinet.lib.scheduling import planner, priority
from kabinet.planning.models import (
    DeadlineProposal,
    PlanRequest,
    PlanRun,
    PriorityWeights,
    ProposalStatus,
    TaskForecast,
)
from kabinet.timeline.models import Kind, Visibility
from kabinet.timeline.services import record_event
from kabinet.work.models import Task

logger = logging.getLogger(__name__)

DEFAULT_ESTIMATE_HOURS = 2.0
HORIZON_BUSINESS_DAYS = 120
# A task finishing less than this many business hours before its due date is "at risk".
AT_RISK_SLACK_HOURS = 4.0
# An unchanged plan input is not replanned again within this time (unless asked by a person).
RECENT_RUN = timedelta(minutes=15)
PLAN_TIME_LIMIT = 1.5  # seconds the engine may spend improving the plan
MAX_BOOST = 3


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


# --------------------------------------------------------------------------- settings


def weights_for(agency: Agency) -> PriorityWeights:
    row = PriorityWeights.objects.filter(agency=agency).first()
    if row is None:
        row, _created = PriorityWeights.objects.get_or_create(agency=agency)
    return row


def save_weights(
    viewer: Viewer, *, weights: dict[str, Any], capacity_hours: Any
) -> PriorityWeights:
    """The head sets how much each factor counts and the daily capacity; then the plan is redone."""
    if not viewer.is_head:
        raise PermissionDenied
    errors: dict[str, str] = {}
    clean: dict[str, float] = {}
    for name in priority.FACTORS:
        raw = weights.get(name, priority.DEFAULT_WEIGHTS[name])
        try:
            value = float(str(raw).replace(",", ".").strip())
        except (TypeError, ValueError):
            errors[name] = _("Give a number, e.g. 1.5.")
            continue
        if not math.isfinite(value) or not 0 <= value <= 100:
            errors[name] = _("A weight is a number from 0 to 100.")
            continue
        clean[name] = value
    unknown = sorted(set(weights) - set(priority.FACTORS))
    if unknown:
        errors["__all__"] = _("Unknown factors: %(names)s.") % {"names": ", ".join(unknown)}
    day_hours = viewer.agency.calendar().hours_per_day
    try:
        capacity = Decimal(str(capacity_hours).replace(",", ".").strip())
        if not capacity.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["capacity_hours"] = _("Give the daily capacity in hours, e.g. 6.")
    else:
        if not Decimal("0.5") <= capacity <= Decimal(str(day_hours)):
            errors["capacity_hours"] = _(
                "The daily capacity is from 0.5 hours to the length of the working day (%(hours)s h)."
            ) % {"hours": formats.number_format(day_hours, 1)}
    if errors:
        raise ValidationError(errors)
    priority.merged_weights(clean)  # the engine's own check (names, non-negative)
    with transaction.atomic():
        row = weights_for(viewer.agency)
        row.weights = clean
        row.capacity_hours = capacity
        row.updated_by = viewer.user
        row.updated_at = timezone.now()
        row.save()
        audit(viewer.agency, viewer.user, "priority_weights_changed", row, weights=clean,
              capacity_hours=str(capacity))  # fmt: skip
        request_replan(viewer.agency.pk)
    return row


# --------------------------------------------------------------------------- adapter


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


def _pending_promise_task_ids(task_ids: list[int]) -> set[int]:
    """Tasks with a promise to the client that is still to be kept (open or renegotiated)."""
    if not hasattr(Task, "promises"):
        return set()  # the promises app is not installed
    try:
        from kabinet.promises.models import PENDING_STATES
    except ImportError:  # pragma: no cover
        PENDING_STATES = ("open",)
    return set(
        Task.objects.filter(pk__in=task_ids, promises__state__in=PENDING_STATES).values_list("pk", flat=True)
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
        Task.blocked_by.through.objects.filter(from_task_id__in=ids).values_list("from_task_id", "to_task_id")
    )
    digest = hashlib.sha256()
    digest.update(repr((
        sorted(settings_row.merged().items()), str(settings_row.capacity_hours), agency.timezone,
        str(agency.work_start), str(agency.work_end), agency.weekend, agency.days_off, agency.working_days,
        sorted(_pending_promise_task_ids(ids)), edges,
    )).encode())  # fmt: skip
    for pk, updated_at in tasks:
        digest.update(f"{pk}:{updated_at.isoformat()};".encode())
    return digest.hexdigest()


def build_inputs(agency: Agency, now: datetime | None = None) -> EngineInput:
    now = (now or timezone.now()).replace(microsecond=0)
    calendar = agency.calendar()
    settings_row = weights_for(agency)
    tasks = list(
        Task.objects.filter(agency=agency, status__in=Task.OPEN_STATUSES)
        .select_related("project__company", "assignee")
        .order_by("pk")
    )
    ids = [t.pk for t in tasks]
    row_of = {pk: i for i, pk in enumerate(ids)}
    edges_all = list(
        Task.blocked_by.through.objects.filter(from_task_id__in=ids, to_task_id__in=ids).values_list(
            "to_task_id", "from_task_id"
        )
    )  # (blocker, blocked) among open tasks; done blockers no longer hold anything up
    promised = _pending_promise_task_ids(ids)

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
    pin = priority.PriorityInput(
        hours_to_due=np.array(
            [calendar.between(now, t.due_at).total_seconds() / 3600.0 if t.due_at else np.nan for t in tasks],
            dtype=float,
        ),
        remaining_hours=rem,
        promise=np.array([t.pk in promised for t in tasks], dtype=bool),
        tier=np.array([t.project.tier or "" for t in tasks], dtype=object),
        budget=np.array([float(t.project.monthly_budget or 0) for t in tasks], dtype=float),
        health=np.full(n, np.nan),  # the understanding index does not exist yet: neutral
        blocks_tasks=blocks_n,
        blocks_hours=blocks_h,
        client_visible=np.array([t.is_client_visible for t in tasks], dtype=bool),
        age_days=np.array(
            [
                max(0, calendar.business_days_between(timezone.localdate(t.created_at, calendar.tz), today))
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
    intervals = capacity_intervals(calendar, now, horizon_end, capacity)
    axis = [(to_hours(now, a), to_hours(now, b)) for a, b in intervals]
    assignees = sorted({t.assignee_id for t in tasks if t.assignee_id})
    persons = [planner.Person(str(pk), axis) for pk in assignees]

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
                weight=float(result.weight[i]),
                blocked_by=tuple(sorted(set(blocked_by))),
                pinned_start=pinned,
            )
        )
    return EngineInput(now, tasks, persons, plan_tasks, result, remaining, estimated, notes, fingerprint(agency),
                       health_known=~np.isnan(pin.health))  # fmt: skip


# --------------------------------------------------------------------------- replanning


def explainable(result: priority.PriorityResult, health_known: np.ndarray) -> priority.PriorityResult:
    """The result the explanations are drawn from: an unknown client health counts as neutral
    (0.5) for every task alike, so it shifts all weights equally and never decides an order —
    it must not be named as a reason. The weights themselves are unchanged."""
    contributions = result.contributions.copy()
    k = result.factor_names.index("health")
    contributions[~health_known, k] = 0.0
    return dataclasses.replace(result, contributions=contributions)


def _one_lines(result: priority.PriorityResult, i: int) -> tuple[dict[str, str], list[str]]:
    lines = {lang: priority.explain(result, i, lang=lang).one_line for lang in ("ru", "en")}
    decisive = [name for name, _v, _c in priority.explain(result, i, lang="en").details]
    return lines, decisive


def _end_of_day(calendar: BusinessCalendar, at: datetime) -> datetime:
    """End of the business day the work finishes in (a finish exactly at closing stays that day)."""
    return calendar.end_of_business_day(at - timedelta(microseconds=1))


def replan(agency: Agency, *, reason: str = "", now: datetime | None = None, force: bool = True) -> PlanRun:
    """Run the engine for the whole agency; replace the forecasts; keep the proposals current.

    With force=False an unchanged input planned less than RECENT_RUN ago is not planned again
    (the previous run is returned).
    """
    now = (now or timezone.now()).replace(microsecond=0)
    if not force:  # checked before the (costlier) inputs are built
        last = PlanRun.objects.filter(agency=agency, finished_at__isnull=False).first()
        if last is not None and last.inputs_hash == fingerprint(agency) and abs(now - last.started_at) < RECENT_RUN:
            return last
    data = build_inputs(agency, now)
    plan = planner.plan(data.persons, data.plan_tasks, time_limit=PLAN_TIME_LIMIT)
    moves = {m.task_id: m for m in planner.propose_moves(data.plan_tasks, plan)}
    calendar = agency.calendar()
    unscheduled = set(plan.unscheduled)
    reasons = explainable(data.priority, data.health_known)

    with transaction.atomic():
        # One writer per agency at a time (two workers may pick up two jobs).
        PlanRequest.objects.get_or_create(agency=agency)
        PlanRequest.objects.select_for_update().filter(agency=agency).first()
        run = PlanRun.objects.create(
            agency=agency, reason=reason[:100], started_at=now, inputs_hash=data.inputs_hash,
            total_weighted_lateness=plan.total_weighted_lateness, late_count=len(plan.late),
            task_count=len(data.tasks), conflicts=list(plan.conflicts)[:50],
        )  # fmt: skip
        forecasts: list[TaskForecast] = []
        by_person: dict[str, list[tuple[float, int]]] = {}
        for i, t in enumerate(data.tasks):
            item = plan.items.get(str(t.pk))
            lines, decisive = _one_lines(reasons, i)
            details: dict[str, Any] = {
                "one_line": lines,
                "decisive": decisive,
                "factors": [
                    [name, round(float(data.priority.values[i, k]), 4), round(float(data.priority.contributions[i, k]), 4)]
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
                agency=agency, task=t, plan_run=run, person_id=t.assignee_id,
                weight=float(data.priority.weight[i]), one_line=lines["ru"][:500], details=details,
            )  # fmt: skip
            if item is None or str(t.pk) in unscheduled:
                fc.unscheduled = True
                if item is not None:
                    details["notes"].append("beyond_horizon")
            else:
                fc.predicted_start = from_hours(now, item.start)
                fc.predicted_finish = from_hours(now, item.finish)
                fc.late_hours = round(item.late_hours, 4)
                details["segments"] = [
                    [from_hours(now, a).isoformat(), from_hours(now, b).isoformat()] for a, b in item.segments
                ]
                if t.due_at:
                    fc.slack_hours = calendar.between(fc.predicted_finish, t.due_at).total_seconds() / 3600.0
                by_person.setdefault(item.person, []).append((item.start, len(forecasts)))
            forecasts.append(fc)
        for entries in by_person.values():
            for rank, (_start, idx) in enumerate(sorted(entries), start=1):
                forecasts[idx].rank = rank
        TaskForecast.objects.filter(agency=agency).delete()
        TaskForecast.objects.bulk_create(forecasts)
        _sync_proposals(agency, run, data, moves, unscheduled, calendar, now)
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
        # Changes made while we planned keep the flag (and their job) alive.
        PlanRequest.objects.filter(agency=agency, requested_at__lte=now).update(dirty=False)
    return run


def _sync_proposals(agency, run, data: EngineInput, moves, unscheduled, calendar, now) -> None:
    tasks = {str(t.pk): t for t in data.tasks}
    pending = {p.task_id: p for p in DeadlineProposal.objects.filter(agency=agency, status=ProposalStatus.PENDING)}
    wanted: set[int] = set()
    for tid, move in moves.items():
        task = tasks[tid]
        if tid in unscheduled or task.due_at is None:
            continue
        finish = from_hours(now, move.new_due)
        new_due = _end_of_day(calendar, finish)
        if new_due <= task.due_at:
            continue
        refused = DeadlineProposal.objects.filter(
            task=task, status=ProposalStatus.REJECTED, old_due=task.due_at, new_due__gte=new_due
        ).exists()
        if refused:
            continue
        wanted.add(task.pk)
        reason = default_reason(task, finish)
        message = client_message(task, new_due, reason) if task.is_client_visible else ""
        row = pending.get(task.pk)
        if row is None:
            DeadlineProposal.objects.create(
                agency=agency, task=task, plan_run=run, old_due=task.due_at, new_due=new_due,
                lateness_hours=round(move.lateness_hours, 2), message=message, reason=reason,
                created_at=now, updated_at=now,
            )  # fmt: skip
        elif (row.new_due, row.old_due) != (new_due, task.due_at) or row.message != message:
            row.plan_run, row.old_due, row.new_due = run, task.due_at, new_due
            row.lateness_hours, row.message, row.reason, row.updated_at = (
                round(move.lateness_hours, 2), message, reason, now,
            )  # fmt: skip
            row.save()
        else:
            DeadlineProposal.objects.filter(pk=row.pk).update(plan_run=run)
    stale = [pk for task_id, p in pending.items() if task_id not in wanted for pk in [p.pk]]
    if stale:
        DeadlineProposal.objects.filter(pk__in=stale).update(status=ProposalStatus.WITHDRAWN, updated_at=now)


def request_replan(agency_id: int) -> None:
    """Mark the agency's plan dirty and enqueue one job after the commit.

    Coalescing: inside one transaction only the first change registers a job; across
    transactions the job replans only while the flag is set, so jobs that queued up behind
    one run find nothing to do.
    """
    now = timezone.now()
    if not PlanRequest.objects.filter(agency_id=agency_id).update(dirty=True, requested_at=now):
        PlanRequest.objects.get_or_create(agency_id=agency_id, defaults={"dirty": True, "requested_at": now})
    if connection.in_atomic_block:
        marker = f"planning:{agency_id}"
        if any(getattr(cb, "planning_marker", None) == marker for _ids, cb, *_ in connection.run_on_commit):
            return

        def enqueue() -> None:
            _enqueue(agency_id)

        enqueue.planning_marker = marker  # type: ignore[attr-defined]
        transaction.on_commit(enqueue)
    else:
        _enqueue(agency_id)


def _enqueue(agency_id: int) -> None:
    from kabinet.planning.tasks import replan_agency

    job = replan_agency
    try:
        if job.get_backend().supports_defer:
            # Wait a moment so a burst of changes (a playbook creating 20 tasks) is one run.
            job = job.using(run_after=timezone.now() + timedelta(seconds=2))
        job.enqueue(agency_id)
    except Exception:  # a broken queue must never break the change that was just saved
        logger.exception("could not enqueue replanning for agency %s", agency_id)


def replan_if_dirty(agency_id: int, *, reason: str = "") -> PlanRun | None:
    """Claim the dirty flag (one claimer wins) and replan; None when another run already did."""
    with transaction.atomic():
        claimed = PlanRequest.objects.filter(agency_id=agency_id, dirty=True).update(dirty=False)
    if not claimed:
        return None
    agency = Agency.objects.get(pk=agency_id)
    try:
        return replan(agency, reason=reason, force=False)
    except Exception:
        PlanRequest.objects.filter(agency_id=agency_id).update(dirty=True)  # try again next time
        raise


def replan_all(*, reason: str = "periodic") -> int:
    count = 0
    for agency in Agency.objects.all():
        if Task.objects.filter(agency=agency, status__in=Task.OPEN_STATUSES).exists():
            # Unchanged and planned within RECENT_RUN: skipped (cheap when a scheduler catches up).
            replan(agency, reason=reason, force=False)
            count += 1
    return count


# --------------------------------------------------------------------------- messages


def format_when(task: Task, at: datetime) -> str:
    """«4 декабря, 18:00» / «4 December, 18:00» in the agency's time zone, current language."""
    local = timezone.localtime(at, task.project.agency.calendar().tz)
    return formats.date_format(local, "j E, H:i")


def _client_first_name(task: Task) -> str:
    membership = (
        task.project.company.memberships.filter(role=Role.CLIENT, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user.get_short_name() if membership else ""


def default_reason(task: Task, finish: datetime) -> str:
    """The reason for the move, in the client's language (it goes on the client's record)."""
    with translation.override(task.project.company.language or "ru"):
        return _(
            "the specialist's schedule is full: by the computed plan the work will be ready by %(when)s"
        ) % {"when": format_when(task, finish)}


def client_message(task: Task, new_due: datetime, reason: str) -> str:
    """A ready-to-edit message to the client in the client company's language."""
    with translation.override(task.project.company.language or "ru"):
        name = _client_first_name(task)
        greeting = _("%(name)s, good afternoon!") % {"name": name} if name else _("Good afternoon!")
        return " ".join(
            [
                greeting,
                _("To do “%(title)s” properly, we need more time: the new deadline is %(when)s.")
                % {"title": task.title, "when": format_when(task, new_due)},
                _("Reason: %(reason)s.") % {"reason": reason.rstrip(".")},
                _("Thank you for understanding!"),
            ]
        )


# --------------------------------------------------------------------------- decisions


def _require_manager_of(viewer: Viewer, task: Task) -> None:
    from kabinet.core.scoping import projects

    if not viewer.is_manager or not projects(viewer).filter(pk=task.project_id).exists():
        raise PermissionDenied


def accept_proposal(
    viewer: Viewer, proposal: DeadlineProposal, *, message: str, reason: str, seen_new_due: datetime | None = None
) -> DeadlineProposal:
    """Move the deadline through the normal task change and tell the client.

    The task change records who/why and, for a client-visible task, the DEADLINE event in the
    client's chronology; the edited message goes to the client as a MESSAGE event. A pending
    promise on the task is renegotiated through the promises app (its chronology entry then
    carries the message, so it is not posted twice).
    """
    from kabinet.work import services as work

    with transaction.atomic():
        proposal = DeadlineProposal.objects.select_for_update().select_related(
            "task__project__company", "task__project__agency"
        ).get(pk=proposal.pk)
        task = proposal.task
        _require_manager_of(viewer, task)
        message, reason = (message or "").strip(), (reason or "").strip()
        errors: dict[str, str] = {}
        if proposal.status != ProposalStatus.PENDING:
            raise ValidationError(_("This proposal has already been decided: %(status)s.")
                                  % {"status": proposal.get_status_display()})  # fmt: skip
        if seen_new_due is not None and abs((seen_new_due - proposal.new_due).total_seconds()) >= 1:
            raise ValidationError(
                _("The plan changed while you were reading: the proposed date is now %(when)s. Check it and accept again.")
                % {"when": format_when(task, proposal.new_due)}
            )
        if not task.is_open:
            raise ValidationError(_("The task is already closed; there is no deadline to move."))
        if not reason:
            errors["reason"] = _("Say why the deadline moves: the reason is kept on the record.")
        if task.is_client_visible and not message:
            errors["message"] = _("Write the message to the client: a new deadline is always told to them.")
        if errors:
            raise ValidationError(errors)
        work.change_task(viewer.user, task, reason=reason, due_at=proposal.new_due)
        told = _renegotiate_promises(viewer, task, proposal.new_due, reason, message)
        if task.is_client_visible and not told:
            with translation.override(task.project.company.language or "ru"):
                title = _("New deadline: %(title)s") % {"title": task.title}
            record_event(task.project, kind=Kind.MESSAGE, title=title, body=message, author=viewer.user,
                         visibility=Visibility.CLIENT, source=proposal)  # fmt: skip
        proposal.status = ProposalStatus.ACCEPTED
        proposal.message = message
        proposal.reason = reason
        proposal.decided_by = viewer.user
        proposal.decided_at = timezone.now()
        proposal.save()
        audit(viewer.agency, viewer.user, "deadline_proposal_accepted", proposal, task=task.pk,
              old_due=proposal.old_due.isoformat(), new_due=proposal.new_due.isoformat())  # fmt: skip
    return proposal


def _renegotiate_promises(viewer: Viewer, task: Task, new_due: datetime, reason: str, message: str) -> bool:
    """Renegotiate the task's pending promises due before the new date; True if the client was told."""
    if not hasattr(Task, "promises") or not message:
        return False
    try:
        from kabinet.promises import services as promises
        from kabinet.promises.models import PENDING_STATES
    except ImportError:  # pragma: no cover
        return False
    renegotiate = getattr(promises, "renegotiate", None)
    if renegotiate is None:  # pragma: no cover
        return False
    told = False
    for promise in task.promises.filter(state__in=PENDING_STATES, due_at__lt=new_due):
        renegotiate(viewer, promise, new_due=new_due, reason=reason, message=message)
        told = True
    return told


def reject_proposal(viewer: Viewer, proposal: DeadlineProposal, *, note: str) -> DeadlineProposal:
    """Keep the deadline; who rejected and why is recorded. The task does not change."""
    with transaction.atomic():
        proposal = DeadlineProposal.objects.select_for_update().select_related("task").get(pk=proposal.pk)
        _require_manager_of(viewer, proposal.task)
        note = (note or "").strip()
        if proposal.status != ProposalStatus.PENDING:
            raise ValidationError(_("This proposal has already been decided: %(status)s.")
                                  % {"status": proposal.get_status_display()})  # fmt: skip
        if not note:
            raise ValidationError({"note": _("Say why the deadline stays: the team will see it.")})
        proposal.status = ProposalStatus.REJECTED
        proposal.decision_note = note
        proposal.decided_by = viewer.user
        proposal.decided_at = timezone.now()
        proposal.save()
        audit(viewer.agency, viewer.user, "deadline_proposal_rejected", proposal, task=proposal.task_id, note=note)
    return proposal


# --------------------------------------------------------------------------- pin and boost


def can_pin(viewer: Viewer, task: Task) -> bool:
    from kabinet.core.scoping import projects

    if not viewer.is_staff or not projects(viewer).filter(pk=task.project_id).exists():
        return False
    return viewer.is_manager or task.assignee_id == viewer.user.pk


def set_pinned(viewer: Viewer, task: Task, pinned: bool) -> Task:
    """Pin a task where the plan has it now (or now), or unpin it; the change is recorded."""
    from kabinet.work import services as work

    if not can_pin(viewer, task):
        raise PermissionDenied
    if pinned:
        forecast = TaskForecast.objects.filter(task=task).first()
        start = forecast.predicted_start if forecast and forecast.predicted_start else timezone.now()
        return work.change_task(viewer.user, task, pinned=True, pinned_start=task.pinned_start or start,
                                reason=_("pinned in the queue"))  # fmt: skip
    return work.change_task(viewer.user, task, pinned=False, pinned_start=None, reason=_("unpinned in the queue"))


def set_boost(viewer: Viewer, task: Task, boost: Any) -> Task:
    """A manager's manual boost, 0 to MAX_BOOST (the engine counts it as one of the factors)."""
    from kabinet.work import services as work

    _require_manager_of(viewer, task)
    try:
        value = int(str(boost).strip())
    except (TypeError, ValueError) as exc:
        raise ValidationError({"boost": _("The boost is a whole number from 0 to %(max)s.") % {"max": MAX_BOOST}}) from exc
    if not 0 <= value <= MAX_BOOST:
        raise ValidationError({"boost": _("The boost is a whole number from 0 to %(max)s.") % {"max": MAX_BOOST}})
    return work.change_task(viewer.user, task, priority_boost=value, reason=_("priority boost in the queue"))
