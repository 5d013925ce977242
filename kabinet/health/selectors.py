"""Every read of the health app, scoped to the viewer through kabinet.core.scoping.

`project_home` assembles the client's month at a glance in a fixed number of queries (whatever
the number of metrics, points or events): what is new, the month's work, the plan with its tasks,
what waits for the client, the KPI cards with their charts, and the team.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import NamedTuple

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, RowNumber, Substr
from django.urls import reverse
from django.utils import dateformat, formats, numberformat, timezone, translation
from django.utils.translation import gettext as _

from kabinet.clients.models import Project, ProjectMember
from kabinet.core import scoping
from kabinet.core.scoping import Viewer, get_or_404, scoped, scoped_to_project
from kabinet.core.unions import union_all
from kabinet.health.models import (
    Aggregation,
    Connection,
    Expectation,
    Forecast,
    Import,
    Metric,
    PlanItem,
    Point,
    ProjectVisit,
    StoredFlag,
    Visibility,
)
from kabinet.lib import kpi
from kabinet.timeline.models import Decision, Event, Kind

HISTORY_MONTHS = 13  # points loaded back: the same month last year of the last complete month
# Chronology kinds drawn on the charts: the work next to its effect.
ANNOTATION_KINDS = (Kind.WORK_DONE, Kind.MILESTONE, Kind.REPORT, Kind.RECOMMENDATION, Kind.TASK)
MAX_ANNOTATIONS = 60
NEW_ITEMS = 8
DONE_ITEMS = 20  # the home's "done" card: this month's newest (last month's while this has none)
PK_SLOT = 987654321987  # stands for an id in a URL reversed once for many rows


def metrics(viewer: Viewer) -> QuerySet[Metric]:
    return scoped(viewer, Metric.objects.all())


def project_metrics(viewer: Viewer, project: Project) -> QuerySet[Metric]:
    return scoped_to_project(viewer, Metric.objects.all(), project).order_by("position", "pk")


def metric_or_404(viewer: Viewer, pk: int) -> Metric:
    return get_or_404(metrics(viewer).select_related("project", "project__company"), pk=pk)


def imports(viewer: Viewer) -> QuerySet[Import]:
    scoping.require_staff(viewer)
    return scoped(viewer, Import.objects.all(), visibility_field=None)


def import_or_404(viewer: Viewer, pk: int) -> Import:
    return get_or_404(imports(viewer).select_related("project"), pk=pk)


def day_start(day: date) -> datetime:
    """The first moment of a day in the current time zone: `occurred_at >= day_start(d)` is
    `occurred_at__date >= d` without casting every row (SQLite casts in Python, row by row,
    and neither database can use the (project, occurred_at) index through the cast)."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def today(viewer: Viewer, now: datetime | None = None) -> date:
    from zoneinfo import ZoneInfo

    return timezone.localdate(now or timezone.now(), ZoneInfo(viewer.agency.timezone))


# --------------------------------------------------------------------------- KPI cards


@dataclass
class Card:
    """One KPI as the home page and the report composer show it."""

    metric: Metric
    figures: dict[date, float]
    months: list[date]
    last_complete: date
    so_far: float | None
    vs_last_month: kpi.Comparison
    vs_last_year: kpi.Comparison
    expectation: Expectation | None = None
    forecast: Forecast | None = None
    expectation_check: kpi.ExpectationCheck | None = None
    trend_check: kpi.TrendCheck | None = None
    annotations: list[dict] = field(default_factory=list)
    # The months' names, as `month_labels(months)` (the cards of a page share them).
    labels: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.labels:
            self.labels = month_labels(self.months)

    @property
    def higher_is_better(self) -> bool:
        return self.metric.higher_is_better

    @property
    def last_value(self) -> float | None:
        return self.vs_last_month.value

    @property
    def improved_vs_last_month(self) -> bool | None:
        return self.vs_last_month.improved(higher_is_better=self.higher_is_better)

    @property
    def improved_vs_last_year(self) -> bool | None:
        return self.vs_last_year.improved(higher_is_better=self.higher_is_better)

    @property
    def rows(self) -> list[dict]:
        """The numbers behind the chart, month by month (the accessible table)."""
        out = []
        previous = None
        for month, label in zip(self.months, self.labels, strict=True):
            value = self.figures.get(month)
            partial = month > self.last_complete
            out.append(
                {
                    "month": month,
                    "label": label,
                    "value": value,
                    "partial": partial,
                    "change": None
                    if value is None or previous is None or partial
                    else value - previous,
                }
            )
            if value is not None:
                previous = value
        return out

    @cached_property
    def table(self) -> list[dict]:
        """The months of `rows` that have a figure, as the accessible table prints them: the
        month's name, whether it is the month so far, the figure and its change (or "—")."""
        figure = figure_format(self.metric.decimals)
        return [
            {
                "label": row["label"],
                "partial": row["partial"],
                "value": figure(row["value"]),
                "change": "—" if row["change"] is None else figure(row["change"]),
            }
            for row in self.rows
            if row["value"] is not None
        ]

    def chart(self) -> dict:
        """What the chart script draws (passed through json_script, never inline code)."""
        labels = self.labels
        values = [None if m > self.last_complete else self.figures.get(m) for m in self.months]
        so_far = [self.figures.get(m) if m > self.last_complete else None for m in self.months]
        data: dict = {
            "id": self.metric.pk,
            "name": self.metric.name,
            "unit": self.metric.unit,
            "decimals": self.metric.decimals,
            "labels": labels,
            "values": values,
            "soFar": so_far,
            "strings": {
                "actual": _("Actual"),
                "soFar": _("This month so far"),
                "forecast": _("Our forecast"),
                "expectation": _("Client's expectation"),
                "trend": _("Trend"),
            },
        }
        index = {m: i for i, m in enumerate(self.months)}
        if self.forecast is not None:
            i = index.get(kpi.month_start(self.forecast.by_date))
            if i is not None:
                data["forecast"] = {
                    "index": i,
                    "low": float(self.forecast.low),
                    "high": float(self.forecast.high),
                }
        if self.expectation is not None:
            i = index.get(kpi.month_start(self.expectation.by_date))
            if i is not None:
                data["expectation"] = {"index": i, "target": float(self.expectation.target)}
        if self.trend_check is not None and self.trend_check.projected is not None:
            i = index.get(self.trend_check.by_month)
            j = index.get(self.last_complete)
            if i is not None and j is not None and self.figures.get(self.last_complete) is not None:
                trend = [None] * len(self.months)
                trend[j] = self.figures[self.last_complete]
                trend[i] = round(self.trend_check.projected, 4)
                data["trend"] = trend
        return data


