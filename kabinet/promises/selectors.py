"""Every read about promises, always through kabinet.core.scoping."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from kabinet.core.scoping import Viewer, get_or_404, project_ids, require_staff, scoped
from kabinet.promises.models import (
    PENDING_STATES,
    Promise,
    PromiseProposal,
    PromiseRenegotiation,
    ProposalKind,
    ProposalStatus,
    State,
)

DUE_SOON = timedelta(days=2)  # the project list counts promises due within this


def promises(viewer: Viewer) -> QuerySet[Promise]:
    """Promises are made to the client: every promise of a visible project is client-visible."""
    return scoped(viewer, Promise.objects.all(), visibility_field=None).select_related(
        "project__company", "promised_by", "task"
    )


def project_promises(viewer: Viewer, project_id: int) -> QuerySet[Promise]:
    """Pending first (by due time), then the settled ones, most recent first."""
    return (
        promises(viewer)
        .filter(project_id=project_id)
        .annotate(
            pending=Case(
                When(state__in=PENDING_STATES, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("pending", "due_at", "-pk")
    )


def due_by_project(
    viewer: Viewer, ids: list[int], now: datetime | None = None
) -> dict[int, tuple[int, int]]:
    """For the manager's project list: per project, the open promises due within two days and
    how many of them are overdue already — one grouped query."""
    now = now or timezone.now()
    rows = (
        promises(viewer)
        .select_related(None)
        .filter(project_id__in=ids, state__in=PENDING_STATES, due_at__lt=now + DUE_SOON)
        .values("project_id")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_at__lt=now)))
    )
    return {row["project_id"]: (row["n"], row["late"]) for row in rows}


def promise_or_404(viewer: Viewer, pk: int) -> Promise:
    return get_or_404(promises(viewer).select_related("project__agency"), pk=pk)


def staff_promise_or_404(viewer: Viewer, pk: int) -> Promise:
    require_staff(viewer)
    return promise_or_404(viewer, pk)


def pending_promises(viewer: Viewer) -> QuerySet[Promise]:
    """The viewer's pending promises, overdue first, then by due time (a queryset to page)."""
    require_staff(viewer)
    return (
        promises(viewer)
        .filter(promised_by=viewer.user, state__in=PENDING_STATES)
        .select_related("project__agency")  # the due times are shown in the agency's zone
        .order_by("due_at", "pk")
    )


def my_promises(viewer: Viewer, now: datetime | None = None) -> list[Promise]:
    """The viewer's pending promises, overdue first, then by due time."""
    return list(pending_promises(viewer))


def project_staff(project) -> list:
    """The agency people on a project's team: who can have made a promise on it."""
    from kabinet.clients.models import ProjectMember

    members = (
        ProjectMember.objects.filter(agency_id=project.agency_id, project=project)
        .select_related("user")
        .order_by("role", "user__full_name")
    )
    return [m.user for m in members]


def renegotiations(promise: Promise):
    return (
        promise.renegotiations.filter(agency_id=promise.agency_id)
        .select_related("by", "message_event")
        .order_by("created_at", "pk")
    )


# ----------------------------------------------------------------------------- proposals


def proposals(viewer: Viewer) -> QuerySet[PromiseProposal]:
    """Proposals are internal: staff of the project only (clients get nothing, hence 404)."""
    require_staff(viewer)
    return scoped(viewer, PromiseProposal.objects.all(), visibility_field=None).select_related(
        "project__agency", "project__company", "source_event", "author"
    )


def pending_proposals(viewer: Viewer, project_id: int | None = None) -> QuerySet[PromiseProposal]:
    """What waits for this person's click: deliverables found in their own writing, or made in
    their name by a teammate («Сергей подготовит …»)."""
    if not viewer.is_staff:
        return PromiseProposal.objects.none()
    qs = proposals(viewer).filter(
        Q(author=viewer.user) | Q(owner=viewer.user),
        status=ProposalStatus.PENDING,
        kind=ProposalKind.DELIVERABLE,
    )
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    return qs.select_related("owner").order_by("created_at", "start")


def expectation_risks(viewer: Viewer, project_id: int | None = None) -> QuerySet[PromiseProposal]:
    """Results promised to clients ("we'll double your leads") that nobody has dealt with yet, on
    the projects this person works on (the head: the agency)."""
    if not viewer.is_staff:
        return PromiseProposal.objects.none()
    qs = proposals(viewer).filter(status=ProposalStatus.PENDING, kind=ProposalKind.OUTCOME)
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    return qs.select_related("owner").order_by("created_at", "start")


