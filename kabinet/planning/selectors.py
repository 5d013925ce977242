"""Every read of the planning app, always scoped to the viewer through kabinet.core.scoping.

Planning is staff work: clients get a 404 on every planning page and row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import QueryDict

from kabinet.clients.models import ProjectMember
from kabinet.core.models import STAFF_ROLES, User, Visibility
from kabinet.core.paging import PAGE_SIZE as LIST_PAGE_SIZE
from kabinet.core.paging import Page, paginate
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
    Absence,
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
from kabinet.planning.services import AT_RISK_SLACK_HOURS
from kabinet.work.models import Task


def forecasts(viewer: Viewer) -> QuerySet[TaskForecast]:
    require_staff(viewer)
    return scoped(
        viewer, TaskForecast.objects.all(), project_field="task__project", visibility_field=None
    ).select_related("task__project__company", "task__assignee", "person")


def task_forecast(viewer: Viewer, task: Task) -> TaskForecast | None:
    """What the last plan says of one open task (its queue place, predicted finish, lateness
    and why), for the task page; None for a closed task or one the plan has not seen yet."""
    if not task.is_open:
        return None
    return forecasts(viewer).filter(task=task).first()


def late_by_project(viewer: Viewer, ids: list[int]) -> dict[int, int]:
    """For the manager's project list: per project, the open tasks the last plan finishes
    late — one grouped query over the stored forecasts."""
    rows = (
        forecasts(viewer)
        .select_related(None)
        .filter(
            task__project_id__in=ids,
            task__status__in=Task.OPEN_STATUSES,
            late_hours__gt=0,
        )
        .values("task__project_id")
        .annotate(n=Count("pk"))
    )
    return {row["task__project_id"]: row["n"] for row in rows}


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
    planned: list[TaskForecast]  # in computed order (this page's)
    unscheduled: list[TaskForecast]  # beyond the planning horizon (this page's)
    not_planned: list[Task]  # changed since the last run (on the last page)
    run: PlanRun | None
    coming: bool = False  # a newer plan is queued (the page says so)
    page: Page | None = None


def queue(viewer: Viewer, person: User, query: QueryDict | None = None) -> Queue:
    """A person's open tasks in the computed order (only tasks on projects the viewer sees), one
    page at a time: the stored forecasts in rank order, then (on the last page) the open tasks
    the last plan has not placed yet."""
    rows = (
        forecasts(viewer)
        .filter(person=person, task__assignee=person, task__status__in=Task.OPEN_STATUSES)
        .order_by("unscheduled", "rank", "task_id")
    )
    page = paginate(rows, query)
    planned = [r for r in page if not r.unscheduled]
    later = [r for r in page if r.unscheduled]
    missing: list[Task] = []
    if not page.has_next:
        placed = TaskForecast.objects.filter(
            agency=viewer.agency, task_id=OuterRef("pk"), person=person
        )
        missing = list(
            scoped(viewer, Task.objects.filter(assignee=person, status__in=Task.OPEN_STATUSES))
            .exclude(Exists(placed))
            .select_related("project__company")
            .order_by(F("due_at").asc(nulls_last=True), "pk")[:LIST_PAGE_SIZE]
        )
    return Queue(
        person, planned, later, missing, latest_run(viewer), newer_plan_coming(viewer), page
    )


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
    ).select_related("agency", "task__project__company", "task__assignee", "decided_by")


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


COMMITMENTS_SHOWN = 10  # the most late committed dates; the box says how many there are in all


def _committed_late(viewer: Viewer) -> QuerySet[TaskForecast]:
    """Late forecasts of open tasks whose date is a commitment (a pending promise, or a date a
    manager accepted and told the client), the latest first — one query, in the database."""
    from kabinet.promises.models import PENDING_STATES, Promise

    promised = Promise.objects.filter(task_id=OuterRef("task_id"), state__in=PENDING_STATES)
    accepted = DeadlineProposal.objects.filter(
        task_id=OuterRef("task_id"),
        status=ProposalStatus.ACCEPTED,
        new_due=OuterRef("task__due_at"),
    )
    return (
        forecasts(viewer)
        .filter(task__status__in=Task.OPEN_STATUSES, late_hours__gt=0)
        .filter(task__due_at__isnull=False, predicted_finish__isnull=False)
        .filter(Exists(promised) | Exists(accepted))
        .order_by("-late_hours", "task_id")
    )


def commitments_at_risk(
    viewer: Viewer, limit: int | None = COMMITMENTS_SHOWN
) -> list[CommitmentRisk]:
    return commitments_at_risk_and_count(viewer, limit)[0]


def commitments_at_risk_and_count(
    viewer: Viewer, limit: int | None = COMMITMENTS_SHOWN
) -> tuple[list[CommitmentRisk], int]:
    """Committed dates predicted late (the ``limit`` latest), each with what would meet it: more
    hours of the assignee, other work of theirs moved after it, or a teammate with the free time.

    The options are those the last plan run stored (``planning.commitments``: free hours as of
    that run); nothing is computed here. A constant number of queries: the late forecasts, the
    tasks and people the options name, the pending proposals. What changed since the run (a
    replan is then on its way) is left out: a task to move first no longer open, gone, of another
    agency or given to someone else; a teammate no longer active or off the task's project.

    And how many there are in all: counted by the same statement (a window over the rows it
    sorts anyway), not by a second one."""
    from django.db.models import Window

    from kabinet.planning.commitments import stored_options

    require_manager(viewer)
    # The box names each task's client and assignee; the task's own assignee is not read.
    late_qs = (
        _committed_late(viewer)
        .select_related(None)
        .select_related("task__project__company", "person")
        .annotate(committed_total=Window(Count("pk")))
    )
    late = list(late_qs[:limit] if limit is not None else late_qs)
    if not late:
        return [], 0
    options = {fc.task_id: stored_options(fc) for fc in late}
    task_ids = {pk for o in options.values() for pk in o.get("move_first", [])}
    user_ids = {pk for o in options.values() for pk in o.get("others", [])}
    tasks = (
        Task.objects.filter(agency=viewer.agency, pk__in=task_ids, status__in=Task.OPEN_STATUSES)
        .only("pk", "title", "assignee_id")
        .in_bulk()
        if task_ids
        else {}
    )
    # Still on the task's project (not as its account manager) and still active.
    seats = (
        {
            (m.project_id, m.user_id): m.user
            for m in ProjectMember.objects.filter(
                agency=viewer.agency,
                project_id__in={fc.task.project_id for fc in late},
                user_id__in=user_ids,
                user__is_active=True,
            )
            .exclude(role=ProjectMember.ProjectRole.ACCOUNT_MANAGER)
            .select_related("user")
        }
        if user_ids
        else {}
    )
    pending = {
        p.task_id: p
        for p in pending_proposals(viewer).filter(task_id__in=[f.task_id for f in late])
    }
    calendar = viewer.agency.calendar()
    out = []
    for fc in late:
        stored = options[fc.task_id]
        if "needed_hours" in stored:
            needed = float(stored["needed_hours"])
        else:  # a plan stored before its runs kept the options: the gap, from the forecast
            gap = calendar.between(fc.task.due_at, fc.predicted_finish).total_seconds() / 3600.0
            needed = math.ceil(gap * 10) / 10
        out.append(
            CommitmentRisk(
                fc,
                needed,
                [
                    tasks[pk]
                    for pk in stored.get("move_first", [])
                    if pk in tasks and tasks[pk].assignee_id == fc.person_id
                ],
                [
                    seats[(fc.task.project_id, pk)]
                    for pk in stored.get("others", [])
                    if (fc.task.project_id, pk) in seats
                ],
                pending.get(fc.task_id),
            )
        )
    return out, late[0].committed_total


# --------------------------------------------------------------------------- the at-risk board

# 12 rows leave room for the commitments box above them: two screens at 1366 × 768 in any hour
# of the day (with 15, a promise due today pushed the page 2 px past two screens).
PAGE_SIZE = 12
GROUPS = ("client", "person")


@dataclass
class RiskRow:
    """One late task on the board: its forecast, the deadline move and the reassignment the plan
    proposes (the reassignment first: it keeps the date), and why it sits where it does."""

    task: Task
    forecast: TaskForecast | None
    proposal: DeadlineProposal | None
    reassignment: ReassignmentProposal | None
    position: dict | None  # {"rank", "after": (title, [factors]), "before": (title, [factors])}
    group: str

    @property
    def late_hours(self) -> float:
        if self.forecast is not None:
            return self.forecast.late_hours
        return self.proposal.lateness_hours if self.proposal else 0.0


@dataclass
class RiskSummary:
    late: int  # tasks the plan predicts late
    client_visible: int  # of them, tasks the client sees
    promises: int  # pending promises to clients on late tasks
    days_total: float  # calendar days of delay, summed over late tasks
    days_max: float  # the longest delay, calendar days
    moves: int  # deadline moves to decide
    reassignments: int  # reassignments to decide


@dataclass
class RiskBoard:
    summary: RiskSummary
    rows: list[RiskRow]  # this page's rows, ordered by group
    page: Any  # django Paginator page
    group: str
    total_weighted_lateness: float
    run: PlanRun | None
    coming: bool
    at_risk: list[TaskForecast]  # on time, but close to the due date
    unassigned: list[TaskForecast]
    committed: set[int]  # task pks whose date is a commitment (no move proposed by the plan)
    at_risk_count: int = 0  # close calls in all (``at_risk`` holds the first page of them)
    unassigned_count: int = 0


def pending_reassignments(viewer: Viewer) -> QuerySet[ReassignmentProposal]:
    require_manager(viewer)
    return (
        scoped(
            viewer,
            ReassignmentProposal.objects.filter(status=ProposalStatus.PENDING),
            project_field="task__project",
            visibility_field=None,
        )
        .select_related("task__project__company", "from_person", "to_person")
        .order_by("-saves", "pk")
    )


def reassignment_or_404(viewer: Viewer, pk: int) -> ReassignmentProposal:
    require_manager(viewer)
    return get_or_404(
        scoped(
            viewer,
            ReassignmentProposal.objects.select_related("task__project", "to_person"),
            project_field="task__project",
            visibility_field=None,
        ),
        pk=pk,
    )


def _factor_gap(mine: dict, theirs: dict, top: int = 2) -> list[str]:
    """The factors in which ``mine`` outweighs ``theirs`` most (by contribution to the priority)."""
    diffs = sorted(
        ((mine.get(k, 0.0) - theirs.get(k, 0.0), k) for k in mine),
        key=lambda x: (-x[0], x[1]),
    )
    return [k for d, k in diffs[:top] if d > 1e-6]


def _positions(rows: list[TaskForecast]) -> dict[int, dict]:
    """For each forecast: the task just before it in the same person's queue and the factors
    that put that one first, and the task just after it and the factors that put this one first.
    """
    from kabinet.planning.forms import FACTOR_SHORT

    # Only the rows' neighbours are read (two per row, whatever the length of the queues: a
    # person with a thousand planned tasks would otherwise be read whole, with every factor).
    neighbours = Q()
    for fc in rows:
        if fc.rank is not None and fc.person_id is not None:
            neighbours |= Q(person_id=fc.person_id, rank__in=(fc.rank - 1, fc.rank + 1))
    if not neighbours:
        return {}
    queues: dict[int, dict[int, TaskForecast]] = {}
    for fc in (
        TaskForecast.objects.filter(neighbours, agency_id=rows[0].agency_id)
        .select_related("task")
        .only("task__title", "task_id", "person_id", "rank", "details", "agency_id")
    ):
        queues.setdefault(fc.person_id, {})[fc.rank] = fc

    def contributions(fc: TaskForecast) -> dict[str, float]:
        return {name: c for name, _v, c in (fc.details or {}).get("factors") or []}

    out: dict[int, dict] = {}
    for fc in rows:
        if fc.rank is None or fc.person_id is None:
            continue
        queue = queues.get(fc.person_id, {})
        mine = contributions(fc)
        entry: dict[str, Any] = {"rank": fc.rank}
        before = queue.get(fc.rank - 1)
        after = queue.get(fc.rank + 1)
        if before is not None:
            why = _factor_gap(contributions(before), mine)
            entry["after"] = (before.task.title, [str(FACTOR_SHORT.get(k, k)) for k in why])
        if after is not None:
            why = _factor_gap(mine, contributions(after))
            entry["before"] = (after.task.title, [str(FACTOR_SHORT.get(k, k)) for k in why])
        entry["text"] = _position_text(entry)
        out[fc.task_id] = entry
    return out


def _position_text(entry: dict) -> str:
    """«#3 in the queue: after «A» (promise, deadline); before «B» (tier)» in the reader's
    language: the neighbours in the person's queue and the factors that order them."""
    from django.utils.translation import gettext as _

    text = _("#%(rank)s in the queue") % {"rank": entry["rank"]}
    if "after" in entry:
        title, why = entry["after"]
        text += ": " + _("after «%(title)s»") % {"title": title}
        if why:
            text += f" ({', '.join(why)})"
    if "before" in entry:
        title, why = entry["before"]
        text += "; " + _("before «%(title)s»") % {"title": title}
        if why:
            text += f" ({', '.join(why)})"
    return text