def chart_payload(card_list: list[Card]) -> dict:
    """The charts of a page for json_script; the chronology's marks are the same on every chart
    of a project, so they travel (and are listed on the page) once."""
    return {
        "annotations": card_list[0].annotations if card_list else [],
        "charts": [card.chart() for card in card_list],
    }


def figure_format(decimals: int) -> Callable[[float | Decimal], str]:
    """How a KPI's figure is printed, as the `kpi_value` template filter prints it: in the metric's
    precision, grouped the way the active language writes numbers — the separators looked up once
    for many figures (a card's table)."""
    language = translation.get_language()
    decimal_separator = formats.get_format("DECIMAL_SEPARATOR", language, use_l10n=True)
    grouping = formats.get_format("NUMBER_GROUPING", language, use_l10n=True)
    thousand_separator = formats.get_format("THOUSAND_SEPARATOR", language, use_l10n=True)

    def figure(value: float | Decimal) -> str:
        return numberformat.format(
            round(float(value), decimals),
            decimal_separator,
            decimals,
            grouping,
            thousand_separator,
            force_grouping=True,
            use_l10n=True,
        )

    return figure


def month_labels(months: list[date]) -> list[str]:
    """The months as the charts and tables name them ("November 2026"), the format read once."""
    year_month = formats.get_format("YEAR_MONTH_FORMAT")
    return [dateformat.format(month, year_month) for month in months]


def card_metrics(viewer: Viewer, project: Project) -> QuerySet[Metric]:
    """The project's metrics as the KPI cards read them: with their current expectation and
    forecast."""
    return project_metrics(viewer, project).select_related(
        "current_expectation", "current_forecast"
    )


def cards(
    viewer: Viewer,
    project: Project,
    *,
    on: date | None = None,
    metric_ids: list[int] | None = None,
    client_only: bool = False,
    marks: list[Mark] | None = None,
    metric_list: list[Metric] | None = None,
) -> list[Card]:
    """KPI cards of a project in three queries: metrics with their current expectation and
    forecast, points, annotations (none when `marks`, the items of `annotation_events`, or
    `metric_list`, the rows of `card_metrics`, were read already).

    `client_only`: what a client would see (for a report), whoever asks.
    """
    on = on or today(viewer)
    if metric_list is None:
        qs = card_metrics(viewer, project)
        if client_only:
            qs = qs.filter(visibility=Visibility.CLIENT)
        if metric_ids is not None:
            qs = qs.filter(pk__in=metric_ids)
        metric_list = list(qs)
    if not metric_list:
        return []
    start = kpi.add_months(kpi.month_start(on), -HISTORY_MONTHS)
    all_figures = monthly_figures(metric_list, start, on)
    if marks is None:
        marks = [
            Mark(*row)
            for row in annotation_events(viewer, project, on, client_only=client_only).values_list(
                "pk", "kind", "title", "occurred_at"
            )
        ]
    return _cards_of(metric_list, all_figures, on, marks)


def cards_for(
    projects: list[Project],
    *,
    on: date,
    client_only: bool = False,
    annotations: bool = True,
) -> dict[int, list[Card]]:
    """The KPI cards of many projects of one agency, by project id, in three queries whatever
    their number: metrics with their current expectation and forecast, points, and (unless
    `annotations` is False: a letter draws no chart) the chronology marks, up to MAX_ANNOTATIONS
    per project. Each project's cards are those `cards(viewer, project, on=on, client_only=...)`
    gives a viewer who sees the whole project; the caller chose the projects (a job, not a page).
    """
    if not projects:
        return {}
    agency_id = projects[0].agency_id
    if any(p.agency_id != agency_id for p in projects):  # the tenant key of every query below
        raise ValueError("cards_for reads the projects of one agency at a time")
    ids = [p.pk for p in projects]
    qs = Metric.objects.filter(agency_id=agency_id, project_id__in=ids)
    if client_only:
        qs = qs.filter(visibility=Visibility.CLIENT)
    metric_list = list(
        qs.select_related("current_expectation", "current_forecast").order_by(
            "project_id", "position", "pk"
        )
    )
    by_project: dict[int, list[Metric]] = defaultdict(list)
    for metric in metric_list:
        by_project[metric.project_id].append(metric)
    if not by_project:
        return {pk: [] for pk in ids}
    current = kpi.month_start(on)
    all_figures = monthly_figures(metric_list, kpi.add_months(current, -HISTORY_MONTHS), on)
    marks: dict[int, list[Mark]] = defaultdict(list)
    if annotations:
        events = Event.objects.filter(
            agency_id=agency_id,
            project_id__in=list(by_project),
            kind__in=ANNOTATION_KINDS,
            occurred_at__gte=day_start(first_shown(on)),
            occurred_at__lt=day_start(on + timedelta(days=1)),
        )
        if client_only:
            events = events.filter(visibility=Visibility.CLIENT)
        newest = Window(
            RowNumber(), partition_by=[F("project_id")], order_by=[F("occurred_at").desc()]
        )
        for project_id, *mark in (
            events.annotate(newest=newest)
            .filter(newest__lte=MAX_ANNOTATIONS)
            .order_by("project_id", "-occurred_at")
            .values_list("project_id", "pk", "kind", "title", "occurred_at")
        ):
            marks[project_id].append(Mark(*mark))
    return {
        pk: _cards_of(by_project[pk], all_figures, on, marks[pk]) if pk in by_project else []
        for pk in ids
    }


def _cards_of(
    metric_list: list[Metric], all_figures: dict, on: date, marks: list[Mark]
) -> list[Card]:
    """One project's cards from its metrics, their monthly figures and its chart marks (newest
    first), as `cards` builds them."""
    current = kpi.month_start(on)
    last_complete = kpi.add_months(current, -1)
    expectations = {m.pk: m.current_expectation for m in metric_list if m.current_expectation}
    forecasts = {m.pk: m.current_forecast for m in metric_list if m.current_forecast}
    horizon = max(
        [current]
        + [kpi.month_start(e.by_date) for e in expectations.values()]
        + [kpi.month_start(f.by_date) for f in forecasts.values()]
    )
    horizon = min(horizon, kpi.add_months(current, 12))
    months = []
    month = first_shown(on)
    while month <= horizon:
        months.append(month)
        month = kpi.add_months(month, 1)
    annotations = _annotations(marks, months)
    labels = month_labels(months)
    out = []
    for metric in metric_list:
        figures = all_figures.get(metric.pk, {})
        card = Card(
            metric=metric,
            figures=figures,
            months=months,
            last_complete=last_complete,
            so_far=figures.get(current),
            vs_last_month=kpi.compare(figures, last_complete, months_back=1),
            vs_last_year=kpi.compare(figures, last_complete, months_back=12),
            expectation=expectations.get(metric.pk),
            forecast=forecasts.get(metric.pk),
            annotations=annotations,
            labels=labels,
        )
        _check(card)
        out.append(card)
    return out


