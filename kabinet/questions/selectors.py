"""Every read of questions, always through kabinet.core.scoping."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404, QueryDict
from django.utils import timezone

from kabinet.core.models import Role, User
from kabinet.core.paging import Page, paginate
from kabinet.core.scoping import Viewer, get_or_404, project_or_404, require_staff, scoped
from kabinet.lib import sla
from kabinet.questions.models import AGENCY_STATUSES, Message, SlaPolicy, Status, Thread
from kabinet.questions.services import owed_due, policy_for, sla_state
from kabinet.timeline.models import Attachment


def threads(viewer: Viewer) -> QuerySet[Thread]:
    """Threads on the viewer's projects (threads themselves are client-visible; notes are not)."""
    return scoped(viewer, Thread.objects.all(), visibility_field=None)


def waiting_by_project(
    viewer: Viewer, ids: list[int], now: datetime | None = None
) -> dict[int, tuple[int, int]]:
    """For the manager's project list: per project, the questions waiting for the agency (the
    promised ones included) and how many of them are past their SLA — one grouped query."""
    now = now or timezone.now()
    rows = (
        threads(viewer)
        .filter(project_id__in=ids, status__in=AGENCY_STATUSES)
        .values("project_id")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(sla_due_at__lt=now)))
    )
    return {row["project_id"]: (row["n"], row["late"]) for row in rows}


def thread_or_404(viewer: Viewer, pk: int) -> Thread:
    return get_or_404(
        threads(viewer).select_related(
            "project", "project__company", "project__agency", "asked_by", "assignee"
        ),
        pk=pk,
    )


def messages(viewer: Viewer, thread: Thread) -> QuerySet[Message]:
    """The thread's messages the viewer may see: a client never gets internal notes."""
    return (
        scoped(viewer, Message.objects.filter(thread=thread), project_field="thread__project")
        .select_related("author", "event")
        .prefetch_related(
            Prefetch(
                "event__attachments",
                queryset=Attachment.objects.filter(agency=viewer.agency).order_by("pk"),
            )
        )
        .order_by("created_at", "pk")
    )


def open_on_project(viewer: Viewer, project_id: int) -> list[Thread]:
    """The project page's side panel: the latest open questions."""
    qs = threads(viewer).filter(project_id=project_id).exclude(status=Status.RESOLVED)
    return list(qs.order_by("-created_at")[:5])


def project_threads(viewer: Viewer, project_id: int) -> QuerySet[Thread]:
    project = project_or_404(viewer, project_id)
    return threads(viewer).filter(project=project).select_related("asked_by", "assignee")


def attachments_of(viewer: Viewer, message_list: list[Message]) -> dict[int, list[Attachment]]:
    """Files of the visible messages, through the scoped chronology (message id -> files)."""
    event_ids = [m.event_id for m in message_list if m.event_id]
    files = scoped(
        viewer,
        Attachment.objects.filter(event_id__in=event_ids),
        project_field="event__project",
        visibility_field="event__visibility",
    ).order_by("pk")
    by_event: dict[int, list[Attachment]] = {}
    for a in files:
        by_event.setdefault(a.event_id, []).append(a)
    return {m.pk: by_event.get(m.event_id, []) for m in message_list}


def team(viewer: Viewer, thread: Thread) -> list[User]:
    """Staff of the thread's project (who a manager may assign it to)."""
    require_staff(viewer)
    return [
        m.user
        for m in thread.project.members.filter(agency=viewer.agency)
        .select_related("user")
        .order_by("user__full_name")
    ]


def team_member_or_none(viewer: Viewer, thread: Thread, raw_id: str) -> User | None:
    if not str(raw_id).isdigit():
        return None
    return next((u for u in team(viewer, thread) if u.pk == int(raw_id)), None)


def related_exclusions(thread: Thread) -> list[int]:
    """The thread's own chronology events: the related-history panel shows earlier items."""
    return list(
        thread.messages.filter(agency_id=thread.agency_id)
        .exclude(event_id=None)
        .values_list("event_id", flat=True)
    )


# --------------------------------------------------------------------------- desk


@dataclass
class DeskRow:
    thread: Thread
    clock: sla.Clock | None
    result: sla.Result
    owed_due: datetime | None = None  # "we owe you": when the promise made in an answer is due


def with_sla(viewer: Viewer, qs: QuerySet[Thread], now: datetime | None = None) -> list[DeskRow]:
    """SLA state for staff; each thread is computed from its own messages."""
    require_staff(viewer)
    now = now or timezone.now()
    calendar = viewer.agency.calendar()
    policies = {p.tier: p for p in SlaPolicy.objects.filter(agency=viewer.agency)}
    rows = []
    for thread in qs.select_related(
        "project", "project__company", "assignee", "asked_by"
    ).prefetch_related(Prefetch("messages", queryset=Message.objects.filter(agency=viewer.agency))):
        result = sla_state(
            thread=thread,
            now=now,
            calendar=calendar,
            policy=policy_for(project=thread.project, policies=policies),
            messages=list(thread.messages.all()),
        )
        rows.append(DeskRow(thread, result.most_urgent, result))
    return rows