def risk_board(
    viewer: Viewer, *, group: str = "client", page: Any = 1, close_calls: bool = True
) -> RiskBoard:
    """The manager's at-risk board: every late task of their projects with the moves the plan
    proposes, grouped by client or by person, a page at a time, and the total in words.

    Everything comes from the stored plan: the summary is one aggregate over the forecasts, the
    page is sorted and cut in the database, and only its rows are read in full."""
    from django.core.paginator import Paginator
    from django.db.models import Case, Count, FloatField, Max, Subquery, Sum, Value, When
    from django.db.models.functions import Coalesce, Lower

    from kabinet.planning.adapter import committed_task_ids, pending_promise_task_ids
    from kabinet.promises.models import PENDING_STATES, Promise

    require_manager(viewer)
    group = group if group in GROUPS else "client"
    rows = forecasts(viewer).filter(task__status__in=Task.OPEN_STATUSES)
    late_fc = rows.filter(late_hours__gt=0)
    # One pass over the open forecasts counts the late ones, the close calls and the unassigned
    # (a statement each, planned each time, cost more than the counting).
    late = Q(late_hours__gt=0)
    totals = rows.order_by().aggregate(
        late=Count("pk", filter=late),
        client_visible=Count("pk", filter=late & Q(task__visibility=Visibility.CLIENT)),
        hours=Coalesce(Sum("late_hours", filter=late), 0.0),
        longest=Coalesce(Max("late_hours", filter=late), 0.0),
        weighted=Coalesce(
            Sum(F("weight") * F("late_hours"), filter=late, output_field=FloatField()), 0.0
        ),
        near=Count("pk", filter=_CLOSE_CALL),
        unassigned=Count("pk", filter=Q(person__isnull=True)),
    )
    # Moves and reassignments of open tasks: the board's own (see below).
    moves_qs = pending_proposals(viewer).filter(task__status__in=Task.OPEN_STATUSES)
    reassignments_qs = pending_reassignments(viewer).filter(task__status__in=Task.OPEN_STATUSES)
    summary = RiskSummary(
        late=totals["late"],
        client_visible=totals["client_visible"],
        promises=Promise.objects.filter(
            agency=viewer.agency, task_id__in=late_fc.values("task_id"), state__in=PENDING_STATES
        ).count(),
        days_total=round(totals["hours"] / 24.0, 1),
        days_max=round(totals["longest"] / 24.0, 1),
        moves=moves_qs.count(),
        reassignments=reassignments_qs.count(),
    )

    # The board's tasks: open, and late by the plan or with a move or a reassignment to decide
    # (a task closed since the last plan run is off the board before the next run withdraws its
    # proposals). A task has at most one pending move and one pending reassignment (unique
    # partial indexes), looked up per task by index as correlated subqueries, not joined: as
    # joins they made nine relations for PostgreSQL to order, and planning this statement (and
    # the paginator's count) took 12-17 ms against ~1 ms to run it.
    if group == "person":
        group_key = Coalesce(Lower("assignee__full_name"), Value("—"))
    else:
        group_key = Lower("project__company__name")
    is_late = Q(forecast__late_hours__gt=0)
    pending_move = DeadlineProposal.objects.filter(
        agency=viewer.agency, task_id=OuterRef("pk"), status=ProposalStatus.PENDING
    )
    pending_reassignment = ReassignmentProposal.objects.filter(
        agency=viewer.agency, task_id=OuterRef("pk"), status=ProposalStatus.PENDING
    )
    board_tasks = (
        scoped(viewer, Task.objects.filter(status__in=Task.OPEN_STATUSES), visibility_field=None)
        .filter(is_late | Exists(pending_move) | Exists(pending_reassignment))
        .annotate(
            board_group=group_key,
            board_late=Case(
                When(is_late, then=F("forecast__late_hours")),
                default=Coalesce(Subquery(pending_move.values("lateness_hours")[:1]), Value(0.0)),
                output_field=FloatField(),
            ),
        )
        .select_related("project__company", "assignee", "forecast")
        .order_by("board_group", "-board_late", "pk")
    )
    paginator = Paginator(board_tasks, PAGE_SIZE)
    current = paginator.get_page(page)
    tasks = list(current.object_list)
    ids = [t.pk for t in tasks]
    # The rows' forecasts come with them (the statement joins them already); a row shows its
    # forecast only when the plan predicts it late.
    by_task = {
        t.pk: t.forecast
        for t in tasks
        if getattr(t, "forecast", None) is not None and t.forecast.late_hours > 0
    }
    # The page's proposals without their tasks: those are the rows just read (given below).
    moves: dict[int, DeadlineProposal] = {}
    for p in (
        moves_qs.filter(task_id__in=ids).select_related(None).select_related("agency", "asked_by")
    ):
        moves[p.task_id] = p
    reassignments: dict[int, ReassignmentProposal] = {}
    for r in (
        reassignments_qs.filter(task_id__in=ids).select_related(None).select_related("to_person")
    ):
        reassignments[r.task_id] = r

    def group_of(task: Task) -> str:
        if group == "person":
            return task.assignee.full_name if task.assignee_id else "—"
        return task.project.company.name

    shown = []
    for task in tasks:
        fc, move, reassignment = (
            by_task.get(task.pk),
            moves.get(task.pk),
            reassignments.get(task.pk),
        )
        for shown_with_task in (fc, move, reassignment):
            if shown_with_task is not None:
                shown_with_task.task = task
        shown.append(RiskRow(task, fc, move, reassignment, None, group_of(task)))
    positions = _positions([r.forecast for r in shown if r.forecast is not None])
    for r in shown:
        r.position = positions.get(r.task.pk)
    # The unassigned list names each task and its client only.
    unassigned = (
        rows.filter(person__isnull=True)
        .select_related(None)
        .select_related("task__project__company")
    )
    return RiskBoard(
        summary,
        shown,
        current,
        group,
        totals["weighted"],
        latest_run(viewer),
        newer_plan_coming(viewer),
        # The page shows the close calls' count and fetches the list when it is opened.
        list(_close_calls(rows)[:LIST_PAGE_SIZE]) if close_calls else [],
        list(unassigned.order_by("task__due_at", "task_id")[:LIST_PAGE_SIZE]),
        committed_task_ids(viewer.agency, tasks, pending_promise_task_ids(viewer.agency, ids)),
        totals["near"],
        totals["unassigned"],
    )