def monthly_figures(
    metric_list: list[Metric], start: date, end: date
) -> dict[int, dict[date, float]]:
    """Each metric's monthly figures between start and end, in one query whatever the metrics:
    summed or averaged by the database (a few dozen rows instead of every point), and for "last
    value" metrics each month's last point (no later point in the same month), by the same rule
    as `kpi.monthly_figures`, which is the reference for all three."""
    out: dict[int, dict[date, float]] = defaultdict(dict)
    by_id = {m.pk: m for m in metric_list}
    # "YYYY-MM" by CAST and SUBSTR, native on SQLite and PostgreSQL (TruncMonth is a Python
    # function per row on SQLite, several times slower here).
    month = Substr(Cast("date", CharField()), 1, 7)
    last = [m.pk for m in metric_list if m.aggregation == Aggregation.LAST]
    summed = [m.pk for m in metric_list if m.aggregation != Aggregation.LAST]
    agencies = sorted({m.agency_id for m in metric_list})  # one: the metrics' own agency
    window = Point.objects.filter(agency_id__in=agencies, date__gte=start, date__lte=end).annotate(
        month=month
    )
    parts = []  # only the parts there are metrics for: a part costs its building even when empty
    if summed:
        parts.append(
            window.filter(metric__in=summed)
            .values("metric_id", "month")
            .annotate(total=Sum("value"), mean=Avg("value"))
            .order_by()
        )
    if last:
        later = window.filter(metric=OuterRef("metric"), date__gt=OuterRef("date")).filter(
            month=OuterRef("month")
        )
        parts.append(
            window.filter(metric__in=last)
            .filter(~Exists(later))
            .values("metric_id", "month")
            .annotate(total=F("value"), mean=F("value"))
            .order_by()
        )
    if not parts:
        return {}
    for row in parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]:
        metric = by_id[row["metric_id"]]
        year, month_number = row["month"].split("-")
        first = date(int(year), int(month_number), 1)
        if metric.aggregation == Aggregation.AVERAGE:
            out[metric.pk][first] = float(row["mean"])
        else:  # the sum, or the month's last value
            out[metric.pk][first] = float(row["total"])
    return {pk: dict(sorted(figures.items())) for pk, figures in out.items()}


def _check(card: Card) -> None:
    forecast = card.forecast
    if forecast is None:
        return
    low, high = float(forecast.low), float(forecast.high)
    if card.expectation is not None:
        card.expectation_check = kpi.check_expectation(
            float(card.expectation.target), low, high, higher_is_better=card.higher_is_better
        )
    card.trend_check = kpi.check_trend(
        card.figures,
        low=low,
        high=high,
        by_date=forecast.by_date,
        higher_is_better=card.higher_is_better,
        last_complete_month=card.last_complete,
    )


def first_shown(on: date) -> date:
    """The first month a KPI chart shows: six months back (a year back is kept for the
    comparison only)."""
    return kpi.add_months(kpi.month_start(on), -6)


def annotation_events(
    viewer: Viewer, project: Project, on: date, *, client_only: bool = False
) -> QuerySet[Event]:
    """The chronology's items drawn on the KPI charts of the window that ends on `on`."""
    qs = Event.objects.all()
    if client_only:
        qs = qs.filter(visibility=Visibility.CLIENT)
    return (
        scoped_to_project(viewer, qs, project)
        .filter(
            kind__in=ANNOTATION_KINDS,
            occurred_at__gte=day_start(first_shown(on)),
            occurred_at__lt=day_start(on + timedelta(days=1)),
        )
        .only("pk", "kind", "title", "occurred_at")
        .order_by("-occurred_at")[:MAX_ANNOTATIONS]
    )


class Mark(NamedTuple):
    """A chronology item drawn on the KPI charts."""

    pk: int
    kind: str
    title: str
    occurred_at: datetime


def _annotations(marks: list[Mark], months: list[date]) -> list[dict]:
    """The chart marks of `annotation_events` (newest first), oldest first. A mark's place on the
    month axis is fractional: the 15th of a month sits near its label. The months' positions and
    the date format are looked up once for all the marks."""
    import calendar

    out = []
    url = reverse("event", args=[PK_SLOT])  # reversed once for all the marks
    slot = str(PK_SLOT)
    position = {month: i for i, month in enumerate(months)}
    short_date = formats.get_format("SHORT_DATE_FORMAT")
    zone = timezone.get_current_timezone()
    dates: dict[date, str] = {}  # several marks a day: each day formatted once
    for mark in marks:
        when = timezone.localdate(mark.occurred_at, zone)
        i = position.get(when.replace(day=1))
        if i is None:
            continue
        if when not in dates:
            dates[when] = dateformat.format(when, short_date)
        days = calendar.monthrange(when.year, when.month)[1]
        out.append(
            {
                "x": round(i + (when.day - 1) / days - 0.5 + 0.5 / days, 3),
                "date": dates[when],
                "title": mark.title,
                "kind": mark.kind,
                "url": url.replace(slot, str(mark.pk)),
            }
        )
    return out[::-1]


# --------------------------------------------------------------------------- the home page


@dataclass
class Waiting:
    kind: str  # "recommendation" | "task" | "question"
    title: str
    url: str
    since: datetime
    days: int


@dataclass
class PlanLine:
    title: str
    task_title: str | None
    state: str | None
    state_label: str | None
    due_at: datetime | None


