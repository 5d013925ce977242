"""The Django side of the understanding index: measure, score, keep a daily snapshot, alarm.

`measure(agency, at)` gathers every project's `Measurements` as they stood at `at` in a fixed
number of queries (one per kind of data, whatever the number of projects), so the same code
serves today's snapshot and the backtest's "as of 30 days before the client left". The scorer is
`kabinet.lib.understanding` (pure); this module only adapts the models to it.

`take_snapshots(agency, now)` stores one `UnderstandingSnapshot` per active project and per client
company for the day (an idempotent upsert: the day's rows are replaced), the company's account
manager on its row (`store_managers` rewrites it when a team changes), writes each company's
alarm onto its row of the day (`store_alarms`: the pages read it, a page at a time), then
`raise_alarms` creates, once per cause, a task for the client's account manager when a company's
index is below the agency's threshold or dropped fast — the cause being the episode (its first
day), so a lasting dip creates one task, and a new dip after a recovery another.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Max, Min, Prefetch, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from kabinet.clients.models import ClientCompany, Project, ProjectMember
from kabinet.core.models import Agency, Role, Visibility
from kabinet.health.models import (
    Expectation,
    Forecast,
    ItemView,
    ProjectVisit,
    UnderstandingSettings,
    UnderstandingSnapshot,
)
from kabinet.lib import kpi
from kabinet.lib import understanding as engine
from kabinet.timeline.models import DOCUMENT_KINDS, Decision, Event, Kind

WINDOW_DAYS = 90  # reports, questions and promises count over the last quarter
DOCUMENT_WINDOW_DAYS = 60  # documents published this recently should have been opened
SCHEDULE_MONTHS = 3  # reports and plans of the last three months
GRACE_BUSINESS_DAYS = 3  # a monthly report within 3 business days of the period's end is on time
HISTORY_DAYS = 90  # the chart's span


# --------------------------------------------------------------------------- settings


def settings_for(agency: Agency) -> UnderstandingSettings:
    row = UnderstandingSettings.objects.filter(agency=agency).first()
    return row or UnderstandingSettings(agency=agency)


def engine_settings(row: UnderstandingSettings, tier: str | None = None) -> engine.Settings:
    weights = dict(engine.DEFAULT_WEIGHTS)
    weights.update({k: float(v) for k, v in (row.weights or {}).items() if k in weights})
    if tier and tier in (row.tier_weights or {}):
        weights.update(
            {k: float(v) for k, v in row.tier_weights[tier].items() if k in engine.COMPONENTS}
        )
    return engine.Settings(weights=weights, cadence_days=max(1, int(row.cadence_days)))


# --------------------------------------------------------------------------- measuring


def _local(at: datetime, tz: ZoneInfo) -> date:
    return timezone.localtime(at, tz).date()


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _schedule(
    projects: list[Project], at_day: date, calendar, docs: list[dict]
) -> dict[int, tuple[int, int]]:
    """(due, on time) per project: the monthly reports of the last complete months whose grace
    has passed, and the plans of the months that have begun (due by their first business days)."""
    by_project: dict[int, list[dict]] = defaultdict(list)
    for row in docs:
        by_project[row["project_id"]].append(row)
    out: dict[int, tuple[int, int]] = {}
    this_month = _month_start(at_day)
    for project in projects:
        due = on_time = 0
        rows = by_project.get(project.pk, [])
        for back in range(1, SCHEDULE_MONTHS + 1):
            start = kpi.add_months(this_month, -back)
            end = kpi.add_months(start, 1) - timedelta(days=1)
            deadline = calendar.add_business_days(end, GRACE_BUSINESS_DAYS)
            if start < project.start_date or deadline >= at_day:
                continue
            due += 1
            on_time += any(
                r["kind"] == Kind.REPORT
                and r["period_start"] <= end
                and r["period_end"] >= start
                and r["day"] <= deadline
                for r in rows
            )
        for back in range(0, SCHEDULE_MONTHS):
            start = kpi.add_months(this_month, -back)
            deadline = calendar.add_business_days(start, GRACE_BUSINESS_DAYS)
            if start < project.start_date or deadline >= at_day:
                continue
            end = kpi.add_months(start, 1) - timedelta(days=1)
            due += 1
            on_time += any(
                r["kind"] == Kind.PLAN
                and r["period_start"] <= end
                and r["period_end"] >= start
                and r["day"] <= deadline
                for r in rows
            )
        out[project.pk] = (due, on_time)
    return out


def measure(
    agency: Agency, at: datetime, projects: list[Project] | None = None
) -> dict[int, engine.Measurements]:
    """Every project's measurements as they stood at `at` (default: the active projects)."""
    from kabinet.lib import sla
    from kabinet.promises.models import Promise, State
    from kabinet.questions.models import AGENCY_STATUSES, Message, SlaPolicy, Thread
    from kabinet.questions.services import policy_for, sla_state

    calendar = agency.calendar()
    tz = calendar.tz
    at_day = _local(at, tz)
    if projects is None:
        projects = list(
            Project.objects.filter(
                agency=agency, status=Project.Status.ACTIVE, start_date__lte=at_day
            ).select_related("company")
        )
    ids = [p.pk for p in projects]
    if not ids:
        return {}
    window_start = at - timedelta(days=WINDOW_DAYS)
    values: dict[int, dict] = {pk: {} for pk in ids}
    client_ids = _client_ids(agency)

    # 1. The agency's last client-visible update.
    for row in (
        Event.objects.filter(
            agency=agency, project_id__in=ids, visibility=Visibility.CLIENT, occurred_at__lte=at
        )
        .exclude(author=None)
        .exclude(author_id__in=client_ids)
        .values("project_id")
        .annotate(last=Max("occurred_at"))
        .order_by()
    ):
        last_day = _local(row["last"], tz)
        values[row["project_id"]]["days_since_update"] = float(
            max(0, calendar.business_days_between(last_day, at_day))
        )

    # 2. Reports and plans on schedule.
    first_month = kpi.add_months(_month_start(at_day), -SCHEDULE_MONTHS)
    docs = [
        {**row, "day": _local(row.pop("occurred_at"), tz)}
        for row in Event.objects.filter(
            agency=agency,
            project_id__in=ids,
            kind__in=(Kind.REPORT, Kind.PLAN),
            visibility=Visibility.CLIENT,
            occurred_at__lte=at,
            period_end__gte=first_month,
        ).values("project_id", "kind", "period_start", "period_end", "occurred_at")
        if row["period_start"] and row["period_end"]
    ]
    for pk, (due, on_time) in _schedule(projects, at_day, calendar, docs).items():
        values[pk]["reports_due"] = due
        values[pk]["reports_on_time"] = on_time

    # 3. Documents published lately and opened by a client person.
    for row in (
        Event.objects.filter(
            agency=agency,
            project_id__in=ids,
            kind__in=DOCUMENT_KINDS,
            visibility=Visibility.CLIENT,
            occurred_at__lte=at,
            occurred_at__gt=at - timedelta(days=DOCUMENT_WINDOW_DAYS),
        )
        .values("project_id")
        .annotate(
            n=Count("pk", distinct=True),
            opened=Count("views__event", filter=Q(views__first_at__lte=at), distinct=True),
        )
        .order_by()
    ):
        values[row["project_id"]]["documents_published"] = row["n"]
        values[row["project_id"]]["documents_opened"] = row["opened"]

    # 4. Decisions waiting for the client, and for how long (business days, summed).
    for row in (
        Event.objects.filter(
            agency=agency,
            project_id__in=ids,
            kind=Kind.RECOMMENDATION,
            visibility=Visibility.CLIENT,
            occurred_at__lte=at,
            occurred_at__gt=at - timedelta(days=2 * WINDOW_DAYS),
        )
        .annotate(decided_at=Min("replies__occurred_at", filter=Q(replies__kind=Kind.DECISION)))
        .values("project_id", "occurred_at", "decision", "decided_at")
        .order_by()
    ):
        decided = row["decided_at"]
        pending = (decided is not None and decided > at) or (
            decided is None and row["decision"] == Decision.PENDING
        )
        if not pending:
            continue
        v = values[row["project_id"]]
        v["decisions_waiting"] = v.get("decisions_waiting", 0) + 1
        waited = calendar.business_days_between(_local(row["occurred_at"], tz), at_day)
        v["decision_days"] = v.get("decision_days", 0.0) + float(max(0, waited))

    # 5. Questions: open now, answers within the SLA, reopened, ratings (as of `at`).
    policies = {p.tier: p for p in SlaPolicy.objects.filter(agency=agency)}
    by_pk = {p.pk: p for p in projects}
    threads = (
        Thread.objects.filter(agency=agency, project_id__in=ids, created_at__lte=at)
        .filter(Q(created_at__gte=window_start) | Q(status__in=AGENCY_STATUSES))
        .prefetch_related(Prefetch("messages", queryset=Message.objects.filter(agency=agency)))
    )
    for thread in threads:
        thread.project = by_pk[thread.project_id]
        messages = [m for m in thread.messages.all() if m.created_at <= at]
        result = sla_state(
            thread=thread,
            now=at,
            calendar=calendar,
            policy=policy_for(project=thread.project, policies=policies),
            messages=messages,
        )
        v = values[thread.project_id]
        if result.status in AGENCY_STATUSES:
            v["questions_open"] = v.get("questions_open", 0) + 1
        if thread.created_at < window_start:
            continue
        for clock in result.clocks:
            if clock.target == sla.Target.RESOLUTION or clock.stopped_at is None:
                continue
            v["responses"] = v.get("responses", 0) + 1
            v["responses_within_sla"] = v.get("responses_within_sla", 0) + (
                clock.state == sla.State.MET
            )
        first = result.current(sla.Target.FIRST_RESPONSE)
        if first is not None and first.stopped_at is not None:
            v["questions_answered"] = v.get("questions_answered", 0) + 1
            v["questions_reopened"] = v.get("questions_reopened", 0) + (result.reopens > 0)
        if thread.rating and thread.resolved_at and thread.resolved_at <= at:
            v["ratings_count"] = v.get("ratings_count", 0) + 1
            v["ratings_sum"] = v.get("ratings_sum", 0.0) + float(thread.rating)

    # 6. Promises that came due in the window: broken or moved.
    for row in (
        Promise.objects.filter(
            agency=agency,
            project_id__in=ids,
            original_due_at__gt=window_start,
            original_due_at__lte=at,
            created_at__lte=at,
        )
        .annotate(
            moves=Count("renegotiations", filter=Q(renegotiations__created_at__lte=at)),
        )
        .values("project_id", "state", "broken_at", "moves")
        .order_by()
    ):
        v = values[row["project_id"]]
        v["promises_due"] = v.get("promises_due", 0) + 1
        broken = row["state"] == State.BROKEN and (
            row["broken_at"] is None or row["broken_at"] <= at
        )
        v["promises_broken_or_moved"] = v.get("promises_broken_or_moved", 0) + (
            broken or row["moves"] > 0
        )

    # 7. When a client person last looked: an item opened, or the project's home visited.
    seen: dict[int, datetime] = {}
    for row in (
        ItemView.objects.filter(agency=agency, project_id__in=ids, first_at__lte=at)
        .values("project_id")
        .annotate(last=Max("first_at"))
        .order_by()
    ):
        seen[row["project_id"]] = row["last"]
    for project_id, last_at, previous_at in ProjectVisit.objects.filter(
        agency=agency, project_id__in=ids, user_id__in=client_ids
    ).values_list("project_id", "last_at", "previous_at"):
        when = last_at if last_at <= at else previous_at
        if when is not None and when <= at and (project_id not in seen or when > seen[project_id]):
            seen[project_id] = when
    for project_id, when in seen.items():
        values[project_id]["days_since_client_seen"] = float(
            max(0, calendar.business_days_between(_local(when, tz), at_day))
        )

    # 8. How many client people hold an account (none: "opened" and "logins" are not measured).
    from kabinet.core.models import Membership

    accounts = dict(
        Membership.objects.filter(
            agency=agency, role=Role.CLIENT, company_id__in={p.company_id for p in projects}
        )
        .values("company_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("company_id", "n")
    )
    for project in projects:
        values[project.pk]["client_accounts"] = accounts.get(project.company_id, 0)

    # 9. The expectation gap: KPIs whose client expectation lies outside our forecast.
    expectations: dict[int, Expectation] = {}
    for e in (
        Expectation.objects.filter(agency=agency, project_id__in=ids, created_at__lte=at)
        .select_related("metric")
        .order_by("-created_at", "-pk")
    ):
        expectations.setdefault(e.metric_id, e)
    forecasts: dict[int, Forecast] = {}
    for f in Forecast.objects.filter(
        agency=agency, project_id__in=ids, created_at__lte=at
    ).order_by("-created_at", "-pk"):
        forecasts.setdefault(f.metric_id, f)
    for metric_id, e in expectations.items():
        f = forecasts.get(metric_id)
        if f is None:
            continue
        check = kpi.check_expectation(
            float(e.target), float(f.low), float(f.high), higher_is_better=e.metric.higher_is_better
        )
        if check.outside:  # expecting more than our best forecast ("talk now") counts double
            v = values[e.project_id]
            v["expectation_gaps"] = v.get("expectation_gaps", 0) + (2 if check.talk_now else 1)

    return {pk: engine.Measurements(**v) for pk, v in values.items()}


def _client_ids(agency: Agency):
    from kabinet.core.models import Membership

    return Membership.objects.filter(agency=agency, role=Role.CLIENT).values("user_id")


# --------------------------------------------------------------------------- snapshots


@dataclass
class Scored:
    company: ClientCompany
    project: Project | None
    measurements: engine.Measurements
    score: engine.Score


def score_all(
    agency: Agency, at: datetime, projects: list[Project] | None = None
) -> tuple[list[Scored], list[Scored]]:
    """(projects, companies) scored as of `at` with the agency's (and tier's) weights."""
    row = settings_for(agency)
    measured = measure(agency, at, projects)
    if projects is None:
        projects = list(
            Project.objects.filter(agency=agency, pk__in=list(measured)).select_related("company")
        )
    by_company: dict[int, list[Project]] = defaultdict(list)
    project_rows = []
    for project in projects:
        if project.pk not in measured:
            continue
        by_company[project.company_id].append(project)
        s = engine_settings(row, project.company.tier)
        m = measured[project.pk]
        project_rows.append(Scored(project.company, project, m, engine.score(m, s)))
    company_rows = []
    for members in by_company.values():
        company = members[0].company
        m = engine.merge(measured[p.pk] for p in members)
        company_rows.append(
            Scored(company, None, m, engine.score(m, engine_settings(row, company.tier)))
        )
    return project_rows, company_rows


def managers_of(agency: Agency, company_ids) -> dict[int, int]:
    """Each company's account manager (user id): the one on its first project (by creation).
    One query; a company without an account manager is left out."""
    out: dict[int, int] = {}
    for company_id, user_id in (
        ProjectMember.objects.filter(
            agency=agency,
            project__company_id__in=list(company_ids),
            role=ProjectMember.ProjectRole.ACCOUNT_MANAGER,
        )
        .order_by("project_id", "pk")
        .values_list("project__company_id", "user_id")
    ):
        out.setdefault(company_id, user_id)
    return out


def store_managers(agency: Agency, company_ids) -> None:
    """Write the companies' account managers onto their rows of the agency's latest snapshot day
    (a project team changed): the head's page groups its clients by the stored manager."""
    company_ids = list(company_ids)
    latest = (
        UnderstandingSnapshot.objects.filter(agency=agency, project=None)
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )
    if latest is None or not company_ids:
        return
    managers = managers_of(agency, company_ids)
    by_manager: dict[int | None, list[int]] = defaultdict(list)
    for company_id in company_ids:
        by_manager[managers.get(company_id)].append(company_id)
    for manager_id, ids in by_manager.items():
        UnderstandingSnapshot.objects.filter(
            agency=agency, project=None, day=latest, company_id__in=ids
        ).update(manager_id=manager_id)


def work_at_risk(agency: Agency, now: datetime) -> dict[int, int]:
    """Each company's work at risk: its open tasks overdue at `now` or forecast late by the
    agency's stored plan. One GROUP BY; companies with none are left out."""
    from kabinet.planning.models import TaskForecast
    from kabinet.work.models import Task

    late = TaskForecast.objects.filter(agency=agency, late_hours__gt=0).values("task_id")
    return dict(
        Task.objects.filter(agency=agency, status__in=Task.OPEN_STATUSES)
        .filter(Q(due_at__lt=now) | Q(pk__in=late))
        .values("project__company_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("project__company_id", "n")
    )


def store_work_at_risk(agency: Agency, now: datetime | None = None, *, day: date | None = None):
    """Count each company's work at risk and write it onto its row of the agency's latest
    snapshot day (the daily job, and every plan run: the head's page reads it). One UPDATE per
    distinct count, so a handful whatever the number of companies. With `day`, only when that
    day is the latest (a day of history stored later keeps what it had)."""
    now = now or timezone.now()
    latest = (
        UnderstandingSnapshot.objects.filter(agency=agency, project=None)
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )
    if latest is None or (day is not None and day != latest):
        return
    by_count: dict[int, list[int]] = defaultdict(list)
    for company_id, n in work_at_risk(agency, now).items():
        by_count[n].append(company_id)
    rows = UnderstandingSnapshot.objects.filter(agency=agency, project=None, day=latest)
    with transaction.atomic():
        rows.update(at_risk=0, at_risk_at=now)
        for n, ids in by_count.items():
            rows.filter(company_id__in=ids).update(at_risk=n)


def _snapshot(
    agency: Agency, day: date, row: Scored, now: datetime, manager_id: int | None = None
) -> UnderstandingSnapshot:
    return UnderstandingSnapshot(
        agency=agency,
        company=row.company,
        project=row.project,
        day=day,
        index=Decimal(str(round(row.score.index, 2))),
        components=row.score.as_dict()["components"],
        measurements=row.measurements.as_dict(),
        computed_at=now,
        manager_id=manager_id,
    )


def take_snapshots(agency: Agency, now: datetime | None = None, *, alarms: bool = True) -> int:
    """Store the day's index of every active project and client company (replacing the day's
    rows if the job runs again), then raise the alarms. Returns the number of rows stored."""
    now = now or timezone.now()
    day = _local(now, agency.calendar().tz)
    projects, companies = score_all(agency, now)
    managers = managers_of(agency, [r.company.pk for r in companies])
    rows = [_snapshot(agency, day, r, now) for r in projects] + [
        _snapshot(agency, day, r, now, managers.get(r.company.pk)) for r in companies
    ]
    with transaction.atomic():
        UnderstandingSnapshot.objects.filter(agency=agency, day=day).delete()
        UnderstandingSnapshot.objects.bulk_create(rows)
        store_work_at_risk(agency, now, day=day)
        found = store_alarms(agency, day)
    if alarms:
        raise_alarms(agency, now, found)
    return len(rows)


def take_all_snapshots(now: datetime | None = None) -> int:
    return sum(take_snapshots(agency, now) for agency in Agency.objects.all())


# --------------------------------------------------------------------------- alarms


@dataclass
class Alarm:
    company: ClientCompany
    index: float
    since: date  # the first day of the episode: the cause
    low: bool  # below the threshold
    drop: float | None  # points lost over the drop window (when it is the cause)
    moved: list[dict] = field(default_factory=list)  # components that moved, the most first
    component: str | None = None  # a single component's fall (when it is the cause)
    history: list[tuple[date, float]] = field(default_factory=list)

    @property
    def kind(self) -> str:
        if self.low:
            return "low"
        return "drop" if self.drop is not None else "component"


def _points(component: dict) -> float:
    """What a component weighs in today's index: 10 x its weight / the weights with data."""
    return float(component.get("contribution") or 0.0) + float(component.get("lost") or 0.0)


def _moved(now: dict, before: dict | None) -> list[dict]:
    """Components that cost the most points: against `before` (the change of their score, in
    today's points, so that a component gaining or losing data does not blur the others), or
    against a perfect score."""
    out = []
    for key in engine.COMPONENTS:
        c = now.get(key) or {}
        if c.get("score") is None:
            continue
        if before is not None:
            b = before.get(key) or {}
            if b.get("score") is None:
                continue
            delta = _points(c) * (float(c["score"]) - float(b["score"]))
        else:
            delta = -float(c.get("lost") or 0.0)
        if delta < -0.05:
            out.append({"key": key, "delta": round(delta, 2), "value": c.get("value")})
    return sorted(out, key=lambda d: d["delta"])[:4]


def _collapsed(now: dict, before: dict | None, points: float) -> str | None:
    """The component whose own fall cost at least `points` since `before` (the largest)."""
    moved = _moved(now, before) if before is not None else []
    if moved and -moved[0]["delta"] >= points:
        return moved[0]["key"]
    return None


def _episode_start(snaps: list[UnderstandingSnapshot], condition) -> date:
    """The first day of the run of days, ending with the last, on which the condition held."""
    start = snaps[-1].day
    for s in reversed(snaps):
        if not condition(s):
            break
        start = s.day
    return start


def find_alarms(
    series: dict[int, list], day: date, *, threshold: float, drop_points: float, drop_days: int
) -> list[Alarm]:
    """The alarms of the companies whose day-ordered company snapshots (anything with `day`,
    `index`, `components` and `company`) end on `day`: below the threshold, dropped fast, or one
    component fell fast — with the episode's first day and the components that moved."""
    out = []
    for snaps in series.values():
        last = snaps[-1]
        if last.day != day:
            continue
        by_day = {s.day: s for s in snaps}
        span = timedelta(days=drop_days)

        def dropped(s, by_day=by_day, span=span) -> float | None:
            ref = by_day.get(s.day - span)
            if ref is None:
                return None
            fall = float(ref.index) - float(s.index)
            return fall if fall >= drop_points else None

        low = float(last.index) < threshold
        fall = dropped(last)
        ref = by_day.get(last.day - span)
        ref_components = ref.components if ref else None

        def collapsed(s, by_day=by_day, span=span) -> str | None:
            r = by_day.get(s.day - span)
            return _collapsed(s.components, r.components if r else None, drop_points / 2)

        component = None if (low or fall is not None) else collapsed(last)
        if not low and fall is None and component is None:
            continue
        if low:
            since = _episode_start(snaps, lambda s: float(s.index) < threshold)
            moved = _moved(last.components, None)
        elif fall is not None:
            since = _episode_start(snaps, lambda s: dropped(s) is not None)
            moved = _moved(last.components, ref_components)
        else:
            since = _episode_start(snaps, lambda s, key=component: collapsed(s) == key)
            moved = _moved(last.components, ref_components)
        out.append(
            Alarm(
                company=last.company,
                index=float(last.index),
                since=since,
                low=low,
                drop=round(fall, 2) if fall is not None else None,
                moved=moved,
                component=component,
                history=[(s.day, float(s.index)) for s in snaps],
            )
        )
    return sorted(out, key=lambda a: a.index)


def alarms(agency: Agency, day: date, company_ids: list[int] | None = None) -> list[Alarm]:
    """Client companies whose latest index (on `day`) is below the threshold or dropped fast, with
    the episode's first day and the components that moved. Two queries whatever the number."""
    row = settings_for(agency)
    qs = UnderstandingSnapshot.objects.filter(
        agency=agency, project=None, day__gt=day - timedelta(days=HISTORY_DAYS), day__lte=day
    ).select_related("company")
    if company_ids is not None:
        qs = qs.filter(company_id__in=company_ids)
    series: dict[int, list[UnderstandingSnapshot]] = defaultdict(list)
    for snap in qs.order_by("day"):
        series[snap.company_id].append(snap)
    return find_alarms(
        series,
        day,
        threshold=float(row.threshold),
        drop_points=float(row.drop_points),
        drop_days=int(row.drop_days),
    )


def alarm_as_stored(alarm: Alarm) -> dict:
    """What a company's snapshot keeps of its alarm (the pages read it, never recompute it)."""
    return {
        "kind": alarm.kind,
        "since": alarm.since.isoformat(),
        "drop": alarm.drop,
        "component": alarm.component,
        "moved": alarm.moved,
    }


def store_alarms(agency: Agency, day: date, found: list[Alarm] | None = None) -> list[Alarm]:
    """Write the day's alarms onto the companies' snapshots of that day (`attention` and
    `alarm`), clearing those that no longer hold: the head's page and the managers' "needs
    attention" list read them, a page of rows at a time. Returns the alarms."""
    if found is None:
        found = alarms(agency, day)
    with transaction.atomic():
        UnderstandingSnapshot.objects.filter(
            agency=agency, project=None, day=day, attention=True
        ).update(attention=False, alarm=None)
        for alarm in found:
            UnderstandingSnapshot.objects.filter(
                agency=agency, project=None, day=day, company=alarm.company
            ).update(attention=True, alarm=alarm_as_stored(alarm))
    return found


def refresh_latest_alarms(agency: Agency) -> int:
    """Recompute the stored alarms of the agency's latest snapshot day (the head changed the
    threshold or the drop rule). Returns the number of companies that need attention."""
    latest = (
        UnderstandingSnapshot.objects.filter(agency=agency, project=None)
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )
    if latest is None:
        return 0
    return len(store_alarms(agency, latest))


def component_label(key: str) -> str:
    return str(COMPONENT_LABELS[key])


def raise_alarms(agency: Agency, now: datetime, found: list[Alarm] | None = None) -> int:
    """A task for the account manager of each alarmed client, once per cause (the episode)."""
    from django.core.exceptions import ValidationError

    from kabinet.api import webhooks
    from kabinet.work.services import TaskSpec, create_system_tasks, create_task_once

    calendar = agency.calendar()
    day = _local(now, calendar.tz)
    if found is None:
        found = alarms(agency, day)
    if not found:
        return 0
    company_ids = [a.company.pk for a in found]
    # The project to hang the task on: the company's lowest-scored active project today.
    lowest: dict[int, UnderstandingSnapshot] = {}
    for snap in (
        UnderstandingSnapshot.objects.filter(
            agency=agency, day=day, company_id__in=company_ids, project__isnull=False
        )
        .select_related("project")
        .order_by("index")
    ):
        lowest.setdefault(snap.company_id, snap)
    managers: dict[int, object] = {}
    for member in ProjectMember.objects.filter(
        agency=agency,
        project_id__in=[s.project_id for s in lowest.values()],
        role=ProjectMember.ProjectRole.ACCOUNT_MANAGER,
    ).select_related("user"):
        managers[member.project_id] = member.user
    made: list[tuple[Alarm, str, TaskSpec]] = []
    for alarm in found:
        snap = lowest.get(alarm.company.pk)
        if snap is None:
            continue
        project = snap.project
        manager = managers.get(project.pk)
        with translation.override(getattr(manager, "language", None) or "ru"):
            why = ", ".join(f"{component_label(m['key'])} ({m['delta']:+.1f})" for m in alarm.moved)
            if alarm.kind == "component":
                title = _("Understanding: %(what)s — %(company)s") % {
                    "what": component_label(alarm.component),
                    "company": alarm.company,
                }
                body = _(
                    "One component of the client's understanding index fell fast since %(day)s "
                    "(the index is %(index).1f). What moved: %(why)s."
                ) % {
                    "index": alarm.index,
                    "day": formats.date_format(alarm.since, "SHORT_DATE_FORMAT"),
                    "why": why,
                }
            elif alarm.kind == "drop":
                title = _("Understanding dropped: %(company)s") % {"company": alarm.company}
                body = _(
                    "The client's understanding index fell by %(drop).1f points to %(index).1f "
                    "since %(day)s. What moved: %(why)s."
                ) % {
                    "drop": alarm.drop,
                    "index": alarm.index,
                    "day": formats.date_format(alarm.since, "SHORT_DATE_FORMAT"),
                    "why": why,
                }
            else:
                title = _("Client in an information vacuum: %(company)s") % {
                    "company": alarm.company
                }
                body = _(
                    "The client's understanding index is %(index).1f since %(day)s. "
                    "What pulls it down: %(why)s."
                ) % {
                    "index": alarm.index,
                    "day": formats.date_format(alarm.since, "SHORT_DATE_FORMAT"),
                    "why": why,
                }
        cause = (
            f"understanding:{alarm.kind}:{alarm.component or ''}:"
            f"{alarm.company.pk}:{alarm.since.isoformat()}"
        )
        spec = TaskSpec(
            project=project,
            title=title,
            description=body,
            assignee=manager,
            due_at=calendar.end_of_business_day(now),
            source=("understanding", alarm.company.pk),
            dedupe_key=cause,
        )
        made.append((alarm, cause, spec))
    specs = [spec for _a, _c, spec in made]
    try:
        results = create_system_tasks(agency=agency, specs=specs)
    except ValidationError:  # one is not valid: one at a time, the others are still made
        results = [create_task_once(viewer=None, **spec.arguments()) for spec in specs]
    created = 0
    for (alarm, cause, _spec), (_task, new) in zip(made, results, strict=True):
        if new:  # the agency's webhook endpoints hear of it once per cause, like the manager
            webhooks.index_dropped(
                agency_id=agency.pk, company=alarm.company, alarm=alarm, dedupe_key=cause, now=now
            )
        created += new
    return created


# The names of the components, as the pages show them.
def _labels() -> dict[str, str]:
    from django.utils.translation import gettext_lazy

    return {
        "silence": gettext_lazy("Days since our last update"),
        "schedule": gettext_lazy("Reports and plans on schedule"),
        "opened": gettext_lazy("Documents the client opened"),
        "decisions": gettext_lazy("Decisions waiting (days)"),
        "open_questions": gettext_lazy("Open questions"),
        "sla": gettext_lazy("Answers within the SLA"),
        "reopened": gettext_lazy("Questions reopened"),
        "rating": gettext_lazy("Rating of answers"),
        "promises": gettext_lazy("Promises broken or moved"),
        "logins": gettext_lazy("Days since the client looked"),
        "expectation": gettext_lazy("KPIs expected beyond our forecast"),
    }


COMPONENT_LABELS = _labels()


def day_bounds(day: date, tz: ZoneInfo) -> datetime:
    """The end of a local day: "as of" that day."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=tz)


def latest_project_indices(
    agency: Agency, project_ids, *, max_age_days: int = 7
) -> dict[int, float]:
    """Each project's latest stored index (not older than `max_age_days`); one query. The
    planner's client-health factor reads it; a project with no recent snapshot is unknown."""
    since = timezone.localdate() - timedelta(days=max_age_days)
    out: dict[int, float] = {}
    for project_id, index in (
        UnderstandingSnapshot.objects.filter(
            agency=agency, project_id__in=list(project_ids), day__gte=since
        )
        .order_by("project_id", "-day")
        .values_list("project_id", "index")
    ):
        out.setdefault(project_id, float(index))
    return out
