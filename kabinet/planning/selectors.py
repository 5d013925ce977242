"""Every read of the planning app, always scoped to the viewer through kabinet.core.scoping.

Planning is staff work: clients get a 404 on every planning page and row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from kabinet.clients.models import ProjectMember
from kabinet.core.models import STAFF_ROLES, User
from kabinet.core.scoping import (
    Viewer,
    get_or_404,
    project_ids,
    require_head,
    require_manager,
    require_staff,
    scoped,
)
from kabinet.planning.models import (
    DeadlineProposal,
    PlanRequest,
    PlanRun,
    PriorityWeights,
    ProposalStatus,
    TaskForecast,
)
from kabinet.planning.services import AT_RISK_SLACK_HOURS
from kabinet.work.models import Task


def forecasts(viewer: Viewer) -> QuerySet[TaskForecast]:
    require_staff(viewer)
    return scoped(
        viewer, TaskForecast.objects.all(), project_field="task__project", visibility_field=None
    ).select_related("task__project__company", "task__assignee", "person")


def people(viewer: Viewer) -> QuerySet[User]:
    """Whose queue the viewer may open: a specialist only their own; a manager anyone on their
    projects; the head every staff member."""
    require_staff(viewer)
    staff = User.objects.filter(
        memberships__agency=viewer.agency, memberships__role__in=STAFF_ROLES, is_active=True
    )
    if viewer.is_head:
        return staff.order_by("full_name")
    if not viewer.is_manager:
        return staff.filter(pk=viewer.user.pk)
    on_projects = ProjectMember.objects.filter(
        agency=viewer.agency, project__in=project_ids(viewer)
    ).values("user_id")
    return (
        staff.filter(Q(pk__in=on_projects) | Q(pk=viewer.user.pk)).distinct().order_by("full_name")
    )


def person_or_404(viewer: Viewer, pk: int | None) -> User:
    if pk is None:
        require_staff(viewer)
        return viewer.user
    return get_or_404(people(viewer), pk=pk)


@dataclass
class Queue:
    person: User
    planned: list[TaskForecast]  # in computed order
    unscheduled: list[TaskForecast]  # beyond the planning horizon
    not_planned: list[Task]  # changed since the last run
    run: PlanRun | None
    coming: bool = False  # a newer plan is queued (the page says so)


def queue(viewer: Viewer, person: User) -> Queue:
    """A person's open tasks in the computed order (only tasks on projects the viewer sees)."""
    rows = list(
        forecasts(viewer)
        .filter(person=person, task__assignee=person, task__status__in=Task.OPEN_STATUSES)
        .order_by("unscheduled", "rank", "task_id")
    )
    planned = [r for r in rows if not r.unscheduled]
    later = [r for r in rows if r.unscheduled]
    seen = {r.task_id for r in rows}
    open_tasks = scoped(viewer, Task.objects.filter(assignee=person, status__in=Task.OPEN_STATUSES))
    missing = [
        t
        for t in open_tasks.select_related("project__company").order_by("due_at", "pk")
        if t.pk not in seen
    ]
    return Queue(person, planned, later, missing, latest_run(viewer), newer_plan_coming(viewer))


def latest_run(viewer: Viewer) -> PlanRun | None:
    require_staff(viewer)
    return PlanRun.objects.filter(agency=viewer.agency, finished_at__isnull=False).first()


def newer_plan_coming(viewer: Viewer) -> bool:
    """Something changed since the last plan and a background job will plan again.

    Re-planning never runs inside a web request: a request only marks the plan dirty and
    enqueues the job; the pages show the last plan, when it was computed, and this flag."""
    require_staff(viewer)
    return PlanRequest.objects.filter(agency=viewer.agency, dirty=True).exists()


@dataclass
class AtRisk:
    late: list[TaskForecast]
    at_risk: list[TaskForecast]
    unassigned: list[TaskForecast]
    total_weighted_lateness: float
    proposals: list[DeadlineProposal]
    run: PlanRun | None
    coming: bool = False


def at_risk(viewer: Viewer) -> AtRisk:
    """The manager's view: late and at-risk tasks of their projects, and the pending proposals."""
    require_manager(viewer)
    rows = forecasts(viewer).filter(task__status__in=Task.OPEN_STATUSES)
    late = list(rows.filter(late_hours__gt=0).order_by("-late_hours", "task_id"))
    risky = list(
        rows.filter(late_hours=0, slack_hours__lt=AT_RISK_SLACK_HOURS).order_by(
            "slack_hours", "task_id"
        )
    )
    unassigned = list(rows.filter(person__isnull=True).order_by("task__due_at", "task_id"))
    total = sum(r.weight * r.late_hours for r in late)
    return AtRisk(
        late,
        risky,
        unassigned,
        total,
        list(pending_proposals(viewer)),
        latest_run(viewer),
        newer_plan_coming(viewer),
    )


def proposals(viewer: Viewer) -> QuerySet[DeadlineProposal]:
    require_manager(viewer)
    return scoped(
        viewer, DeadlineProposal.objects.all(), project_field="task__project", visibility_field=None
    ).select_related("task__project__company", "task__assignee", "decided_by")


