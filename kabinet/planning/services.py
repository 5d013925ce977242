"""Every write of the planning app: the head's weights, replanning, deadline proposals and the
decisions on them, pin and boost.

``replan`` runs the engine on the adapter's inputs (``adapter.build_inputs``) and writes the
forecasts and the deadline proposals. Proposal rule: one pending proposal per task, updated in
place by later runs; withdrawn when the task is no longer predicted late; and a manager who
rejected moving a task to a date D is not asked again for that task unless its due date has
changed since, or the plan now needs a date later than D.

The client-facing wording of a proposal lives in ``wording``.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kabinet.core import concurrency, limits
from kabinet.core.errors import Conflict
from kabinet.core.models import Agency
from kabinet.core.scoping import Viewer, projects, require_head, require_manager, require_project
from kabinet.core.services import audit
from kabinet.health.understanding import store_work_at_risk
from kabinet.lib.scheduling import planner, priority, reassign
from kabinet.planning.adapter import (
    MAX_BOOST,
    EngineInput,
    build_inputs,
    end_of_day,
    explainable,
    fingerprint,
    forecasts_from_plan,
    from_hours,
    weights_for,
)
from kabinet.planning.commitments import store_commitment_options
from kabinet.planning.models import (
    Absence,
    AbsenceKind,
    DeadlineProposal,
    PersonSchedule,
    PlanRequest,
    PlanRun,
    PriorityWeights,
    ProposalStatus,
    ReassignmentProposal,
    Skill,
    TaskForecast,
)
from kabinet.planning.wording import (
    DEFAULT_CLIENT_REASON,
    client_message,
    client_reason_text,
    default_reason,
    format_when,
)
from kabinet.timeline.models import Kind, Visibility
from kabinet.timeline.services import record_event
from kabinet.work.models import Task

logger = logging.getLogger(__name__)

# A task finishing less than this many business hours before its due date is "at risk".
AT_RISK_SLACK_HOURS = 4.0
# An unchanged plan input is not replanned again within this time (unless asked by a person).
RECENT_RUN = timedelta(minutes=15)
# Only a safety net: the engine budgets its search in work, so the same input gives the same plan
# under any load; this cap is reached only by a runaway search.
PLAN_TIME_LIMIT = 60.0


# --------------------------------------------------------------------------- settings


def describe_weights(*, row: PriorityWeights) -> dict[str, tuple[str, str]]:
    """The weights as stored, in the fields of the weights form (the conflict panel)."""
    from kabinet.planning.forms import FACTOR_LABELS

    saved = {f"w_{k}": (str(FACTOR_LABELS[k]), f"{v:g}") for k, v in row.merged().items()}
    saved["capacity_hours"] = (_("Daily capacity, hours"), f"{row.capacity_hours:g}")
    return saved


def save_weights(
    *, viewer: Viewer, weights: dict[str, Any], capacity_hours: Any, version: int | None = None
) -> PriorityWeights:
    """The head sets how much each factor counts and the daily capacity; then the plan is redone.
    `version` is the settings as the head saw them: saved since by another, ``EditConflict``."""
    require_head(viewer)
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
        row = PriorityWeights.objects.select_for_update().get(pk=weights_for(viewer.agency).pk)
        concurrency.check(
            row,
            version,
            saved=lambda: describe_weights(row=row),
            by=concurrency.who(row.updated_by) if row.updated_by_id else "",
            at=row.updated_at,
        )
        row.weights = clean
        row.capacity_hours = capacity
        row.updated_by = viewer.user
        row.updated_at = timezone.now()
        concurrency.bump(row)
        row.save()
        audit(
            agency=viewer.agency,
            actor=viewer.user,
            verb="priority_weights_changed",
            obj=row,
            weights=clean,
            capacity_hours=str(capacity),
        )
        request_replan(agency_id=viewer.agency.pk)
    return row


# --------------------------------------------------------------------------- replanning


def replan(
    *, agency: Agency, reason: str = "", now: datetime | None = None, force: bool = True
) -> PlanRun:
    """Run the engine for the whole agency; replace the forecasts; keep the proposals current.

    With force=False an unchanged input planned less than RECENT_RUN ago is not planned again
    (the previous run is returned).
    """
    # Requests made up to this instant are planned by this run (real time, like requested_at).
    planned_until = timezone.now()
    now = (now or planned_until).replace(microsecond=0)
    if not force:  # checked before the (costlier) inputs are built
        last = PlanRun.objects.filter(agency=agency, finished_at__isnull=False).first()
        if (
            last is not None
            and last.inputs_hash == fingerprint(agency)
            and abs(now - last.started_at) < RECENT_RUN
        ):
            # The stored plan is the plan of these inputs: nothing is left to plan.
            PlanRequest.objects.filter(agency=agency, requested_at__lte=planned_until).update(
                dirty=False
            )
            store_work_at_risk(agency, now)  # the clock may have made more of it overdue
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
            agency=agency,
            reason=reason[:100],
            started_at=now,
            inputs_hash=data.inputs_hash,
            total_weighted_lateness=plan.total_weighted_lateness,
            late_count=len(plan.late),
            task_count=len(data.tasks),
            conflicts=list(plan.conflicts)[:50],
        )
        forecasts = forecasts_from_plan(agency, run, data, plan, calendar, reasons)
        # What would meet each committed date the plan cannot meet: stored with the forecasts,
        # so the at-risk page reads it instead of computing it in the request.
        store_commitment_options(
            agency,
            forecasts,
            data.persons,
            data.committed,
            calendar,
            data.now,
            float(weights_for(agency).capacity_hours),
        )
        TaskForecast.objects.filter(agency=agency).delete()
        TaskForecast.objects.bulk_create(forecasts)
        _sync_proposals(agency, run, data, moves, unscheduled, calendar, now)
        _sync_reassignments(agency, run, data, plan, unscheduled, now)
        store_work_at_risk(agency, now)  # the head's page reads it per company
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
        # Changes made while we planned keep the flag (and their job) alive.
        PlanRequest.objects.filter(agency=agency, requested_at__lte=planned_until).update(
            dirty=False
        )
    return run


def _sync_proposals(agency, run, data: EngineInput, moves, unscheduled, calendar, now) -> None:
    tasks = {str(t.pk): t for t in data.tasks}
    pending = {
        p.task_id: p
        for p in DeadlineProposal.objects.filter(agency=agency, status=ProposalStatus.PENDING)
    }
    # Rejected moves of the tasks the plan wants to move, read once (not one query per task).
    rejected: dict[int, list[tuple[datetime, datetime]]] = {}
    moved_ids = [tasks[tid].pk for tid in moves if tid in tasks]
    for start in range(0, len(moved_ids), 500):
        for task_id, old_due, rejected_due in DeadlineProposal.objects.filter(
            agency=agency,
            status=ProposalStatus.REJECTED,
            task_id__in=moved_ids[start : start + 500],
        ).values_list("task_id", "old_due", "new_due"):
            rejected.setdefault(task_id, []).append((old_due, rejected_due))
    new_rows: list[DeadlineProposal] = []
    kept: list[int] = []
    wanted: set[int] = set()
    for tid, move in moves.items():
        task = tasks[tid]
        if tid in unscheduled or task.due_at is None:
            continue
        finish = from_hours(now, move.new_due)
        new_due = end_of_day(calendar, finish)
        if new_due <= task.due_at:
            continue
        refused = any(
            old == task.due_at and refused_due >= new_due
            for old, refused_due in rejected.get(task.pk, ())
        )
        if refused:
            continue
        row = pending.get(task.pk)
        if task.pk in data.committed and (row is None or row.asked_by_id is None):
            # A commitment is never proposed to move by the plan itself: the at-risk page says
            # what would meet it; a manager may still ask for a move (ask_for_move).
            continue
        wanted.add(task.pk)
        reason = default_reason(task, finish)
        client_reason = (row.client_reason if row is not None else "") or DEFAULT_CLIENT_REASON
        message = client_message(task, new_due, client_reason) if task.is_client_visible else ""
        if row is None:
            new_rows.append(
                DeadlineProposal(
                    agency=agency,
                    task=task,
                    plan_run=run,
                    old_due=task.due_at,
                    new_due=new_due,
                    lateness_hours=round(move.lateness_hours, 2),
                    message=message,
                    reason=reason,
                    client_reason=DEFAULT_CLIENT_REASON if task.is_client_visible else "",
                    created_at=now,
                    updated_at=now,
                )
            )
        elif (row.new_due, row.old_due) != (new_due, task.due_at) or row.message != message:
            row.plan_run, row.old_due, row.new_due = run, task.due_at, new_due
            row.lateness_hours, row.message, row.reason, row.updated_at = (
                round(move.lateness_hours, 2),
                message,
                reason,
                now,
            )
            row.save()
        else:
            kept.append(row.pk)
    if new_rows:
        DeadlineProposal.objects.bulk_create(new_rows, batch_size=500)
    for start in range(0, len(kept), 500):
        DeadlineProposal.objects.filter(pk__in=kept[start : start + 500]).update(plan_run=run)
    stale = [pk for task_id, p in pending.items() if task_id not in wanted for pk in [p.pk]]
    if stale:
        DeadlineProposal.objects.filter(pk__in=stale).update(
            status=ProposalStatus.WITHDRAWN, updated_at=now
        )


def _sync_reassignments(agency, run, data: EngineInput, plan, unscheduled, now) -> None:
    """Keep one pending reassignment per task where giving it to another person with the skill
    and a seat on the project removes lateness. A manager's rejection holds for the same cause
    (same people, same due date) unless the task has become later since."""
    try:
        found = reassign.propose_reassignments(data.persons, data.plan_tasks, plan)
    except ValueError:  # pragma: no cover - the plan was made from the same input
        logger.exception("reassignment proposals failed for agency %s", agency.pk)
        found = []
    tasks = {str(t.pk): t for t in data.tasks}
    pending = {
        p.task_id: p
        for p in ReassignmentProposal.objects.filter(agency=agency, status=ProposalStatus.PENDING)
    }
    wanted: set[int] = set()
    for r in found:
        task = tasks.get(r.task_id)
        if task is None or r.task_id in unscheduled:
            continue
        from_id, to_id = int(r.from_person), int(r.to_person)
        refused = ReassignmentProposal.objects.filter(
            task=task,
            status=ProposalStatus.REJECTED,
            from_person_id=from_id,
            to_person_id=to_id,
            due_at=task.due_at,
            late_hours_before__gte=round(r.late_hours_before, 2) - 0.01,
        ).exists()
        if refused:
            continue
        wanted.add(task.pk)
        values = {
            "plan_run": run,
            "from_person_id": from_id,
            "to_person_id": to_id,
            "due_at": task.due_at,
            "late_hours_before": round(r.late_hours_before, 2),
            "late_hours_after": round(r.late_hours_after, 2),
            "new_finish": from_hours(now, r.new_finish),
            "saves": round(r.saves, 2),
        }
        row = pending.get(task.pk)
        if row is None:
            ReassignmentProposal.objects.create(
                agency=agency, task=task, created_at=now, updated_at=now, **values
            )
        else:
            for key, value in values.items():
                setattr(row, key, value)
            row.updated_at = now
            row.save()
    stale = [p.pk for task_id, p in pending.items() if task_id not in wanted]
    if stale:
        ReassignmentProposal.objects.filter(pk__in=stale).update(
            status=ProposalStatus.WITHDRAWN, updated_at=now
        )


def request_replan(*, agency_id: int) -> None:
    """Mark the agency's plan dirty and enqueue one job after the commit.

    Coalescing: inside one transaction only the first change registers a job; across
    transactions the job replans only while the flag is set, so jobs that queued up behind
    one run find nothing to do.
    """
    now = timezone.now()
    if not PlanRequest.objects.filter(agency_id=agency_id).update(dirty=True, requested_at=now):
        PlanRequest.objects.get_or_create(
            agency_id=agency_id, defaults={"dirty": True, "requested_at": now}
        )
    if connection.in_atomic_block:
        marker = f"planning:{agency_id}"
        if any(
            getattr(cb, "planning_marker", None) == marker
            for _ids, cb, *_ in connection.run_on_commit
        ):
            return

        def enqueue() -> None:
            _enqueue(agency_id)

        enqueue.planning_marker = marker  # type: ignore[attr-defined]
        transaction.on_commit(enqueue)
    else:
        _enqueue(agency_id)


def _enqueue(agency_id: int) -> None:
    from kabinet.jobs.outbox import enqueue_or_leave
    from kabinet.planning.tasks import replan_agency

    run_after = None
    try:
        if replan_agency.get_backend().supports_defer:
            # Wait a moment so a burst of changes (a playbook creating 20 tasks) is one run.
            run_after = timezone.now() + timedelta(seconds=2)
    except Exception:  # a misconfigured backend: enqueue_or_leave logs the failure
        pass
    # A queue that is away never breaks the change that was just saved: the job is left for
    # the sweep (kabinet.jobs.outbox), and the dirty flag stays set until a plan is stored.
    enqueue_or_leave(replan_agency, run_after=run_after, agency_id=agency_id)


def replan_if_dirty(*, agency_id: int, reason: str = "") -> PlanRun | None:
    """Replan while the agency's plan is dirty; None when a run already cleared the flag.

    The flag is cleared by `replan` in the transaction that stores the plan (and only for the
    changes it planned), never before: a run killed mid-way leaves it set, so the job run again
    (or the sweep, or the hourly replan) plans it. Jobs that queued up behind one run find the
    flag clear and do nothing; two runs at the same moment store one plan after the other.
    """
    if not PlanRequest.objects.filter(agency_id=agency_id, dirty=True).exists():
        return None
    agency = Agency.objects.get(pk=agency_id)
    return replan(agency=agency, reason=reason, force=False)


def replan_all(*, reason: str = "periodic") -> int:
    count = 0
    for agency in Agency.objects.all():
        if Task.objects.filter(agency=agency, status__in=Task.OPEN_STATUSES).exists():
            # Unchanged and planned within RECENT_RUN: skipped (cheap when a scheduler catches up).
            replan(agency=agency, reason=reason, force=False)
            count += 1
    return count


# --------------------------------------------------------------------------- decisions


def describe_task(*, task: Task) -> dict[str, tuple[str, str]]:
    """The task as stored, in what the planning pages change (the conflict panel): its deadline
    (named as the accept form's date), status, assignee, estimate, pin and boost."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(task.project.agency.timezone)
    due = task.due_at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if task.due_at else "—"
    estimate = (
        format(Decimal(task.estimate_hours).normalize(), "f")
        if task.estimate_hours is not None
        else "—"
    )
    return {
        "new_due": (_("Deadline"), due),
        "status": (_("Status"), str(Task.Status(task.status).label)),
        "assignee": (_("Assignee"), str(task.assignee) if task.assignee_id else "—"),
        "estimate_hours": (_("Estimate, hours"), estimate),
        "pinned": (_("Pinned in the queue"), pin_label(pinned=task.pinned)),
        "boost": (_("Priority boost"), str(task.priority_boost)),
    }


def pin_label(*, pinned: bool) -> str:
    return str(_("pinned") if pinned else _("not pinned"))


def _locked_task(task: Task, version: int | None) -> Task:
    """`task` locked for this transaction; ``EditConflict`` with the stored task when it changed
    since the person loaded the page that showed it at `version` (None: not checked)."""
    task = (
        Task.objects.select_for_update(of=("self",))
        .select_related("project__agency", "project__company", "assignee")
        .get(pk=task.pk)
    )
    concurrency.check(task, version, saved=lambda: describe_task(task=task))
    return task


def _require_manager_of(viewer: Viewer, task: Task) -> None:
    require_manager(viewer)
    require_project(viewer, task.project_id)


def _already_decided(proposal: DeadlineProposal | ReassignmentProposal) -> None:
    """A proposal is decided once: its state is its version (kabinet.core.concurrency). The second
    decision changes nothing and is shown the first one — what, by whom, when."""
    if proposal.status == ProposalStatus.PENDING:
        return
    by = concurrency.who(proposal.decided_by) if proposal.decided_by_id else ""
    at = proposal.decided_at
    saved: dict[str, tuple[str, str]] = {"status": (_("Decision"), proposal.get_status_display())}
    if isinstance(proposal, DeadlineProposal):
        tz = proposal.task.project.agency.timezone
        from zoneinfo import ZoneInfo

        accepted = proposal.status == ProposalStatus.ACCEPTED
        due = proposal.new_due if accepted else proposal.old_due
        local = due.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")
        saved["new_due"] = (_("Deadline"), local)
        saved["message"] = (_("Message to the client"), proposal.message if accepted else "—")
        if accepted:
            saved["reason"] = (_("Internal reason"), proposal.reason or "—")
        else:
            saved["note"] = (_("Why the deadline stays"), proposal.decision_note or "—")
    elif proposal.decision_note:
        saved["note"] = (_("Note"), proposal.decision_note)
    if by and at is not None:
        message = _(
            "This proposal has already been decided by %(who)s (%(when)s): %(status)s. "
            "Nothing you entered was applied."
        ) % {
            "who": by,
            "when": formats.date_format(timezone.localtime(at), "d.m.Y H:i"),
            "status": proposal.get_status_display(),
        }
    else:
        message = _("This proposal has already been decided: %(status)s.") % {
            "status": proposal.get_status_display()
        }
    raise concurrency.EditConflict(message, saved=saved, by=by, at=at, code="decided")


def accept_proposal(
    *,
    viewer: Viewer,
    proposal: DeadlineProposal,
    message: str,
    reason: str,
    client_reason: str | None = None,
    new_due: datetime | None = None,
    seen_new_due: datetime | None = None,
    version: int | None = None,
) -> DeadlineProposal:
    """Move the deadline through the normal task change and tell the client.

    `reason` is internal (the task's change record); the client is given `client_reason` (a key
    of wording.CLIENT_REASONS or the manager's words). `new_due` is the date as the manager edited
    it (default: the proposed one); a message left as drafted is redrafted for it.

    The task change records who/why and, for a client-visible task, the DEADLINE event in the
    client's chronology; the edited message goes to the client as a MESSAGE event. A pending
    promise on the task is renegotiated through the promises app (its chronology entry then
    carries the message, so it is not posted twice).

    `version` is the task's version on the page the manager decided from: if the task changed
    since (another person moved its deadline, say), nothing moves and ``EditConflict`` shows
    the task as stored. A proposal made from a deadline the task no longer has is out of date
    until the next replan, whatever the version: ``EditConflict`` too (``_deadline_unchanged``).
    """
    from kabinet.work import services as work

    with transaction.atomic():
        proposal = (
            DeadlineProposal.objects.select_for_update(of=("self",))
            .select_related("task__project__company", "task__project__agency", "decided_by")
            .get(pk=proposal.pk)
        )
        _require_manager_of(viewer, proposal.task)
        message, reason = (message or "").strip(), (reason or "").strip()
        errors: dict[str, str] = {}
        _already_decided(proposal)
        task = proposal.task = _locked_task(proposal.task, None)
        _deadline_unchanged(proposal, task)
        concurrency.check(task, version, saved=lambda: describe_task(task=task))
        edited = new_due is not None and abs((new_due - proposal.new_due).total_seconds()) >= 60
        if (
            not edited
            and seen_new_due is not None
            and abs((seen_new_due - proposal.new_due).total_seconds()) >= 1
        ):
            raise Conflict(
                _(
                    "The plan changed while you were reading: the proposed date is now %(when)s. Check it and accept again."
                )
                % {"when": format_when(task, proposal.new_due)}
            )
        if not task.is_open:
            raise Conflict(_("The task is already closed; there is no deadline to move."))
        target = new_due if edited else proposal.new_due
        if edited and target <= timezone.now():
            errors["new_due"] = _("The new deadline must be in the future.")
        elif edited and target <= proposal.old_due:
            errors["new_due"] = _("The new deadline must be later than the current one.")
        if client_reason is None:
            client_reason = proposal.client_reason or DEFAULT_CLIENT_REASON
        client_reason = client_reason.strip()
        said = client_reason_text(task, client_reason)
        if task.is_client_visible and not said:
            errors["client_reason"] = _("Choose or write the reason the client is given.")
        untouched = message == proposal.message
        if (
            task.is_client_visible
            and untouched
            and (edited or client_reason != proposal.client_reason)
        ):
            # Left as drafted: drafted again for the date and the reason chosen now.
            message = client_message(task, target, client_reason)
        if not reason:
            errors["reason"] = _("Say why the deadline moves: the reason is kept on the record.")
        if task.is_client_visible and not message:
            errors["message"] = _(
                "Write the message to the client: a new deadline is always told to them."
            )
        if errors:
            raise ValidationError(errors)
        work.change_task(
            viewer=viewer.user,
            task=task,
            reason=reason,
            client_reason=said if task.is_client_visible else None,
            due_at=target,
        )
        told = _renegotiate_promises(viewer, task, target, reason, message)
        if task.is_client_visible and not told:
            event = record_event(
                project=task.project,
                kind=Kind.MESSAGE,
                title_key="new_deadline",
                title_params={"title": task.title},
                body=message,
                author=viewer.user,
                visibility=Visibility.CLIENT,
                source=proposal,
            )
            from kabinet.promises.services import detect_later

            detect_later(event=event)
        proposal.status = ProposalStatus.ACCEPTED
        proposal.new_due = target
        proposal.message = message
        proposal.reason = reason
        proposal.client_reason = client_reason
        proposal.decided_by = viewer.user
        proposal.decided_at = timezone.now()
        proposal.save()
        audit(
            agency=viewer.agency,
            actor=viewer.user,
            verb="deadline_proposal_accepted",
            obj=proposal,
            task=task.pk,
            old_due=proposal.old_due.isoformat(),
            new_due=proposal.new_due.isoformat(),
        )
    return proposal


def _deadline_unchanged(proposal: DeadlineProposal, task: Task) -> None:
    """Refuse a proposal whose task's deadline changed since the plan proposed the move (another
    person moved it): its dates and message were made for the old deadline, so it is out of date
    until the next replan, which proposes again from the new one. ``EditConflict`` shows the
    deadline saved now and who moved it; it carries no version, as accepting again cannot help
    (as ``accept_reassignment`` refuses a task given to someone else since)."""
    if task.due_at == proposal.old_due:
        return
    from kabinet.work.models import TaskChange

    change = (
        TaskChange.objects.filter(task=task, field=TaskChange.Field.DUE_AT)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
    by, at = (concurrency.who(change.actor), change.at) if change else ("", None)
    dates = {
        "due": format_when(task, task.due_at) if task.due_at else "—",
        "old": format_when(task, proposal.old_due),
    }
    if by and at is not None:
        message = _(
            "The task's deadline was changed after the plan proposed this move: %(who)s moved it "
            "(%(when)s), it is now %(due)s, not %(old)s. Nothing was moved; the next plan "
            "proposes again from the new deadline."
        ) % {**dates, "who": by, "when": formats.date_format(timezone.localtime(at), "d.m.Y H:i")}
    else:
        message = (
            _(
                "The task's deadline was changed after the plan proposed this move: it is now "
                "%(due)s, not %(old)s. Nothing was moved; the next plan proposes again from the new "
                "deadline."
            )
            % dates
        )
    raise concurrency.EditConflict(
        message, saved=describe_task(task=task), by=by, at=at, code="deadline_moved"
    )


def _renegotiate_promises(
    viewer: Viewer, task: Task, new_due: datetime, reason: str, message: str
) -> bool:
    """Renegotiate the task's pending promises due before the new date; True if the client was told."""
    from kabinet.promises import services as promises
    from kabinet.promises.models import PENDING_STATES

    if not message:
        return False
    told = False
    for promise in task.promises.filter(state__in=PENDING_STATES, due_at__lt=new_due):
        promises.renegotiate(
            viewer=viewer, promise=promise, new_due=new_due, reason=reason, message=message
        )
        told = True
    return told


def ask_for_move(
    *, viewer: Viewer, task: Task, now: datetime | None = None, version: int | None = None
) -> DeadlineProposal:
    """A manager asks for a move of a committed date the plan cannot meet: the proposal is made
    now from the task's forecast (the planner never proposes it by itself). `version` is the
    task as the manager saw it: changed since (its date moved, say), ``EditConflict``."""
    from kabinet.planning.adapter import committed_task_ids, pending_promise_task_ids

    with transaction.atomic():
        _require_manager_of(viewer, task)
        task = _locked_task(task, version)
        now = now or timezone.now()
        forecast = TaskForecast.objects.filter(task=task).first()
        if (
            task.due_at is None
            or forecast is None
            or not forecast.is_late
            or not forecast.predicted_finish
        ):
            raise ValidationError(_("The plan meets this date: there is nothing to move."))
        existing = DeadlineProposal.objects.filter(task=task, status=ProposalStatus.PENDING).first()
        if existing is not None:
            return existing
        agency = task.project.agency
        if task.pk not in committed_task_ids(
            agency, [task], pending_promise_task_ids(agency, [task.pk])
        ):
            raise ValidationError(
                _("This date is not a commitment: the plan proposes its move by itself.")
            )
        calendar = task.project.agency.calendar()
        new_due = end_of_day(calendar, forecast.predicted_finish)
        client_visible = task.is_client_visible
        proposal = DeadlineProposal.objects.create(
            agency=task.project.agency,
            task=task,
            plan_run=forecast.plan_run,
            old_due=task.due_at,
            new_due=new_due,
            lateness_hours=round(forecast.late_hours, 2),
            message=client_message(task, new_due, DEFAULT_CLIENT_REASON) if client_visible else "",
            reason=default_reason(task, forecast.predicted_finish),
            client_reason=DEFAULT_CLIENT_REASON if client_visible else "",
            asked_by=viewer.user,
            created_at=now,
            updated_at=now,
        )
        audit(
            agency=viewer.agency,
            actor=viewer.user,
            verb="deadline_move_asked",
            obj=proposal,
            task=task.pk,
        )
    return proposal


def reject_proposal(*, viewer: Viewer, proposal: DeadlineProposal, note: str) -> DeadlineProposal:
    """Keep the deadline; who rejected and why is recorded. The task does not change."""
    with transaction.atomic():
        proposal = (
            DeadlineProposal.objects.select_for_update(of=("self",))
            .select_related("task__project__agency", "decided_by")
            .get(pk=proposal.pk)
        )
        _require_manager_of(viewer, proposal.task)
        note = (note or "").strip()
        _already_decided(proposal)
        if not note:
            raise ValidationError({"note": _("Say why the deadline stays: the team will see it.")})
        proposal.status = ProposalStatus.REJECTED
        proposal.decision_note = note
        proposal.decided_by = viewer.user
        proposal.decided_at = timezone.now()
        proposal.save()
        audit(
            agency=viewer.agency,
            actor=viewer.user,
            verb="deadline_proposal_rejected",
            obj=proposal,
            task=proposal.task_id,
            note=note,
        )
    return proposal


# --------------------------------------------------------------------------- pin and boost


def can_pin(*, viewer: Viewer, task: Task) -> bool:
    if not viewer.is_staff or not projects(viewer).filter(pk=task.project_id).exists():
        return False
    return viewer.is_manager or task.assignee_id == viewer.user.pk


def set_pinned(*, viewer: Viewer, task: Task, pinned: bool, version: int | None = None) -> Task:
    """Pin a task where the plan has it now (or now), or unpin it; the change is recorded.
    `version` is the task as the queue showed it: changed since, ``EditConflict``."""
    from kabinet.work import services as work

    if not can_pin(viewer=viewer, task=task):
        raise PermissionDenied
    with transaction.atomic():
        task = _locked_task(task, version)
        if pinned:
            forecast = TaskForecast.objects.filter(task=task).first()
            start = (
                forecast.predicted_start
                if forecast and forecast.predicted_start
                else timezone.now()
            )
            return work.change_task(
                viewer=viewer.user,
                task=task,
                pinned=True,
                pinned_start=task.pinned_start or start,
                reason=_("pinned in the queue"),
            )
        return work.change_task(
            viewer=viewer.user,
            task=task,
            pinned=False,
            pinned_start=None,
            reason=_("unpinned in the queue"),
        )


def set_boost(*, viewer: Viewer, task: Task, boost: Any, version: int | None = None) -> Task:
    """A manager's manual boost, 0 to MAX_BOOST (the engine counts it as one of the factors).
    `version` is the task as the queue showed it: changed since, ``EditConflict``."""
    from kabinet.work import services as work

    _require_manager_of(viewer, task)
    try:
        value = int(str(boost).strip())
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            {"boost": _("The boost is a whole number from 0 to %(max)s.") % {"max": MAX_BOOST}}
        ) from exc
    if not 0 <= value <= MAX_BOOST:
        raise ValidationError(
            {"boost": _("The boost is a whole number from 0 to %(max)s.") % {"max": MAX_BOOST}}
        )
    with transaction.atomic():
        task = _locked_task(task, version)
        return work.change_task(
            viewer=viewer.user,
            task=task,
            priority_boost=value,
            reason=_("priority boost in the queue"),
        )


# --------------------------------------------------------------------------- reassignment


def accept_reassignment(*, viewer: Viewer, proposal: ReassignmentProposal) -> ReassignmentProposal:
    """Give the task to the proposed person through the normal task change (recorded with who and
    why; the new assignee is notified there); the plan is then redone."""
    from kabinet.work import services as work

    with transaction.atomic():
        proposal = (
            ReassignmentProposal.objects.select_for_update(of=("self",))
            .select_related("task__project__agency", "to_person", "from_person", "decided_by")
            .get(pk=proposal.pk)
        )
        task = proposal.task
        _require_manager_of(viewer, task)
        _already_decided(proposal)
        if not task.is_open:
            raise Conflict(_("The task is already closed; there is nothing to reassign."))
        if task.assignee_id != proposal.from_person_id:
            raise Conflict(
                _("The task has been given to someone else since; the plan will look again.")
            )
        work.change_task(
            viewer=viewer.user,
            task=task,
            assignee=proposal.to_person,
            reason=_("reassigned on the plan's proposal: %(from)s → %(to)s, so it is on time")
            % {"from": proposal.from_person.full_name, "to": proposal.to_person.full_name},
        )
        proposal.status = ProposalStatus.ACCEPTED
        proposal.decided_by = viewer.user
        proposal.decided_at = timezone.now()
        proposal.save()
        audit(
            agency=viewer.agency,
            actor=viewer.user,
            verb="reassignment_accepted",
            obj=proposal,
            task=task.pk,
            from_person=proposal.from_person_id,
            to_person=proposal.to_person_id,
        )
    return proposal


def reject_reassignment(
    *, viewer: Viewer, proposal: ReassignmentProposal, note: str = ""
) -> ReassignmentProposal:
    """Keep the task with its person. The same move is not proposed again for the same cause
    (the same people and due date) unless the task becomes later."""
    with transaction.atomic():
        proposal = (
            ReassignmentProposal.objects.select_for_update(of=("self",))
            .select_related("task", "decided_by")
            .get(pk=proposal.pk)
        )
        _require_manager_of(viewer, proposal.task)
        _already_decided(proposal)
        proposal.status = ProposalStatus.REJECTED
        proposal.decision_note = (note or "").strip()
        proposal.decided_by = viewer.user
        proposal.decided_at = timezone.now()
        proposal.save()
        audit(
            agency=viewer.agency,
            actor=viewer.user,
            verb="reassignment_rejected",
            obj=proposal,
            task=proposal.task_id,
            note=proposal.decision_note,
        )
    return proposal


# --------------------------------------------------------------------------- people


def may_edit_availability(*, viewer: Viewer, person) -> bool:
    """A staff member edits their own availability; the head edits anyone's."""
    return viewer.is_staff and (viewer.is_head or person.pk == viewer.user.pk)


def _require_availability(viewer: Viewer, person) -> None:
    from kabinet.core.models import STAFF_ROLES, Membership

    if not may_edit_availability(viewer=viewer, person=person):
        raise PermissionDenied
    if not Membership.objects.filter(
        agency=viewer.agency, user=person, role__in=STAFF_ROLES
    ).exists():
        raise PermissionDenied


def _parse_time(raw: Any, field: str, errors: dict[str, str]):
    from datetime import time

    raw = ("" if raw is None else str(raw)).strip()
    if not raw:
        return None
    try:
        return time.fromisoformat(raw)
    except ValueError:
        errors[field] = _("Give a time like 09:30.")
        return None


def save_schedule(
    *,
    viewer: Viewer,
    person,
    work_start: Any = "",
    work_end: Any = "",
    weekdays: Any = (),
    capacity_hours: Any = "",
    skills: Any = (),
) -> PersonSchedule:
    """A person's own working hours, working weekdays, daily capacity and skills (empty values:
    the agency's). The plan is redone at once."""
    _require_availability(viewer, person)
    errors: dict[str, str] = {}
    start = _parse_time(work_start, "work_start", errors)
    end = _parse_time(work_end, "work_end", errors)
    agency = viewer.agency
    if "work_start" not in errors and "work_end" not in errors:
        if (start or agency.work_start) >= (end or agency.work_end):
            errors["work_end"] = _("The working day must end after it starts.")
    try:
        days = sorted({int(d) for d in (weekdays or [])})
    except (TypeError, ValueError):
        days = []
        errors["weekdays"] = _("Choose the days of the week you work.")
    if any(not 0 <= d <= 6 for d in days):
        errors["weekdays"] = _("Choose the days of the week you work.")
    raw = ("" if capacity_hours is None else str(capacity_hours)).replace(",", ".").strip()
    capacity = None
    if raw:
        try:
            capacity = Decimal(raw)
            if not capacity.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors["capacity_hours"] = _("Give the daily capacity in hours, e.g. 6.")
        else:
            if not Decimal("0.5") <= capacity <= Decimal("24"):
                errors["capacity_hours"] = _("The daily capacity is from 0.5 to 24 hours.")
    try:
        skill_ids = {int(x) for x in (skills or [])}
    except (TypeError, ValueError):
        skill_ids = set()
        errors["skills"] = _("Choose skills from the list.")
    chosen = list(Skill.objects.filter(agency=agency, pk__in=skill_ids))
    if len(chosen) != len(skill_ids):
        errors["skills"] = _("Choose skills from the list.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row, _created = PersonSchedule.objects.get_or_create(agency=agency, user=person)
        row.work_start, row.work_end, row.weekdays = start, end, days
        row.capacity_hours = capacity
        row.updated_by = viewer.user
        row.updated_at = timezone.now()
        row.save()
        row.skills.set(chosen)
        audit(
            agency=agency,
            actor=viewer.user,
            verb="schedule_changed",
            obj=row,
            person=person.pk,
            hours=f"{start or ''}-{end or ''}",
            weekdays=days,
            capacity_hours=str(capacity or ""),
            skills=sorted(s.name for s in chosen),
        )
        request_replan(agency_id=agency.pk)
    return row


def add_absence(
    *, viewer: Viewer, person, kind: Any, starts_on: Any, ends_on: Any, note: str = ""
) -> Absence:
    """Vacation, sick leave or a day off, entered by the person or by the head; the plan is redone
    at once through the usual dirty flag and job."""
    from datetime import date

    _require_availability(viewer, person)
    errors: dict[str, str] = {}
    if kind not in AbsenceKind.values:
        errors["kind"] = _("Choose the kind of absence.")

    def day(raw: Any, field: str):
        if isinstance(raw, date):
            return raw
        try:
            value = date.fromisoformat(str(raw or "").strip())
        except ValueError:
            errors[field] = _("Give a date like 2026-12-24.")
            return None
        if limits.date_out_of_range(value):  # 9999-12-31 + a day overflows in the planner
            errors[field] = limits.date_out_of_range(value)
            return None
        return value

    first, last = day(starts_on, "starts_on"), day(ends_on or starts_on, "ends_on")
    if first and last and last < first:
        errors["ends_on"] = _("The last day cannot be before the first.")
    elif first and last and (last - first).days > 366:
        errors["ends_on"] = _("An absence is at most a year long.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        absence = Absence.objects.create(
            agency=viewer.agency,
            user=person,
            kind=kind,
            starts_on=first,
            ends_on=last,
            note=(note or "").strip()[:300],
            created_by=viewer.user,
        )
        audit(
            agency=viewer.agency,
            actor=viewer.user,
            verb="absence_added",
            obj=absence,
            person=person.pk,
            kind=kind,
            starts_on=first.isoformat(),
            ends_on=last.isoformat(),
        )
        request_replan(agency_id=viewer.agency.pk)
    return absence


def remove_absence(*, viewer: Viewer, absence: Absence) -> None:
    _require_availability(viewer, absence.user)
    with transaction.atomic():
        audit(
            agency=viewer.agency,
            actor=viewer.user,
            verb="absence_removed",
            obj=absence,
            person=absence.user_id,
            starts_on=absence.starts_on.isoformat(),
            ends_on=absence.ends_on.isoformat(),
        )
        absence.delete()
        request_replan(agency_id=viewer.agency.pk)


def save_skills(*, viewer: Viewer, names: Any) -> list[Skill]:
    """The head's vocabulary of skills: one per line (or comma). A skill taken off the list is
    removed from people and tasks."""
    require_head(viewer)
    raw = names if isinstance(names, str) else "\n".join(names or [])
    wanted: list[str] = []
    for part in raw.replace(",", "\n").splitlines():
        name = " ".join(part.split())
        if name and name.lower() not in {w.lower() for w in wanted}:
            wanted.append(name)
    too_long = [w for w in wanted if len(w) > 60]
    if too_long:
        raise ValidationError(
            {"skills": _("A skill is at most 60 characters: %(name)s.") % {"name": too_long[0]}}
        )
    if len(wanted) > 50:
        raise ValidationError({"skills": _("At most 50 skills.")})
    with transaction.atomic():
        existing = {s.name.lower(): s for s in Skill.objects.filter(agency=viewer.agency)}
        keep = {w.lower() for w in wanted}
        removed = [s for key, s in existing.items() if key not in keep]
        for s in removed:
            s.delete()
        for w in wanted:
            if w.lower() not in existing:
                Skill.objects.create(agency=viewer.agency, name=w)
        audit(
            agency=viewer.agency,
            actor=viewer.user,
            verb="skills_changed",
            obj=weights_for(viewer.agency),
            skills=wanted,
        )
        request_replan(agency_id=viewer.agency.pk)
    return list(Skill.objects.filter(agency=viewer.agency))


def accept_internal_moves(
    *,
    viewer: Viewer,
    moves: list[tuple[DeadlineProposal, datetime | None, int | None]],
    reason: str,
) -> list[DeadlineProposal]:
    """Accept several moves of internal deadlines at once (each as ``accept_proposal`` does, with
    the date as edited and the task's version as the page showed it). All or nothing: on any
    error nothing moves and the errors name the row; when a row's task changed since the page was
    loaded the error is a ``Conflict`` (409) saying what is stored now.
    Client-visible moves are decided one by one, because each sends the client a message."""
    reason = (reason or "").strip()
    if not moves:
        raise ValidationError({"pick": _("Tick the moves to accept.")})
    if not reason:
        raise ValidationError(
            {"bulk_reason": _("Say why the deadlines move: the reason is kept on the record.")}
        )
    errors: dict[str, str] = {}
    for proposal, _new_due, _version in moves:
        if proposal.task.is_client_visible:
            errors[f"due_{proposal.pk}"] = _(
                "The client sees this task: decide its move on its own, with the message."
            )
    if errors:
        raise ValidationError(errors)
    accepted: list[DeadlineProposal] = []
    stale = False
    with transaction.atomic():
        for proposal, new_due, version in moves:
            try:
                accepted.append(
                    accept_proposal(
                        viewer=viewer,
                        proposal=proposal,
                        message="",
                        reason=reason,
                        new_due=new_due,
                        version=version,
                    )
                )
            except concurrency.EditConflict as exc:
                stale = True
                errors[f"due_{proposal.pk}"] = _stale_row(exc)
            except ValidationError as exc:
                errors[f"due_{proposal.pk}"] = " ".join(exc.messages)
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise (Conflict if stale else ValidationError)(errors)
    return accepted


def _stale_row(exc: concurrency.EditConflict) -> str:
    """One row of the bulk accept whose task changed since the page was loaded: what is stored."""
    if exc.code != "stale" or "new_due" not in exc.saved:
        return " ".join(exc.messages)
    due = exc.saved["new_due"][1]
    if exc.by and exc.at is not None:
        return _(
            "Changed by %(who)s (%(when)s) while you were reading: the deadline is now %(due)s. "
            "Nothing was moved; check the date and accept again."
        ) % {
            "who": exc.by,
            "when": formats.date_format(timezone.localtime(exc.at), "d.m.Y H:i"),
            "due": due,
        }
    return _(
        "Changed while you were reading: the deadline is now %(due)s. Nothing was moved; check "
        "the date and accept again."
    ) % {"due": due}
