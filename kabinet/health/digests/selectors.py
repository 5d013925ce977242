"""Every read of the weekly digest, scoped through kabinet.core.scoping.

`week_items` gathers a project's week as the *client* would see it: it reads through a viewer
with the client's role and company (`client_lens`), so the very scoping that hides internal
tasks, notes and KPIs from a client user hides them from the letter too. Unconfirmed promise
proposals are another model and never read here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from kabinet.clients.models import Project
from kabinet.core import scoping
from kabinet.core.models import Role, User
from kabinet.core.scoping import Viewer, get_or_404, scoped
from kabinet.health import selectors as health
from kabinet.health.models import Digest, DigestSetting
from kabinet.promises.models import PENDING_STATES, Promise, PromiseRenegotiation, State
from kabinet.timeline.models import Event, Kind
from kabinet.work.models import Task

DONE_KINDS = (Kind.WORK_DONE, Kind.TASK, Kind.MILESTONE)
PUBLISHED_KINDS = (Kind.REPORT, Kind.PLAN, Kind.RECOMMENDATION)
MAX_LINES = 12  # per section: a digest is short; the chronology holds the rest


def client_lens(project: Project) -> Viewer:
    """A viewer that sees exactly what the project's client users see."""
    return Viewer(user=None, agency=project.agency, role=Role.CLIENT, company_id=project.company_id)  # type: ignore[arg-type]


def week_start_of(day: date) -> date:
    """The Monday of `day`'s ISO week."""
    return day - timedelta(days=day.weekday())


def week_bounds(project: Project, week_start: date) -> tuple[datetime, datetime]:
    """The week as instants: Monday 00:00 to the next Monday 00:00, in the agency's time zone."""
    tz = ZoneInfo(project.agency.timezone)
    start = datetime.combine(week_start, time.min, tzinfo=tz)
    return start, datetime.combine(week_start + timedelta(days=7), time.min, tzinfo=tz)


def last_complete_week(agency, now: datetime | None = None) -> date:
    """The Monday of the last ISO week that has ended in the agency's time zone."""
    local = timezone.localdate(now or timezone.now(), ZoneInfo(agency.timezone))
    return week_start_of(local) - timedelta(days=7)


def client_language(project: Project) -> str:
    """The language the client's people chose (the most common among them); the company's
    language of communication when they disagree evenly or there is nobody yet."""
    languages = Counter(
        User.objects.filter(
            is_active=True,
            memberships__agency_id=project.agency_id,
            memberships__role=Role.CLIENT,
            memberships__company_id=project.company_id,
        ).values_list("language", flat=True)
    ).most_common()
    if not languages or (len(languages) > 1 and languages[0][1] == languages[1][1]):
        return project.company.language or "ru"
    return languages[0][0]


@dataclass
class KpiLine:
    card: health.Card

    @property
    def metric(self):
        return self.card.metric


@dataclass
class NextLine:
    title: str
    due_at: datetime | None = None


@dataclass
class PromiseLine:
    promise: Promise
    state: str  # "open" | "kept" | "moved" | "late"
    due_at: datetime


@dataclass
class WeekItems:
    project: Project
    week_start: date
    start: datetime
    end: datetime
    done: list[Event] = field(default_factory=list)
    published: list[Event] = field(default_factory=list)
    next: list[NextLine] = field(default_factory=list)
    kpis: list[KpiLine] = field(default_factory=list)
    promises: list[PromiseLine] = field(default_factory=list)
    waiting: list[health.Waiting] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(
            len(x)
            for x in (
                self.done,
                self.published,
                self.next,
                self.kpis,
                self.promises,
                self.waiting,
            )
        )


def week_items(project: Project, week_start: date, now: datetime | None = None) -> WeekItems:
    """What the client can see of this project's week, and what stands now (promises, waiting)."""
    now = now or timezone.now()
    lens = client_lens(project)
    start, end = week_bounds(project, week_start)
    items = WeekItems(project=project, week_start=week_start, start=start, end=end)
    week = scoped(lens, Event.objects.filter(project=project)).filter(
        occurred_at__gte=start, occurred_at__lt=end
    )
    items.done = list(week.filter(kind__in=DONE_KINDS).order_by("occurred_at", "pk")[:MAX_LINES])
    items.published = list(
        week.filter(kind__in=PUBLISHED_KINDS).order_by("occurred_at", "pk")[:MAX_LINES]
    )
    items.next = _next(lens, project, end)
    last_day = (end - timedelta(days=1)).astimezone(ZoneInfo(project.agency.timezone)).date()
    for card in health.cards(lens, project, on=last_day, client_only=True):
        if card.vs_last_month.value is not None:
            items.kpis.append(KpiLine(card))
    items.promises = _promises(lens, project, start, end)
    items.waiting = health.waiting_for_client(lens, project, now)[:MAX_LINES]
    return items