def desk(
    viewer: Viewer,
    now: datetime | None = None,
    *,
    mine: bool = False,
    query: QueryDict | None = None,
) -> Page:
    """Threads waiting for the agency (or owing what an answer promised) across the viewer's
    projects, the soonest due first, one page at a time.

    The order is the stored due time of each thread's most urgent clock (kept by the services), so
    the database sorts and cuts the page; only the page's threads have their clocks read."""
    require_staff(viewer)
    qs = threads(viewer).filter(status__in=AGENCY_STATUSES)
    if mine:
        qs = qs.filter(assignee=viewer.user)
    page = paginate(qs.order_by(F("sla_due_at").asc(nulls_last=True), "pk"), query)
    rows = with_sla(viewer, threads(viewer).filter(pk__in=[t.pk for t in page]), now)
    for row in rows:
        if row.thread.status == Status.OWED:
            row.owed_due = owed_due(thread=row.thread)
    far = datetime.max.replace(tzinfo=UTC)
    page.items = sorted(
        rows, key=lambda r: (r.clock.due_at if r.clock and r.clock.due_at else far, r.thread.pk)
    )
    return page


# --------------------------------------------------------------------------- numbers


@dataclass
class Numbers:
    label: str
    manager: User | None
    threads: int = 0
    median_first_response_hours: float | None = None
    answered_within_sla: float | None = None  # share of responses (first and next) within target
    reopen_rate: float | None = None  # share of answered threads the client reopened
    average_rating: float | None = None
    ratings: int = 0
    responses: int = field(default=0)


def _period_bounds(viewer: Viewer, start: date, end: date) -> tuple[datetime, datetime]:
    tz = viewer.agency.calendar().tz
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def _numbers(label: str, manager: User | None, rows: list[DeskRow]) -> Numbers:
    out = Numbers(label=label, manager=manager, threads=len(rows))
    firsts: list[float] = []
    met = total = answered = reopened = 0
    ratings: list[int] = []
    for row in rows:
        for clock in row.result.clocks:
            if clock.target == sla.Target.RESOLUTION or clock.stopped_at is None:
                continue
            total += 1
            met += clock.state == sla.State.MET
            if clock.target == sla.Target.FIRST_RESPONSE:
                firsts.append(clock.elapsed.total_seconds() / 3600)
        first = row.result.current(sla.Target.FIRST_RESPONSE)
        if first and first.stopped_at is not None:
            answered += 1
            reopened += row.result.reopens > 0
        if row.thread.rating:
            ratings.append(row.thread.rating)
    out.responses = total
    out.median_first_response_hours = round(statistics.median(firsts), 2) if firsts else None
    out.answered_within_sla = met / total if total else None
    out.reopen_rate = reopened / answered if answered else None
    out.average_rating = round(statistics.fmean(ratings), 2) if ratings else None
    out.ratings = len(ratings)
    return out


def numbers(
    viewer: Viewer, start: date, end: date, now: datetime | None = None
) -> tuple[Numbers | None, list[Numbers]]:
    """(agency totals or None, per-manager rows) for questions asked in [start, end].

    The head sees the agency and every manager; an account manager only their own row; others 404.
    """
    if not viewer.is_manager:
        raise Http404
    lo, hi = _period_bounds(viewer, start, end)
    qs = threads(viewer).filter(created_at__gte=lo, created_at__lt=hi)
    if not viewer.is_head:
        qs = qs.filter(assignee=viewer.user)
    rows = with_sla(viewer, qs, now)
    per_manager: dict[int | None, list[DeskRow]] = {}
    for row in rows:
        per_manager.setdefault(row.thread.assignee_id, []).append(row)
    if viewer.is_head:
        # Every account manager (even with no questions yet) and anyone else who was assigned one.
        managers = {
            u.pk: u
            for u in User.objects.filter(
                memberships__agency=viewer.agency, memberships__role=Role.ACCOUNT_MANAGER
            )
        }
        for pk in per_manager:
            if pk is not None and pk not in managers:
                managers[pk] = User.objects.get(pk=pk)
        people = sorted(managers.values(), key=lambda u: u.full_name)
    else:
        people = [viewer.user]
    manager_rows = [_numbers(u.full_name, u, per_manager.get(u.pk, [])) for u in people]
    if viewer.is_head and per_manager.get(None):
        manager_rows.append(_numbers("—", None, per_manager[None]))
    total = _numbers(viewer.agency.name, None, rows) if viewer.is_head else None
    return total, manager_rows
