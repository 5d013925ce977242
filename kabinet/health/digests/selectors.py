"""Every read of the weekly digest.

`weeks_items` gathers the week of many projects of one agency as each project's *client* would
see it, in a constant number of queries whatever the number of projects (the weekly job drafts
an agency's projects in batches). What a client user may see is what `kabinet.core.scoping`
gives a client viewer of the project's company (`scoped` / `scoped_to_project`): the rows of
that agency and project, and of models with internal items only the client-visible ones — so
every query below names the agency, the batch's projects and, where there is one, the
visibility. Unconfirmed promise proposals are another model and never read here. `week_items`
is the same for one project.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    DateTimeField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils import timezone

from kabinet.clients.models import Project, ProjectMember
from kabinet.core import scoping
from kabinet.core.models import Membership, Role, User, Visibility
from kabinet.core.scoping import Viewer, get_or_404, scoped
from kabinet.health import selectors as health
from kabinet.health.models import Digest, DigestSetting, PlanItem
from kabinet.lib import kpi
from kabinet.promises.models import PENDING_STATES, Promise, PromiseRenegotiation, State
from kabinet.timeline.models import Decision, Event, Kind
from kabinet.work.models import Task, TaskChange

DONE_KINDS = (Kind.WORK_DONE, Kind.TASK, Kind.MILESTONE)
PUBLISHED_KINDS = (Kind.REPORT, Kind.PLAN, Kind.RECOMMENDATION)
MAX_LINES = 12  # per section: a digest is short; the chronology holds the rest
WAITING_EACH = 10  # of each kind of what waits for the client, as the client's home reads them


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


def _agency_of(projects: list[Project]) -> int:
    agency_id = projects[0].agency_id
    assert all(p.agency_id == agency_id for p in projects), "one agency at a time"
    return agency_id


def client_languages(projects: list[Project]) -> dict[int, str]:
    """Each project's client language (one query for many projects of one agency): the one its
    company's active client users chose (the most common among them); the company's language of
    communication when they disagree evenly or there is nobody yet."""
    if not projects:
        return {}
    chosen: dict[int, Counter] = defaultdict(Counter)
    for company_id, language in Membership.objects.filter(
        agency_id=_agency_of(projects),
        role=Role.CLIENT,
        company_id__in={p.company_id for p in projects},
        user__is_active=True,
    ).values_list("company_id", "user__language"):
        chosen[company_id][language] += 1
    out = {}
    for project in projects:
        languages = chosen[project.company_id].most_common()
        if not languages or (len(languages) > 1 and languages[0][1] == languages[1][1]):
            out[project.pk] = project.company.language or "ru"
        else:
            out[project.pk] = languages[0][0]
    return out


def account_managers(projects: list[Project]) -> dict[int, User]:
    """Each project's account manager who signs its letter (the first by id if several; none
    when nobody active runs it), for many projects of one agency in one query."""
    if not projects:
        return {}
    out: dict[int, User] = {}
    for member in (
        ProjectMember.objects.filter(
            agency_id=_agency_of(projects),
            project_id__in=[p.pk for p in projects],
            role=ProjectMember.ProjectRole.ACCOUNT_MANAGER,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("project_id", "user_id")
    ):
        out.setdefault(member.project_id, member.user)
    return out


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
    return weeks_items([project], week_start, now)[project.pk]


def weeks_items(
    projects: list[Project], week_start: date, now: datetime | None = None
) -> dict[int, WeekItems]:
    """`week_items` of many projects of one agency, by project id, in a constant number of
    queries (eleven): the week's events, the plans and their lines, the tasks due next, the KPIs
    and their monthly figures, the promises (moves, then the rest) and what waits for the client
    (three kinds). A list the letter cuts is cut per project in the database (ROW_NUMBER over the
    project), never before the lines the letter shows."""
    if not projects:
        return {}
    now = now or timezone.now()
    agency_id = _agency_of(projects)
    tz = ZoneInfo(projects[0].agency.timezone)
    start, end = week_bounds(projects[0], week_start)
    ids = [p.pk for p in projects]
    out = {
        p.pk: WeekItems(project=p, week_start=week_start, start=start, end=end) for p in projects
    }
    for event in _week_events(agency_id, ids, start, end):
        event.project = out[event.project_id].project  # the letter dates it in the agency's time
        items = out[event.project_id]
        (items.done if event.kind in DONE_KINDS else items.published).append(event)
    for pk, lines in _next(agency_id, ids, end, tz).items():
        out[pk].next = lines
    last_day = (end - timedelta(days=1)).astimezone(tz).date()
    for pk, cards in health.cards_for(
        projects, on=last_day, client_only=True, annotations=False
    ).items():
        out[pk].kpis = [KpiLine(card) for card in cards if card.vs_last_month.value is not None]
    for pk, lines in _promises(agency_id, ids, start, end).items():
        out[pk].promises = lines
    for pk, waiting in _waiting_for_client(agency_id, ids, now).items():
        out[pk].waiting = waiting[:MAX_LINES]
    return out


def _first(qs: QuerySet, n: int, *order, by: list | None = None) -> QuerySet:
    """The first `n` rows of each project (or of each `by` group) of `qs`, in `order`."""
    row = Window(RowNumber(), partition_by=by or [F("project_id")], order_by=list(order))
    return qs.annotate(row=row).filter(row__lte=n)


def _week_events(agency_id: int, ids: list[int], start: datetime, end: datetime) -> list[Event]:
    """The week's client-visible done and published events, the first MAX_LINES of each."""
    section = Case(When(kind__in=DONE_KINDS, then=Value(1)), default=Value(2))
    week = Event.objects.filter(
        agency_id=agency_id,
        project_id__in=ids,
        visibility=Visibility.CLIENT,
        kind__in=DONE_KINDS + PUBLISHED_KINDS,
        occurred_at__gte=start,
        occurred_at__lt=end,
    )
    return list(
        _first(
            week, MAX_LINES, F("occurred_at").asc(), F("pk").asc(), by=[F("project_id"), section]
        ).order_by("project_id", "occurred_at", "pk")
    )