@dataclass
class Home:
    """The client's home. Its chronology items (`new_items`, `done`, `plan`) carry their `url`
    and `kind_label` (what `get_kind_display()` says)."""

    project: Project
    today: date
    month: date
    previous_visit: datetime | None
    new_items: list[Event]
    new_count: int
    done: list[Event]
    plan: Event | None
    plan_is_next_month: bool
    plan_lines: list[PlanLine]
    waiting: list[Waiting]
    metrics: list[Metric]
    marks: list[Mark]
    team: list[ProjectMember]
    flags: list[Flag] = field(default_factory=list)
    # Last month's done work, shown while this month has none yet (on the 2nd of the month the
    # client still sees what was done, not an empty card).
    done_last_month: list[Event] = field(default_factory=list)
    # Builds the KPI cards from `metrics` and `marks` (points are read then): only when a page
    # asks for them — not when it has the cards rendered already (`results_fingerprint`).
    build_cards: Callable[[], list[Card]] = field(default=list, repr=False)

    @property
    def last_month(self) -> date:
        return kpi.add_months(self.month, -1)

    @cached_property
    def cards(self) -> list[Card]:
        return self.build_cards()

    def results_fingerprint(self) -> str:
        """Everything the KPI cards show depends on, read already: the day, each metric's fields,
        its current expectation and forecast and when its values last changed, and the marks of
        the work on the charts. Equal fingerprints (in one language) render equal cards."""
        material = [self.project.pk, self.today.isoformat(), timezone.get_current_timezone_name()]
        for m in self.metrics:
            expectation, forecast = m.current_expectation, m.current_forecast
            material.append(
                (
                    m.pk,
                    m.name,
                    m.unit,
                    m.decimals,
                    m.direction,
                    m.period,
                    m.aggregation,
                    m.visibility,
                    m.points_version,
                    expectation and (expectation.pk, expectation.target, expectation.by_date),
                    forecast and (forecast.pk, forecast.low, forecast.high, forecast.by_date),
                )
            )
        material.extend(tuple(mark) for mark in self.marks)
        return hashlib.sha256(repr(material).encode()).hexdigest()


def _days(since: datetime, now: datetime) -> int:
    return max(0, (now - since).days)


WAITING_KINDS = ("recommendation", "task", "question")  # the order of equal waits
_SHORT = ("w_part", "w_kind", "w_id", "w_title", "w_since", "w_fallback")


def _short_rows(qs: QuerySet, part: str, kind, title: str, since, fallback: str) -> QuerySet:
    """A sliced queryset as a part of the short-rows UNION: part, kind, id, title, since, and
    the "since" used when the first one is empty."""
    return (
        qs.values("pk")
        .annotate(
            w_part=Value(part),
            w_kind=kind,
            w_id=F("pk"),
            w_title=F(title),
            w_since=since,
            w_fallback=F(fallback),
        )
        .values_list(*_SHORT)
    )


def _waiting_queries(viewer: Viewer, project: Project) -> list[QuerySet]:
    """Pending recommendations, tasks waiting for the client and questions waiting for her
    reply, up to ten of each, as parts of a UNION."""
    from kabinet.questions.models import Status, Thread
    from kabinet.work.models import Task, TaskChange

    since_change = (
        TaskChange.objects.filter(
            task=OuterRef("pk"), field="status", new=Task.Status.WAITING_CLIENT
        )
        .order_by("-at")
        .values("at")[:1]
    )
    recommendations = scoped_to_project(
        viewer,
        Event.objects.filter(kind=Kind.RECOMMENDATION, decision=Decision.PENDING),
        project,
    ).order_by("occurred_at")[:10]
    tasks = scoped_to_project(
        viewer, Task.objects.filter(status=Task.Status.WAITING_CLIENT), project
    )
    threads = scoped_to_project(
        viewer,
        Thread.objects.filter(status=Status.WAITING_CLIENT),
        project,
        visibility_field=None,
    )
    replied = Max(
        "messages__created_at",
        filter=Q(messages__visibility="client", messages__from_client=False),
    )
    kinds = [Value(kind) for kind in WAITING_KINDS]
    return [
        _short_rows(recommendations, "waiting", kinds[0], "title", F("occurred_at"), "occurred_at"),
        _short_rows(tasks[:10], "waiting", kinds[1], "title", Subquery(since_change), "updated_at"),
        _short_rows(threads[:10], "waiting", kinds[2], "subject", replied, "created_at"),
    ]


def _waiting(rows, now: datetime) -> list[Waiting]:
    urls = {"recommendation": "event", "task": "work:task", "question": "questions:thread"}
    out = []
    for _part, kind, pk, title, since, fallback in rows:
        since = since or fallback
        out.append(Waiting(kind, title, reverse(urls[kind], args=[pk]), since, _days(since, now)))
    return sorted(out, key=lambda w: (w.since, WAITING_KINDS.index(w.kind)))


def waiting_for_client(
    viewer: Viewer, project: Project, now: datetime | None = None
) -> list[Waiting]:
    """What waits for the client's decision or answer, the longest-waiting first: pending
    recommendations, tasks waiting for the client and questions waiting for her reply (up to ten
    of each), read in one query — a UNION of the three with the same columns."""
    queries = _waiting_queries(viewer, project)
    return _waiting(union_all(queries), now or timezone.now())


def _plan_candidates(viewer: Viewer, project: Project, on: date) -> QuerySet[Event]:
    """The plans that may be shown on `on`: those of this month and next month, latest first."""
    month = kpi.month_start(on)
    next_month = kpi.add_months(month, 1)
    return (
        scoped_to_project(viewer, Event.objects.filter(kind=Kind.PLAN), project)
        .filter(
            period_start__lte=kpi.add_months(next_month, 1) - timedelta(days=1),
            period_end__gte=month,
        )
        .order_by("-period_start", "-occurred_at")[:4]
    )


def _choose_plan(candidates: list[Event], on: date) -> tuple[Event | None, bool]:
    """Next month's plan when it is published, else this month's (`candidates` in the order of
    `_plan_candidates`); and whether it is next month's."""
    next_month = kpi.add_months(kpi.month_start(on), 1)
    plan = next((p for p in candidates if p.period_end >= next_month), None)
    if plan is not None:
        return plan, True
    return (candidates[0] if candidates else None), False


def _plan_lines(viewer: Viewer, plan: Event | None) -> list[PlanLine]:
    """The plan's lines with their tasks, in their order (one query; none without a plan)."""
    if plan is None:
        return []
    from kabinet.work.models import Task

    items = (
        PlanItem.objects.filter(agency=viewer.agency, plan=plan.pk)
        .order_by("position", "pk")
        .values_list(
            "title", "task_id", "task__title", "task__status", "task__visibility", "task__due_at"
        )
    )
    lines = []
    for title, task_id, task_title, status, visibility, due_at in items:
        if task_id is None or (viewer.is_client and visibility != Visibility.CLIENT):
            # No task, or an internal one: its title and state are not the client's to see.
            lines.append(PlanLine(title, None, None, None, None))
            continue
        label = str(Task.Status(status).label) if status in Task.Status.values else status
        lines.append(PlanLine(title, task_title, status, label, due_at))
    return lines