# On time, but with little to spare.
_CLOSE_CALL = Q(late_hours=0, slack_hours__lt=AT_RISK_SLACK_HOURS)


def _close_calls(rows: QuerySet[TaskForecast]) -> QuerySet[TaskForecast]:
    return rows.filter(_CLOSE_CALL).order_by("slack_hours", "task_id")


def close_calls(viewer: Viewer) -> tuple[list[TaskForecast], int]:
    """Open tasks the plan finishes on time but with little to spare (the first page of them, the
    closest first) and how many there are: the at-risk page's fold, fetched when opened."""
    require_manager(viewer)
    near = _close_calls(forecasts(viewer).filter(task__status__in=Task.OPEN_STATUSES))
    return list(near[:LIST_PAGE_SIZE]), near.count()


# --------------------------------------------------------------------------- availability


@dataclass
class Availability:
    person: User
    schedule: PersonSchedule | None
    absences: list[Absence]
    skills: list[Skill]  # the agency's vocabulary
    people: list[User]  # whose availability the viewer may open (the head: everyone)
    can_edit_skills: bool


def availability_people(viewer: Viewer) -> QuerySet[User]:
    """A staff member opens their own availability; the head anyone's on the staff."""
    require_staff(viewer)
    staff = User.objects.filter(
        memberships__agency=viewer.agency, memberships__role__in=STAFF_ROLES, is_active=True
    )
    if viewer.is_head:
        return staff.order_by("full_name")
    return staff.filter(pk=viewer.user.pk)


def availability(viewer: Viewer, pk: int | None) -> Availability:
    from datetime import timedelta

    from django.utils import timezone

    people_qs = availability_people(viewer)
    person = viewer.user if pk is None else get_or_404(people_qs, pk=pk)
    today = timezone.localdate()
    return Availability(
        person,
        PersonSchedule.objects.filter(agency=viewer.agency, user=person)
        .prefetch_related(Prefetch("skills", queryset=Skill.objects.filter(agency=viewer.agency)))
        .first(),
        list(
            Absence.objects.filter(
                agency=viewer.agency, user=person, ends_on__gte=today - timedelta(days=30)
            )
        ),
        list(Skill.objects.filter(agency=viewer.agency)),
        list(people_qs) if viewer.is_head else [viewer.user],
        viewer.is_head,
    )


def absence_or_404(viewer: Viewer, pk: int) -> Absence:
    return get_or_404(
        Absence.objects.filter(user__in=availability_people(viewer)).filter(agency=viewer.agency),
        pk=pk,
    )


def skills(viewer: Viewer) -> QuerySet[Skill]:
    """The agency's vocabulary of skills (any staff member reads it: the task form offers it)."""
    require_staff(viewer)
    return Skill.objects.filter(agency=viewer.agency)