def proposal_or_404(viewer: Viewer, pk: int) -> PromiseProposal:
    return get_or_404(proposals(viewer), pk=pk)


def open_tasks(viewer: Viewer, project_id: int):
    """Open tasks of a project a promise may be linked to."""
    from kabinet.work.models import Task

    require_staff(viewer)
    return scoped(
        viewer, Task.objects.filter(project_id=project_id, status__in=Task.OPEN_STATUSES)
    ).order_by(F("due_at").asc(nulls_last=True), "pk")


def task_promises(viewer: Viewer, task) -> QuerySet[Promise]:
    return promises(viewer).filter(task_id=task.pk).order_by("due_at")


def proposals_panel(viewer: Viewer, project_id: int) -> list[PromiseProposal]:
    """What the "promises to confirm" panel shows on a project's pages (nothing for clients): the
    viewer's promises to confirm, then the project's expectation risks (promised results).

    Views put it in the context as ``promise_proposals``: templates and tags never query."""
    if not viewer.is_staff:
        return []
    return [*pending_proposals(viewer, project_id), *expectation_risks(viewer, project_id)]


# ----------------------------------------------------------------------------- numbers


@dataclass
class Tally:
    """Promises that came due in a period, by outcome."""

    label: str = ""
    key: int | None = None
    due: int = 0
    kept_on_time: int = 0
    kept_late: int = 0
    broken: int = 0
    pending: int = 0
    moved_in_time: int = 0

    @property
    def settled(self) -> int:
        return self.kept_on_time + self.kept_late + self.broken

    @property
    def rate(self) -> float | None:
        """Kept on time / settled (kept or broken); None while nothing has settled."""
        return self.kept_on_time / self.settled if self.settled else None

    @property
    def rate_percent(self) -> int | None:
        return round(self.rate * 100) if self.rate is not None else None


@dataclass
class Numbers:
    agency: Tally
    managers: list[Tally] = field(default_factory=list)
    clients: list[Tally] = field(default_factory=list)
    start: datetime | None = None
    end: datetime | None = None


def _outcome(p: Promise, now: datetime) -> str:
    # Once broken, always counted broken: keeping it later or moving it late does not undo that.
    if p.broken_at is not None or p.state == State.BROKEN:
        return "broken"
    if p.state == State.KEPT:
        return "kept_on_time" if p.kept_on_time else "kept_late"
    return "pending"


def numbers(viewer: Viewer, start: datetime, end: datetime, now: datetime | None = None) -> Numbers:
    """Kept-on-time rate per manager and for the agency, broken promises per client.

    The head sees everyone; anyone else on staff sees only the promises they made themselves.
    A promise counts in the period its (current) due time falls in; a promise renegotiated late
    still counts as broken, one moved in time is judged by its new date.
    """
    require_staff(viewer)
    now = now or timezone.now()
    qs = Promise.objects.filter(agency=viewer.agency, due_at__gte=start, due_at__lt=end)
    if not viewer.is_head:
        qs = qs.filter(promised_by=viewer.user, project__in=project_ids(viewer))
    qs = qs.select_related("promised_by", "project__company").prefetch_related(
        Prefetch(
            "renegotiations", queryset=PromiseRenegotiation.objects.filter(agency=viewer.agency)
        )
    )
    total = Tally(label=viewer.agency.name)
    by_manager: dict[int, Tally] = {}
    by_client: dict[int, Tally] = {}
    for p in qs:
        outcome = _outcome(p, now)
        manager = by_manager.setdefault(
            p.promised_by_id, Tally(label=p.promised_by.full_name, key=p.promised_by_id)
        )
        client = by_client.setdefault(
            p.project.company_id, Tally(label=p.project.company.name, key=p.project.company_id)
        )
        moved = any(r.told_before_due for r in p.renegotiations.all())
        for tally in (total, manager, client):
            tally.due += 1
            setattr(tally, outcome, getattr(tally, outcome) + 1)
            tally.moved_in_time += moved
    managers = sorted(
        by_manager.values(), key=lambda t: (t.rate if t.rate is not None else 2, t.label)
    )
    clients = sorted(by_client.values(), key=lambda t: (-t.broken, t.label))
    return Numbers(agency=total, managers=managers, clients=clients, start=start, end=end)


def evidence_choices(viewer: Viewer, promise: Promise) -> list:
    """What can be chosen as the delivery of a promise: client-visible items the agency published
    on the project since it was made, newest first (staff only)."""
    from kabinet.promises.services import evidence_candidates

    require_staff(viewer)
    return list(evidence_candidates(promise=promise)[:30])