def plan_for(
    viewer: Viewer, project: Project, on: date
) -> tuple[Event | None, bool, list[PlanLine]]:
    """Next month's plan when it is published, else this month's; with its lines and their tasks."""
    candidates = _plan_candidates(viewer, project, on)
    plans = list(
        candidates.only("pk", "title", "body", "period_start", "period_end", "occurred_at")
    )
    plan, is_next = _choose_plan(plans, on)
    return plan, is_next, _plan_lines(viewer, plan)


def _newest_first(events: list[Event]) -> list[Event]:
    return sorted(events, key=lambda e: (e.occurred_at, e.pk), reverse=True)


def project_home(
    viewer: Viewer, project: Project, visit: ProjectVisit | None = None, now: datetime | None = None
) -> Home:
    """The home in a fixed number of queries: the chronology's items it shows in full (what is
    new and how many, the month's work, the plans) in one UNION; what waits for the client and
    the charts' marks as short rows in another; the plan's lines; the KPI cards (metrics with
    their current expectation and forecast, points)."""
    now = now or timezone.now()
    on = today(viewer, now)
    month = kpi.month_start(on)
    events = scoped_to_project(viewer, Event.objects.all(), project)
    previous = since_last_visit(visit, now)
    # The first visit shows the latest items: there is no "since" yet.
    new_qs = events.filter(occurred_at__gt=previous) if previous else events
    candidates = _plan_candidates(viewer, project, on)
    parts = {
        "new": new_qs.order_by("-occurred_at", "-pk")[:NEW_ITEMS],
        # This month's and last month's, newest first: last month's are shown only while this
        # month has none.
        "done": events.filter(
            kind__in=(Kind.WORK_DONE, Kind.TASK, Kind.MILESTONE),
            occurred_at__gte=day_start(kpi.add_months(month, -1)),
        ).order_by("-occurred_at", "-pk")[:DONE_ITEMS],
        "plan": candidates,
    }
    # How many are new, counted by the database (a scalar subquery of the "new" part).
    total = (
        Subquery(new_qs.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"))
        if previous
        else Value(None, output_field=IntegerField())
    )
    # What the page shows of them (the plan's text comes as `plan_body`, for the plan only; the
    # author's name as `author_name`, next to `author_id`).
    queries = [
        qs.only("kind", "title", "occurred_at", "period_start", "period_end", "author").annotate(
            author_name=F("author__full_name"),
            section=Value(name),
            new_total=total if name == "new" else Value(None, output_field=IntegerField()),
            plan_body=F("body") if name == "plan" else Value("", output_field=TextField()),
        )
        for name, qs in parts.items()
    ]
    read: dict[str, list[Event]] = defaultdict(list)
    url = reverse("event", args=[PK_SLOT])  # reversed once for all the items
    slot = str(PK_SLOT)
    kind_labels: dict[str, str] = {}
    for event in union_all(queries):
        event.url = url.replace(slot, str(event.pk))
        # What get_kind_display() says, each kind's label translated once for the page.
        if event.kind not in kind_labels:
            known = event.kind in Kind.values
            kind_labels[event.kind] = str(Kind(event.kind).label) if known else event.kind
        event.kind_label = kind_labels[event.kind]
        read[event.section].append(event)
    new_items = _newest_first(read["new"])
    new_count = len(new_items)
    if previous and new_count == NEW_ITEMS:
        new_count = new_items[0].new_total
    done = _newest_first(read["done"])
    this_month_from = day_start(month)
    plans = sorted(read["plan"], key=lambda p: (p.period_start, p.occurred_at, p.pk), reverse=True)
    for plan in plans:
        plan.body = plan.plan_body
    plan, is_next = _choose_plan(plans, on)
    lines = _plan_lines(viewer, plan)

    short = _waiting_queries(viewer, project)
    short.append(
        _short_rows(
            annotation_events(viewer, project, on),
            "mark",
            F("kind"),
            "title",
            F("occurred_at"),
            "occurred_at",
        )
    )
    rows = union_all(short)
    marks = sorted(
        (Mark(pk, kind, title, at) for part, kind, pk, title, at, _ in rows if part == "mark"),
        key=lambda m: (m.occurred_at, m.pk),
        reverse=True,
    )
    metric_list = list(card_metrics(viewer, project))
    home = Home(
        project=project,
        today=on,
        month=month,
        previous_visit=previous,
        new_items=new_items,
        new_count=new_count,
        done=[e for e in done if e.occurred_at >= this_month_from],
        done_last_month=[e for e in done if e.occurred_at < this_month_from],
        plan=plan,
        plan_is_next_month=is_next,
        plan_lines=lines,
        waiting=_waiting([row for row in rows if row[0] == "waiting"], now),
        metrics=metric_list,
        marks=marks,
        team=list(project.members.all()),
        build_cards=lambda: cards(viewer, project, on=on, marks=marks, metric_list=metric_list),
    )
    if viewer.is_staff:
        home.flags = flags_from_cards(project, home.cards)
    return home


# --------------------------------------------------------------------------- flags for the manager


@dataclass
class Flag:
    project: Project
    metric: Metric
    kind: str  # "expectation" (talk now) | "trend" (actuals trend below the forecast)
    reason: str
    # What raised it: the expectation and forecast rows (a revision is a new cause), so that the
    # stored flag (`services.store_flags`) notifies once per cause.
    cause: str = ""


def _fmt(metric: Metric, value: float | Decimal) -> str:
    text = formats.number_format(
        round(float(value), metric.decimals),
        decimal_pos=metric.decimals,
        use_l10n=True,
        force_grouping=True,
    )
    return f"{text} {metric.unit}".strip()


def flags_from_cards(project: Project, card_list: list[Card]) -> list[Flag]:
    out = []
    for card in card_list:
        metric, forecast = card.metric, card.forecast
        if forecast is None:
            continue
        check = card.expectation_check
        if check is not None and check.outside and card.expectation is not None:
            if check.talk_now:
                text = _(
                    "Talk now: the client expects %(target)s by %(date)s; our forecast is %(low)s – %(high)s."
                )
            else:
                text = _(
                    "The client expects %(target)s by %(date)s, less than our forecast of %(low)s – %(high)s."
                )
            out.append(
                Flag(
                    project,
                    metric,
                    "expectation",
                    text
                    % {
                        "target": _fmt(metric, check.target),
                        "date": formats.date_format(card.expectation.by_date),
                        "low": _fmt(metric, forecast.low),
                        "high": _fmt(metric, forecast.high),
                    },
                    cause=f"expectation:{card.expectation.pk}:forecast:{forecast.pk}",
                )
            )
        trend = card.trend_check
        if trend is not None and trend.behind and trend.projected is not None:
            text = _(
                "Behind the forecast: %(month)s — about %(projected)s at the trend of the last %(months)s months; "
                "the forecast is %(low)s – %(high)s."
            )
            out.append(
                Flag(
                    project,
                    metric,
                    "trend",
                    text
                    % {
                        "months": trend.months_used,
                        "projected": _fmt(metric, trend.projected),
                        "month": formats.date_format(trend.by_month, "YEAR_MONTH_FORMAT"),
                        "low": _fmt(metric, forecast.low),
                        "high": _fmt(metric, forecast.high),
                    },
                    cause=f"trend:forecast:{forecast.pk}",
                )
            )
    return out


def flags(viewer: Viewer, now: datetime | None = None) -> list[Flag]:
    """Every flag on the projects the manager works on (the head: the agency), "talk now" first."""
    scoping.require_staff(viewer)
    on = today(viewer, now)
    project_ids = (
        scoped(viewer, Forecast.objects.all(), visibility_field=None)
        .values_list("project_id", flat=True)
        .distinct()
    )
    projects = scoping.projects(viewer).filter(pk__in=list(project_ids)).select_related("company")
    out: list[Flag] = []
    for project in projects:
        out.extend(flags_from_cards(project, cards(viewer, project, on=on)))
    return sorted(
        out, key=lambda f: (f.kind != "expectation", f.project.company.name, f.project.name)
    )


def stored_flags(viewer: Viewer) -> QuerySet[StoredFlag]:
    """The flags the daily job stored and that still hold, on the projects the person works on
    (the head: the agency), "talk now" first — what the manager's cockpit shows."""
    scoping.require_staff(viewer)
    return (
        scoped(viewer, StoredFlag.objects.filter(resolved_at__isnull=True), visibility_field=None)
        .select_related("project", "project__company", "metric")
        .order_by(
            Case(When(kind=StoredFlag.Kind.EXPECTATION, then=0), default=1),
            "project__company__name",
            "project__name",
            "metric__position",
        )
    )


# --------------------------------------------------------------------------- source connections


def connections(viewer: Viewer) -> QuerySet[Connection]:
    """Source connections: only the head of the agency manages them."""
    scoping.require_head(viewer)
    return scoped(viewer, Connection.objects.all(), visibility_field=None)


def project_connections(viewer: Viewer, project: Project) -> QuerySet[Connection]:
    return connections(viewer).filter(project=project).order_by("kind")


def connection_or_404(viewer: Viewer, project: Project, pk: int) -> Connection:
    return get_or_404(project_connections(viewer, project).select_related("project"), pk=pk)


# --------------------------------------------------------------------------- the month for a report


@dataclass
class MonthSummary:
    project: Project
    month: date
    cards: list[Card]
    done: list[Event]


def month_summary(viewer: Viewer, project: Project, month: date) -> MonthSummary:
    """The month's KPI figures and the done work from the chronology, for the report composer."""
    first, last = kpi.month_bounds(month)
    on = min(today(viewer), kpi.add_months(first, 1))  # so that `month` counts as complete
    card_list = cards(viewer, project, on=on, client_only=True)
    done = list(  # a report goes to the client: only what the client may see, whoever drafts it
        scoped(viewer, Event.objects.filter(project=project, visibility=Visibility.CLIENT))
        .filter(
            kind__in=(Kind.WORK_DONE, Kind.TASK, Kind.MILESTONE),
            occurred_at__gte=day_start(first),
            occurred_at__lt=day_start(last + timedelta(days=1)),
        )
        .order_by("occurred_at", "pk")
    )
    return MonthSummary(project=project, month=first, cards=card_list, done=done)


def visit_for(viewer: Viewer, project: Project) -> ProjectVisit | None:
    return ProjectVisit.objects.filter(
        agency=viewer.agency, project=project, user=viewer.user
    ).first()


def since_last_visit(visit: ProjectVisit | None, now: datetime) -> datetime | None:
    """The moment "new since your last visit" counts from. The page records a visit by a POST
    after it loads (a GET writes nothing), so within the current sitting the last visit is the
    one before it; in a new sitting it is the last recorded one."""
    from kabinet.health.services import SITTING_MINUTES

    if visit is None:
        return None
    if (now - visit.last_at).total_seconds() <= SITTING_MINUTES * 60:
        return visit.previous_at
    return visit.last_at


# --------------------------------------------------------------------------- the understanding index


@dataclass
class ComponentRow:
    key: str
    label: str
    value: float | None
    score: float | None
    weight: float
    contribution: float
    lost: float
    delta: float | None = None  # change of contribution over the drop window


def component_rows(components: dict, before: dict | None = None) -> list[ComponentRow]:
    """A snapshot's components in the scorer's order, with their labels (and their change)."""
    from kabinet.health.understanding import COMPONENT_LABELS
    from kabinet.lib.understanding import COMPONENTS

    rows = []
    for key in COMPONENTS:
        c = components.get(key)
        if c is None:
            continue
        delta = None
        if before and (before.get(key) or {}).get("contribution") is not None:
            delta = round(float(c["contribution"]) - float(before[key]["contribution"]), 2)
        rows.append(
            ComponentRow(
                key=key,
                label=str(COMPONENT_LABELS[key]),
                value=c.get("value"),
                score=c.get("score"),
                weight=float(c.get("weight") or 0),
                contribution=float(c.get("contribution") or 0),
                lost=float(c.get("lost") or 0),
                delta=delta,
            )
        )
    return rows


@dataclass
class Understanding:
    index: float | None
    day: date | None
    components: list[ComponentRow]
    history: list[tuple[date, float]]
    threshold: float | None  # None before the first index

    def chart(self, name: str) -> dict:
        return {
            "name": name,
            "labels": [formats.date_format(d, "SHORT_DATE_FORMAT") for d, _v in self.history],
            "values": [v for _d, v in self.history],
            "threshold": self.threshold,
        }


def project_understanding(viewer: Viewer, project: Project) -> Understanding:
    """The project's index over time and its latest components — staff only; one query (the
    agency's alarm threshold comes with the snapshots; read alone when there are none)."""
    from kabinet.health.models import UnderstandingSettings, UnderstandingSnapshot
    from kabinet.health.understanding import HISTORY_DAYS

    scoping.require_staff(viewer)
    on = today(viewer)
    snaps = list(
        scoped(
            viewer,
            UnderstandingSnapshot.objects.filter(
                project=project, day__gt=on - timedelta(days=HISTORY_DAYS)
            ),
            visibility_field=None,
        )
        .only("day", "index", "components")
        .annotate(
            threshold=Subquery(
                UnderstandingSettings.objects.filter(agency=viewer.agency).values("threshold")[:1]
            )
        )
        .order_by("day")
    )
    if not snaps:  # no index yet: nothing to hold against the threshold
        return Understanding(None, None, [], [], None)
    last = snaps[-1]
    threshold = last.threshold
    if threshold is None:  # the agency has not set its own: the default
        threshold = UnderstandingSettings(agency=viewer.agency).threshold
    return Understanding(
        index=float(last.index),
        day=last.day,
        components=component_rows(last.components),
        history=[(s.day, float(s.index)) for s in snaps],
        threshold=float(threshold),
    )


def company_understanding(viewer: Viewer, pk: int) -> tuple[object, Understanding]:
    """A client company's latest index and its components — the head's, for the row of his page
    that is opened (two queries); another agency's company is a 404."""
    from kabinet.clients.models import ClientCompany
    from kabinet.health.models import UnderstandingSnapshot
    from kabinet.health.understanding import settings_for

    scoping.require_head(viewer)
    company = get_or_404(scoping.in_agency(ClientCompany.objects.all(), viewer.agency), pk=pk)
    snap = (
        UnderstandingSnapshot.objects.filter(agency=viewer.agency, company=company, project=None)
        .only("day", "index", "components")
        .order_by("-day")
        .first()
    )
    threshold = float(settings_for(viewer.agency).threshold)
    if snap is None:
        return company, Understanding(None, None, [], [], threshold)
    return company, Understanding(
        float(snap.index), snap.day, component_rows(snap.components), [], threshold
    )


@dataclass
class AttentionRow:
    company: object
    index: float
    since: date
    kind: str  # "low" | "drop" | "component"
    drop: float | None
    moved: list[ComponentRow]


def _attention_row(company, index, alarm: dict) -> AttentionRow:
    """A company's alarm as the daily job stored it on the day's snapshot."""
    from kabinet.health.understanding import COMPONENT_LABELS

    moved = [
        ComponentRow(
            key=m["key"],
            label=str(COMPONENT_LABELS[m["key"]]),
            value=m.get("value"),
            score=None,
            weight=0.0,
            contribution=0.0,
            lost=0.0,
            delta=m["delta"],
        )
        for m in alarm.get("moved") or []
        if m.get("key") in COMPONENT_LABELS
    ]
    return AttentionRow(
        company,
        float(index),
        date.fromisoformat(alarm["since"]),
        alarm["kind"],
        alarm.get("drop"),
        moved,
    )


def _latest_day(agency) -> date | None:
    """The last day the daily job stored the companies' index (one query)."""
    from kabinet.health.models import UnderstandingSnapshot

    return (
        UnderstandingSnapshot.objects.filter(agency=agency, project=None)
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )


def needs_attention(viewer: Viewer) -> list[AttentionRow]:
    """Client companies whose index is below the threshold or dropped fast, on the viewer's
    projects (the head: the agency's), with the components that moved — as the daily job stored
    them on the latest day's snapshots (two queries)."""
    from kabinet.health.models import UnderstandingSnapshot

    scoping.require_staff(viewer)
    latest = _latest_day(viewer.agency)
    if latest is None:
        return []
    rows = (
        UnderstandingSnapshot.objects.filter(
            agency=viewer.agency,
            project=None,
            day=latest,
            attention=True,
            company_id__in=scoping.projects(viewer).values("company_id"),
        )
        .select_related("company")
        .only("index", "alarm", "company")
        .order_by("index", "company__name")
    )
    return [_attention_row(s.company, s.index, s.alarm) for s in rows if s.alarm]


# --------------------------------------------------------------------------- the head's view


class PageFigures:
    """The figures of a page's tables as `floatformat` and the `percent` tag print them, with the
    language's decimal separator looked up once for the page: a table of a hundred rows is
    thousands of numbers, and the template's filters localise each one anew."""

    def __init__(self) -> None:
        language = translation.get_language()
        self.separator = formats.get_format("DECIMAL_SEPARATOR", language, use_l10n=True)

    def fixed(self, value: float | Decimal | None, decimals: int, empty: str = "") -> str:
        """`value|floatformat:decimals` (half up), `empty` for no value."""
        if value is None:
            return empty
        exponent = Decimal(1).scaleb(-decimals)
        figure = Decimal(repr(float(value))).quantize(exponent, rounding=ROUND_HALF_UP)
        return str(abs(figure) if figure == 0 else figure).replace(".", self.separator)

    @staticmethod
    def share(value: float | None) -> str:
        """The `percent` tag: a share (0..1) as a whole percentage, "—" for none."""
        return "—" if value is None else f"{round(float(value) * 100)} %"


HEAD_PAGE_SIZE = 25  # client companies per page of the head's view


@dataclass
class ClientRow:
    company: object
    index: float | None
    measurements: dict
    alarm: AttentionRow | None
    at_risk: int = 0
    manager: object | None = None
    history: list[tuple[date, float]] = field(default_factory=list)
    text: dict[str, str] = field(default_factory=dict)  # its figures as printed (`PageFigures`)

    @property
    def kept_rate(self) -> float | None:
        due = self.measurements.get("promises_due") or 0
        if not due:
            return None
        return 1 - (self.measurements.get("promises_broken_or_moved") or 0) / due

    @property
    def sla_share(self) -> float | None:
        n = self.measurements.get("responses") or 0
        return (self.measurements.get("responses_within_sla") or 0) / n if n else None

    @property
    def rating(self) -> float | None:
        n = self.measurements.get("ratings_count") or 0
        return (self.measurements.get("ratings_sum") or 0) / n if n else None

    @property
    def silence(self) -> float | None:
        return self.measurements.get("days_since_update")


@dataclass
class ManagerRow:
    """One account manager's clients, summed by the database over the latest day's snapshots."""

    manager: object | None
    key: str  # the list's filter: the manager's pk, or "none"
    clients: int
    alarms: int
    lowest: float | None
    kept_rate: float | None
    sla_share: float | None
    rating: float | None
    silence: float | None
    at_risk: int = 0
    text: dict[str, str] = field(default_factory=dict)  # its figures as printed (`PageFigures`)


@dataclass
class AgencyView:
    day: date | None
    managers: list[ManagerRow]
    threshold: float
    clients: list[ClientRow] = field(default_factory=list)  # this page's, attention first
    page: object | None = None  # django Paginator page
    manager: ManagerRow | None = None  # the list shows this manager's clients only
    at_risk_at: datetime | None = None  # when the work at risk was counted (the oldest count)

    def charts(self) -> dict[str, dict]:
        """The page's clients' index over time, by company id, for the charts (json_script);
        each day's label is formatted once for the page."""
        labels: dict[date, str] = {}

        def label(day: date) -> str:
            if day not in labels:
                labels[day] = formats.date_format(day, "SHORT_DATE_FORMAT")
            return labels[day]

        return {
            str(c.company.pk): {
                "name": c.company.name,
                "labels": [label(d) for d, _v in c.history],
                "values": [v for _d, v in c.history],
                "threshold": self.threshold,
            }
            for c in self.clients
        }


def _measured(key: str):
    """A number the snapshot measured (its `measurements` JSON), for the database to add up."""
    return Cast(KT(f"measurements__{key}"), FloatField())


def _ratio(num: float | None, den: float | None) -> float | None:
    return (num or 0) / den if den else None


def agency_view(
    viewer: Viewer,
    *,
    page: object = 1,
    manager: str | None = None,
) -> AgencyView:
    """The head's page: per manager their clients, lowest index, kept promises, SLA, ratings,
    silence and work at risk; then the clients, the ones that need attention first, a page at a
    time, each with the index over time (its components come with `company_understanding` when
    the row is opened). Reads the stored snapshots, alarms, account managers and work at risk
    (never recomputes; work at risk is as of the last plan run, see `store_work_at_risk`): the
    managers' figures are one GROUP BY over the latest day's companies by the manager stored on
    each row, the list reads one page of them and their history — a fixed number of queries,
    and rows read into Python bounded by the number of managers and the page size, whatever the
    number of clients."""
    from django.core.paginator import Paginator

    from kabinet.core.models import User
    from kabinet.health.models import UnderstandingSnapshot
    from kabinet.health.understanding import HISTORY_DAYS, settings_for

    scoping.require_head(viewer)
    agency = viewer.agency
    threshold = float(settings_for(agency).threshold)
    latest = _latest_day(agency)
    if latest is None:
        return AgencyView(None, [], threshold)
    day_rows = UnderstandingSnapshot.objects.filter(agency=agency, project=None, day=latest)
    summary = list(
        day_rows.values("manager_id")
        .annotate(
            clients=Count("pk"),
            alarms=Count("pk", filter=Q(attention=True)),
            lowest=Min("index"),
            due=Sum(_measured("promises_due")),
            broken=Sum(_measured("promises_broken_or_moved")),
            responses=Sum(_measured("responses")),
            within=Sum(_measured("responses_within_sla")),
            ratings=Sum(_measured("ratings_count")),
            rating_sum=Sum(_measured("ratings_sum")),
            silence=Max(_measured("days_since_update")),
            at_risk=Sum("at_risk"),
            at_risk_at=Min("at_risk_at"),
        )
        .order_by()
    )
    people = User.objects.in_bulk([r["manager_id"] for r in summary if r["manager_id"]])
    managers = [
        ManagerRow(
            manager=people.get(r["manager_id"]),
            key=str(r["manager_id"]) if r["manager_id"] else "none",
            clients=r["clients"],
            alarms=r["alarms"],
            lowest=float(r["lowest"]) if r["lowest"] is not None else None,
            kept_rate=1 - _ratio(r["broken"], r["due"]) if r["due"] else None,
            sla_share=_ratio(r["within"], r["responses"]),
            rating=_ratio(r["rating_sum"], r["ratings"]),
            silence=r["silence"],
            at_risk=r["at_risk"] or 0,
        )
        for r in summary
    ]
    counted = [r["at_risk_at"] for r in summary if r["at_risk_at"] is not None]
    managers.sort(
        key=lambda m: (
            -m.alarms,
            m.lowest if m.lowest is not None else 99.0,
            m.manager.full_name if m.manager else "",
        )
    )
    chosen = next((m for m in managers if m.key == manager), None)
    listed = day_rows
    if chosen is not None:
        listed = (
            listed.filter(manager__isnull=True)
            if chosen.manager is None
            else listed.filter(manager=chosen.manager.pk)
        )
    listed = (
        listed.select_related("company")
        .only("index", "measurements", "attention", "alarm", "manager", "at_risk", "company")
        .order_by("-attention", "index", "company__name", "pk")
    )
    paginator = Paginator(listed, HEAD_PAGE_SIZE)
    # The summary counted the listed rows already: no COUNT query for the pager.
    paginator.count = chosen.clients if chosen is not None else sum(m.clients for m in managers)
    current = paginator.get_page(page)
    snaps = list(current.object_list)
    series: dict[int, list] = defaultdict(list)
    for company_id, day, index in (
        UnderstandingSnapshot.objects.filter(
            agency=agency,
            project=None,
            company_id__in=[s.company_id for s in snaps],
            day__gt=latest - timedelta(days=HISTORY_DAYS),
            day__lte=latest,
        )
        .order_by("day")
        .values_list("company_id", "day", "index")
    ):
        series[company_id].append((day, float(index)))
    clients = [
        ClientRow(
            company=s.company,
            index=float(s.index),
            measurements=s.measurements or {},
            alarm=_attention_row(s.company, s.index, s.alarm) if s.attention and s.alarm else None,
            at_risk=s.at_risk,
            manager=people.get(s.manager_id),
            history=series.get(s.company_id, []),
        )
        for s in snaps
    ]
    figures = PageFigures()
    for m in managers:
        m.text = {
            "clients": str(m.clients),
            "alarms": str(m.alarms),
            "lowest": figures.fixed(m.lowest, 1),
            "kept": figures.share(m.kept_rate),
            "sla": figures.share(m.sla_share),
            "rating": figures.fixed(m.rating, 1, "—"),
            "silence": figures.fixed(m.silence, 0, "—"),
            "at_risk": str(m.at_risk),
        }
    for c in clients:
        c.text = {
            "pk": str(c.company.pk),
            "index": figures.fixed(c.index, 1),
            "kept": figures.share(c.kept_rate),
            "sla": figures.share(c.sla_share),
            "rating": figures.fixed(c.rating, 1, "—"),
            "silence": figures.fixed(c.silence, 0, "—"),
            "at_risk": str(c.at_risk),
        }
    return AgencyView(
        latest, managers, threshold, clients, current, chosen, min(counted, default=None)
    )