def _next(agency_id: int, ids: list[int], end: datetime, tz: ZoneInfo) -> dict[int, list[NextLine]]:
    """The open lines of each project's current plan (as `health.plan_for` chooses it for a
    client), then client-visible tasks due in the coming week."""
    on = (end + timedelta(days=1)).astimezone(tz).date()
    month = kpi.month_start(on)
    next_month = kpi.add_months(month, 1)
    candidates: dict[int, list[Event]] = defaultdict(list)
    plans = Event.objects.filter(
        agency_id=agency_id,
        project_id__in=ids,
        visibility=Visibility.CLIENT,
        kind=Kind.PLAN,
        period_start__lte=kpi.add_months(next_month, 1) - timedelta(days=1),
        period_end__gte=month,
    ).only("pk", "project_id", "period_start", "period_end", "occurred_at")
    latest = (F("period_start").desc(), F("occurred_at").desc(), F("pk").desc())
    for plan in _first(plans, 4, *latest).order_by("project_id", *latest):
        candidates[plan.project_id].append(plan)
    chosen = {}
    for pk, plan_list in candidates.items():
        plan, _is_next = health._choose_plan(plan_list, on)
        chosen[plan.pk] = pk
    out: dict[int, list[NextLine]] = defaultdict(list)
    lines = (
        PlanItem.objects.filter(agency_id=agency_id, plan_id__in=list(chosen))
        .order_by("plan_id", "position", "pk")
        .values_list(
            "plan_id", "title", "task_id", "task__status", "task__visibility", "task__due_at"
        )
    )
    for plan_id, title, task_id, status, visibility, due_at in lines:
        if task_id is None or visibility != Visibility.CLIENT:
            out[chosen[plan_id]].append(NextLine(title))  # its task is not the client's to see
        elif status not in (Task.Status.DONE, Task.Status.CANCELLED):
            out[chosen[plan_id]].append(NextLine(title, due_at))
    shown = {pk: {line.title for line in lines} for pk, lines in out.items()}
    for pk, title, due_at in (
        Task.objects.filter(
            agency_id=agency_id,
            project_id__in=ids,
            visibility=Visibility.CLIENT,
            status__in=Task.OPEN_STATUSES,
            due_at__gte=end,
            due_at__lt=end + timedelta(days=7),
        )
        .order_by("project_id", "due_at", "pk")
        .values_list("project_id", "title", "due_at")
    ):
        if title not in shown.get(pk, ()):
            out[pk].append(NextLine(title, due_at))
    return {pk: lines[:MAX_LINES] for pk, lines in out.items()}