def pending_proposals(viewer: Viewer) -> QuerySet[DeadlineProposal]:
    return proposals(viewer).filter(status=ProposalStatus.PENDING).order_by("-lateness_hours", "pk")


def proposal_or_404(viewer: Viewer, pk: int) -> DeadlineProposal:
    """A proposal the viewer may decide on: managers and the head of its project; others 404."""
    return get_or_404(proposals(viewer), pk=pk)


def task_or_404(viewer: Viewer, pk: int) -> Task:
    require_staff(viewer)
    return get_or_404(
        scoped(viewer, Task.objects.select_related("project__company", "assignee")), pk=pk
    )


def weights_page(viewer: Viewer) -> PriorityWeights:
    """The agency's weights row, or the defaults (unsaved: a GET writes nothing)."""
    require_head(viewer)
    return PriorityWeights.objects.filter(agency=viewer.agency).first() or PriorityWeights(
        agency=viewer.agency
    )


# --------------------------------------------------------------------------- commitments


@dataclass
class CommitmentRisk:
    """A committed date (accepted by the client, or a confirmed promise) the plan cannot meet,
    and what would meet it — said before any second move of the same client date."""

    forecast: TaskForecast
    needed_hours: float  # working hours of the assignee missing before the due date
    move_first: list[Task]  # other (uncommitted) work of the same person that could wait
    others: list[User]  # teammates with the free hours before the due date
    pending: DeadlineProposal | None  # a move the manager asked for, waiting for a decision


def _free_hours(
    calendar, capacity: float, segments_by_person: dict, person_id, start, end
) -> float:
    from kabinet.planning.adapter import capacity_intervals

    total = sum(
        (b - a).total_seconds() for a, b in capacity_intervals(calendar, start, end, capacity)
    )
    busy = 0.0
    for a, b in segments_by_person.get(person_id, []):
        a, b = max(a, start), min(b, end)
        if b > a:
            busy += (b - a).total_seconds()
    return max(0.0, (total - busy) / 3600.0)


def commitments_at_risk(viewer: Viewer, now=None) -> list[CommitmentRisk]:
    """Committed dates predicted late, each with what would meet it: more hours of the assignee,
    other work of theirs moved after it, or a teammate with the free time."""
    from datetime import datetime

    from django.utils import timezone

    from kabinet.planning.adapter import committed_task_ids, pending_promise_task_ids, weights_for

    require_manager(viewer)
    now = now or timezone.now()
    late = list(forecasts(viewer).filter(task__status__in=Task.OPEN_STATUSES, late_hours__gt=0))
    if not late:
        return []
    tasks = [fc.task for fc in late]
    committed = committed_task_ids(tasks, pending_promise_task_ids([t.pk for t in tasks]))
    late = [fc for fc in late if fc.task_id in committed and fc.predicted_finish]
    if not late:
        return []
    calendar = viewer.agency.calendar()
    capacity = float(weights_for(viewer.agency).capacity_hours)
    every = list(
        TaskForecast.objects.filter(agency=viewer.agency, person__isnull=False).select_related(
            "task"
        )
    )
    all_committed = committed_task_ids(
        [fc.task for fc in every], pending_promise_task_ids([fc.task_id for fc in every])
    )
    segments: dict = {}
    for fc in every:
        for a, b in (fc.details or {}).get("segments", []):
            segments.setdefault(fc.person_id, []).append(
                (datetime.fromisoformat(a), datetime.fromisoformat(b))
            )
    pending = {p.task_id: p for p in pending_proposals(viewer)}
    out = []
    for fc in sorted(late, key=lambda f: (-f.late_hours, f.task_id)):
        task = fc.task
        needed = calendar.between(task.due_at, fc.predicted_finish).total_seconds() / 3600.0
        remaining = float((fc.details or {}).get("remaining_hours") or 0)
        ahead = sorted(
            (
                o
                for o in every
                if o.person_id == fc.person_id
                and o.task_id != task.pk
                and o.task_id not in all_committed
                and not o.task.pinned
                and o.rank is not None
                and fc.rank is not None
                and o.rank < fc.rank
            ),
            key=lambda o: (o.weight, -o.rank),
        )
        move_first, freed = [], 0.0
        for o in ahead:
            if freed >= needed:
                break
            move_first.append(o.task)
            freed += float((o.details or {}).get("remaining_hours") or 0)
        if freed < needed:
            move_first = []  # moving others would not be enough
        team = ProjectMember.objects.filter(project_id=task.project_id).select_related("user")
        others = [
            m.user
            for m in team
            if m.user_id != fc.person_id
            and m.user.is_active
            and m.role != ProjectMember.ProjectRole.ACCOUNT_MANAGER
            and _free_hours(calendar, capacity, segments, m.user_id, now, task.due_at) >= remaining
        ]
        out.append(CommitmentRisk(fc, round(needed, 1), move_first, others, pending.get(task.pk)))
    return out