def _next(lens: Viewer, project: Project, end: datetime) -> list[NextLine]:
    """The open lines of the current plan, then client-visible tasks due in the coming week."""
    on = (end + timedelta(days=1)).astimezone(ZoneInfo(project.agency.timezone)).date()
    _plan, _is_next, lines = health.plan_for(lens, project, on)
    out = [
        NextLine(line.title, line.due_at)
        for line in lines
        if line.state not in (Task.Status.DONE, Task.Status.CANCELLED)
    ]
    shown = {line.title for line in out}
    for task in (
        scoped(lens, Task.objects.filter(project=project, status__in=Task.OPEN_STATUSES))
        .filter(due_at__gte=end, due_at__lt=end + timedelta(days=7))
        .only("pk", "title", "due_at")
        .order_by("due_at", "pk")
    ):
        if task.title not in shown:
            out.append(NextLine(task.title, task.due_at))
    return out[:MAX_LINES]


def _promises(lens: Viewer, project: Project, start: datetime, end: datetime) -> list[PromiseLine]:
    """Confirmed promises (proposals are not promises): moved or kept this week, every one still
    owed past its date, and every one still open."""
    qs = scoped(lens, Promise.objects.filter(project=project), visibility_field=None)
    out: list[PromiseLine] = []
    seen: set[int] = set()
    moves = (
        PromiseRenegotiation.objects.filter(
            promise__in=qs, created_at__gte=start, created_at__lt=end
        )
        .select_related("promise")
        .order_by("created_at", "pk")
    )
    for move in moves:
        if move.promise_id not in seen and move.promise.state != State.KEPT:
            seen.add(move.promise_id)
            out.append(PromiseLine(move.promise, "moved", move.promise.due_at))
    for promise in qs.filter(state=State.KEPT, kept_at__gte=start, kept_at__lt=end).order_by(
        "kept_at", "pk"
    ):
        seen.add(promise.pk)
        out.append(PromiseLine(promise, "kept", promise.due_at))
    for promise in qs.filter(state=State.BROKEN).order_by("due_at", "pk"):
        seen.add(promise.pk)  # still owed after its date: said plainly until kept or moved
        out.append(PromiseLine(promise, "late", promise.due_at))
    for promise in qs.filter(state__in=PENDING_STATES).order_by("due_at", "pk"):
        if promise.pk not in seen:
            out.append(PromiseLine(promise, "open", promise.due_at))
    return out[:MAX_LINES]


# ----------------------------------------------------------------------------- drafts


def digests(viewer: Viewer) -> QuerySet[Digest]:
    """Drafts and sent letters are the agency's working papers: managers and the head only."""
    scoping.require_manager(viewer)
    return scoped(viewer, Digest.objects.all(), visibility_field=None).select_related(
        "project__company", "edited_by", "sent_by", "event"
    )


def digest_or_404(viewer: Viewer, pk: int) -> Digest:
    if not viewer.is_manager:
        raise Http404
    return get_or_404(digests(viewer).select_related("project__agency"), pk=pk)


def weeks(viewer: Viewer) -> list[date]:
    """The weeks that have digests, newest first."""
    return list(
        digests(viewer).order_by("-week_start").values_list("week_start", flat=True).distinct()
    )


def week_digests(viewer: Viewer, week_start: date, project_id: int | None = None) -> list[Digest]:
    qs = digests(viewer).filter(week_start=week_start)
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    return list(qs.order_by("project__company__name", "project__name"))


def project_digests(viewer: Viewer, project: Project) -> list[Digest]:
    return list(digests(viewer).filter(project=project).order_by("-week_start")[:26])


def sent_letters(viewer: Viewer, project: Project) -> list[Event]:
    """The digests the client received on this project (chronology events), newest first."""
    return list(
        scoped(viewer, Event.objects.filter(project=project, kind=Kind.DIGEST)).order_by(
            "-occurred_at", "-pk"
        )[:26]
    )


def setting_for(company) -> DigestSetting | None:
    return (
        DigestSetting.objects.filter(agency_id=company.agency_id, company=company)
        .select_related("changed_by")
        .first()
    )


def sends_as_drafted(company) -> bool:
    setting = setting_for(company)
    return bool(setting and setting.send_as_drafted)