def _promises(
    agency_id: int, ids: list[int], start: datetime, end: datetime
) -> dict[int, list[PromiseLine]]:
    """Confirmed promises (proposals are not promises): moved or kept this week, every one still
    owed past its date, and every one still open. Of the kept, late and open ones the first
    MAX_LINES of each per project are read: enough, as an open one is left out only when it is
    listed as moved, ahead of it."""
    lines: dict[int, list[PromiseLine]] = defaultdict(list)
    moved: set[int] = set()
    moves = (
        PromiseRenegotiation.objects.filter(
            agency_id=agency_id,
            promise__agency_id=agency_id,
            promise__project_id__in=ids,
            created_at__gte=start,
            created_at__lt=end,
        )
        .select_related("promise")
        .order_by("created_at", "pk")
    )
    for move in moves:
        promise = move.promise
        if promise.pk not in moved and promise.state != State.KEPT:
            moved.add(promise.pk)
            lines[promise.project_id].append(PromiseLine(promise, "moved", promise.due_at))
    kept = Q(state=State.KEPT, kept_at__gte=start, kept_at__lt=end)
    kind = Case(
        When(state=State.KEPT, then=Value(1)),
        When(state=State.BROKEN, then=Value(2)),
        default=Value(3),
    )
    at = Case(When(state=State.KEPT, then=F("kept_at")), default=F("due_at"))
    promises = (
        Promise.objects.filter(agency_id=agency_id, project_id__in=ids)
        .filter(kept | Q(state=State.BROKEN) | Q(state__in=PENDING_STATES))
        .annotate(kind=kind, at=at)
    )
    for promise in _first(
        promises, MAX_LINES, F("at").asc(), F("pk").asc(), by=[F("project_id"), F("kind")]
    ).order_by("project_id", "kind", "at", "pk"):
        if promise.state == State.KEPT:
            lines[promise.project_id].append(PromiseLine(promise, "kept", promise.due_at))
        elif promise.state == State.BROKEN:  # still owed after its date: said plainly until kept
            lines[promise.project_id].append(PromiseLine(promise, "late", promise.due_at))
        elif promise.pk not in moved:
            lines[promise.project_id].append(PromiseLine(promise, "open", promise.due_at))
    return {pk: found[:MAX_LINES] for pk, found in lines.items()}


def _waiting_for_client(agency_id: int, ids: list[int], now: datetime) -> dict[int, list]:
    """What waits for each project's client, as `health.waiting_for_client` gives a client
    viewer: pending recommendations, tasks waiting for the client and questions waiting for her
    reply (the first WAITING_EACH of each), the longest-waiting first."""
    from kabinet.questions.models import Message, Status, Thread

    since_change = (
        TaskChange.objects.filter(
            agency_id=agency_id,
            task=OuterRef("pk"),
            field="status",
            new=Task.Status.WAITING_CLIENT,
        )
        .order_by("-at")
        .values("at")[:1]
    )
    replied = (
        Message.objects.filter(
            agency_id=agency_id,
            thread=OuterRef("pk"),
            visibility=Visibility.CLIENT,
            from_client=False,
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    recommendations = Event.objects.filter(
        agency_id=agency_id,
        project_id__in=ids,
        visibility=Visibility.CLIENT,
        kind=Kind.RECOMMENDATION,
        decision=Decision.PENDING,
    )
    tasks = Task.objects.filter(
        agency_id=agency_id,
        project_id__in=ids,
        visibility=Visibility.CLIENT,
        status=Task.Status.WAITING_CLIENT,
    )
    threads = Thread.objects.filter(
        agency_id=agency_id, project_id__in=ids, status=Status.WAITING_CLIENT
    )
    # (kind, rows, which come first, title, since when it waits, the "since" when that is empty);
    # a recommendation waits since it was published: its "since" is left to the fallback. The
    # home page's questions have no order (its GROUP BY drops the model's): SQLite gives the
    # first ten by id, which is kept here, on both databases.
    parts = (
        ("recommendation", recommendations, ("occurred_at", "pk"), "title", None, "occurred_at"),
        ("task", tasks, ("due_at", "pk"), "title", Subquery(since_change), "updated_at"),
        ("question", threads, ("pk",), "subject", Subquery(replied), "created_at"),
    )
    rows: dict[int, list[tuple]] = defaultdict(list)
    for kind, qs, order, title, since, fallback in parts:
        ordering = [F(o[1:]).desc() if o[0] == "-" else F(o).asc() for o in order]
        first = _first(qs, WAITING_EACH, *ordering).annotate(
            w_since=since or Value(None, output_field=DateTimeField())
        )
        for project_id, pk, text, since_at, fallback_at in first.order_by("project_id").values_list(
            "project_id", "pk", title, "w_since", fallback
        ):
            rows[project_id].append(("waiting", kind, pk, text, since_at, fallback_at))
    return {pk: health._waiting(found, now) for pk, found in rows.items()}


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


def companies_sending_as_drafted(agency_id: int, company_ids) -> set[int]:
    """Which of these companies (of one agency) opted in to letters sent as drafted."""
    return set(
        DigestSetting.objects.filter(
            agency_id=agency_id, company_id__in=set(company_ids), send_as_drafted=True
        ).values_list("company_id", flat=True)
    )
