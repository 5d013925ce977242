"""Every write of the health app: metrics, their points, expectations, forecasts, plan items.

Points are written by one function, `write_points`, whoever the writer is (a person, an import,
the API, a connector's periodic pull): an upsert by (metric, date), so writing the same days twice
changes nothing. `record_points` is its permission-checked form for a viewer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kabinet.clients.models import Project, ProjectMember
from kabinet.core import concurrency, scoping
from kabinet.core.models import User
from kabinet.core.scoping import Viewer, require_staff
from kabinet.core.services import audit
from kabinet.health.models import (
    Aggregation,
    Connection,
    Direction,
    Expectation,
    Forecast,
    Metric,
    Period,
    PlanItem,
    Point,
    ProjectVisit,
    Source,
    StoredFlag,
    Visibility,
)
from kabinet.timeline.models import Event, Kind

MAX_POINTS_PER_CALL = 20_000
MAX_ABS_VALUE = Decimal("1e13")


@dataclass(frozen=True)
class PointIn:
    """One value to record: the metric by its key (stable across imports, API and connectors)."""

    metric_key: str
    date: date
    value: Decimal


@dataclass
class WriteResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    metrics: set[str] = field(default_factory=set)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def require_project_staff(*, viewer: Viewer, project: Project) -> None:
    """Staff on the project (the scoped lookup that produced `project` already proved access)."""
    require_staff(viewer)
    if project.agency_id != viewer.agency.pk:
        raise PermissionDenied


def clean_value(*, raw: object) -> Decimal:
    """A finite number within the range the database keeps; ValidationError otherwise."""
    try:
        value = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(
            _("“%(value)s” is not a number.") % {"value": raw}, code="number"
        ) from exc
    if not value.is_finite() or abs(value) >= MAX_ABS_VALUE:
        raise ValidationError(
            _("“%(value)s” is not a number Kabinet can keep.") % {"value": raw}, code="range"
        )
    return value.quantize(Decimal("0.0001"))


def write_points(
    *,
    project: Project,
    points: Iterable[PointIn],
    source: str,
    actor: User | None = None,
    batch=None,
) -> WriteResult:
    """Upsert points by (metric, date). Unknown metric keys are refused as a whole (nothing written).

    Used by services below and by source connectors (which have no viewer: they act for the agency).
    """
    rows = list(points)
    if len(rows) > MAX_POINTS_PER_CALL:
        raise ValidationError(
            _("At most %(limit)s values at once; split the data.") % {"limit": MAX_POINTS_PER_CALL},
            code="too_many",
        )
    metrics = {m.key: m for m in Metric.objects.filter(project=project)}
    unknown = sorted({r.metric_key for r in rows} - metrics.keys())
    if unknown:
        raise ValidationError(
            _("Unknown KPI: %(keys)s. Add it to the project first.") % {"keys": ", ".join(unknown)},
            code="metric",
        )
    latest: dict[tuple[int, date], Decimal] = {}
    for row in rows:  # the last value given for a day wins, as a second call would
        latest[(metrics[row.metric_key].pk, row.date)] = clean_value(raw=row.value)
    result = WriteResult(metrics={r.metric_key for r in rows})
    if not latest:
        return result
    with transaction.atomic():
        existing = {
            (p.metric_id, p.date): p.value
            for p in Point.objects.filter(
                metric_id__in={k[0] for k in latest}, date__in={k[1] for k in latest}
            ).only("metric_id", "date", "value")
        }
        now = timezone.now()
        to_write = []
        for (metric_id, day), value in latest.items():
            old = existing.get((metric_id, day))
            if old is None:
                result.created += 1
            elif old == value:
                result.unchanged += 1
                continue
            else:
                result.updated += 1
            to_write.append(
                Point(
                    agency_id=project.agency_id,
                    metric_id=metric_id,
                    date=day,
                    value=value,
                    source=source,
                    recorded_by=actor,
                    batch=batch,
                    recorded_at=now,
                )
            )
        if to_write:
            # Safe against a concurrent writer of the same day too: the unique key decides.
            Point.objects.bulk_create(
                to_write,
                batch_size=1000,
                update_conflicts=True,
                unique_fields=["metric", "date"],
                update_fields=["value", "source", "recorded_by", "batch", "recorded_at"],
            )
            changed = {point.metric_id for point in to_write}
            Metric.objects.filter(pk__in=changed).update(
                points_version=models.F("points_version") + 1
            )
    return result


def record_points(
    *,
    viewer: Viewer,
    project: Project,
    points: Iterable[PointIn],
    source: str = Source.MANUAL,
    batch=None,
) -> WriteResult:
    """Staff record values (by hand, a file, the API)."""
    require_project_staff(viewer=viewer, project=project)
    result = write_points(
        project=project, points=points, source=source, actor=viewer.user, batch=batch
    )
    if result.created or result.updated:
        audit(
            agency=viewer.agency,
            actor=viewer.user,
            verb="kpi_points_recorded",
            obj=project,
            source=source,
            created=result.created,
            updated=result.updated,
        )
    return result


@transaction.atomic
def create_metric(
    *,
    viewer: Viewer,
    project: Project,
    key: str,
    name: str,
    unit: str = "",
    direction: str = Direction.HIGHER,
    period: str = Period.DAY,
    aggregation: str = Aggregation.SUM,
    decimals: int = 0,
    visibility: str = Visibility.CLIENT,
    source: str = "",
) -> Metric:
    require_project_staff(viewer=viewer, project=project)
    key = key.strip().lower()
    if Metric.objects.filter(project=project, key=key).exists():
        raise ValidationError({"key": _("This project already has a KPI with this key.")})
    metric = Metric(
        agency_id=project.agency_id,
        project=project,
        key=key,
        name=name.strip(),
        unit=unit.strip(),
        direction=direction,
        period=period,
        aggregation=aggregation,
        decimals=decimals,
        visibility=visibility,
        source=source,
        position=Metric.objects.filter(project=project).count(),
    )
    metric.full_clean()
    metric.save()
    audit(agency=viewer.agency, actor=viewer.user, verb="kpi_created", obj=metric, key=key)
    return metric


def _figure(metric: Metric, value: Decimal) -> str:
    text = formats.number_format(
        value, decimal_pos=metric.decimals, use_l10n=True, force_grouping=True
    )
    return f"{text} {metric.unit}".strip()


def _make_current(metric: Metric, **target) -> None:
    """The new expectation or forecast is the metric's current one (the pages read it from
    there); the row before it stays as history."""
    Metric.objects.filter(agency_id=metric.agency_id, pk=metric.pk).update(**target)
    for name, value in target.items():
        setattr(metric, name, value)


@transaction.atomic
def set_expectation(
    *, viewer: Viewer, metric: Metric, target: Decimal, by_date: date, note: str = ""
) -> Expectation:
    """Record the client's expectation (staff write it down; the client may state it herself).

    A revision is a new row: the history stays, the latest is current. It goes into the chronology.
    """
    project = metric.project
    if project.agency_id != viewer.agency.pk or (
        viewer.is_client and viewer.company_id != project.company_id
    ):
        raise PermissionDenied
    if viewer.is_client and metric.visibility != Visibility.CLIENT:
        raise PermissionDenied
    expectation = Expectation.objects.create(
        agency_id=project.agency_id,
        project=project,
        metric=metric,
        target=clean_value(raw=target),
        by_date=by_date,
        note=note.strip(),
        recorded_by=viewer.user,
    )
    _make_current(metric, current_expectation=expectation)
    from kabinet.timeline.services import record_event

    record_event(
        project=project,
        kind=Kind.KPI,
        title=_("Client's expectation: %(metric)s — %(target)s by %(date)s")
        % {
            "metric": metric.name,
            "target": _figure(metric, expectation.target),
            "date": formats.date_format(by_date),
        },
        body=expectation.note,
        author=viewer.user,
        source=expectation,
    )
    audit(
        agency=viewer.agency,
        actor=viewer.user,
        verb="expectation_set",
        obj=expectation,
        target=str(expectation.target),
    )
    _refresh_flags_on_commit(project)
    return expectation


@transaction.atomic
def set_forecast(
    *, viewer: Viewer, metric: Metric, low: Decimal, high: Decimal, by_date: date, note: str = ""
) -> Forecast:
    """Record the agency's forecast (a realistic range); shown to the client, in the chronology."""
    project = metric.project
    require_project_staff(viewer=viewer, project=project)
    low, high = clean_value(raw=low), clean_value(raw=high)
    if low > high:
        raise ValidationError({"high": _("The upper end of the range is below the lower end.")})
    forecast = Forecast.objects.create(
        agency_id=project.agency_id,
        project=project,
        metric=metric,
        low=low,
        high=high,
        by_date=by_date,
        note=note.strip(),
        recorded_by=viewer.user,
    )
    _make_current(metric, current_forecast=forecast)
    from kabinet.timeline.services import record_event

    record_event(
        project=project,
        kind=Kind.KPI,
        title=_("Our forecast: %(metric)s — %(low)s to %(high)s by %(date)s")
        % {
            "metric": metric.name,
            "low": _figure(metric, low),
            "high": _figure(metric, high),
            "date": formats.date_format(by_date),
        },
        body=forecast.note,
        author=viewer.user,
        visibility=metric.visibility,
        source=forecast,
    )
    audit(
        agency=viewer.agency,
        actor=viewer.user,
        verb="forecast_set",
        obj=forecast,
        low=str(low),
        high=str(high),
    )
    _refresh_flags_on_commit(project)
    return forecast


def _refresh_flags_on_commit(project: Project) -> None:
    """A new expectation or forecast is a new cause: the project's flags are stored again at once
    (the daily job does the rest), so the manager hears of "talk now" the day it is said."""
    transaction.on_commit(lambda: store_flags(project_ids=[project.pk], agency=project.agency))


@transaction.atomic
def add_plan_item(*, viewer: Viewer, plan: Event, title: str, task=None) -> PlanItem:
    """A line of a published plan, optionally linked to the task that carries it."""
    require_project_staff(viewer=viewer, project=plan.project)
    if plan.kind != Kind.PLAN:
        raise ValidationError({"plan": _("Plan items belong to a plan.")})
    if not title.strip():
        raise ValidationError({"title": _("Write what is planned.")})
    if task is not None and task.project_id != plan.project_id:
        raise ValidationError({"task": _("The task belongs to another project.")})
    item = PlanItem.objects.create(
        agency_id=plan.agency_id,
        project_id=plan.project_id,
        plan=plan,
        title=title.strip()[:300],
        task=task,
        position=PlanItem.objects.filter(plan=plan).count(),
    )
    audit(agency=viewer.agency, actor=viewer.user, verb="plan_item_added", obj=item, plan=plan.pk)
    return item


SITTING_MINUTES = 30


def note_visit(*, viewer: Viewer, project: Project, now=None) -> ProjectVisit:
    """Remember that the viewer opened the project's home. A visit that follows the last one within
    half an hour is the same sitting, so "new since your last visit" does not go blank on reload."""
    now = now or timezone.now()
    visit, created = ProjectVisit.objects.get_or_create(
        project=project, user=viewer.user, defaults={"agency": viewer.agency, "last_at": now}
    )
    if not created:
        if (now - visit.last_at).total_seconds() > SITTING_MINUTES * 60:
            visit.previous_at = visit.last_at
        visit.last_at = now
        ProjectVisit.objects.filter(pk=visit.pk).update(previous_at=visit.previous_at, last_at=now)
    return visit


# --------------------------------------------------------------------------- source connections

SYNC_DAYS = 7  # every pull reads the last week again: the sources correct late data for days
SYNC_EVERY = timedelta(hours=6)
# After the n-th failure in a row the next attempt waits BACKOFF[n - 1] (the last one after that).
BACKOFF = (
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
    timedelta(hours=12),
    timedelta(hours=24),
)


def _clean_mapping(project: Project, mapping: dict[str, str]) -> dict[str, str]:
    keys = set(Metric.objects.filter(project=project).values_list("key", flat=True))
    out = {}
    for key, raw in mapping.items():
        raw = (raw or "").strip()
        if not raw:
            continue
        if key not in keys:
            raise ValidationError(
                {
                    "mapping": _("Unknown KPI: %(keys)s. Add it to the project first.")
                    % {"keys": key}
                }
            )
        out[key] = raw[:300]
    return out


@transaction.atomic
def save_connection(
    *,
    viewer: Viewer,
    project: Project,
    kind: str,
    account: str,
    mapping: dict[str, str],
    token: str = "",
    manager_account: str = "",
    connection: Connection | None = None,
) -> Connection:
    """Add or change a project's connection to a source (the head only).

    The token is encrypted before it is stored and never returned; leaving it empty on a change
    keeps the stored one. A new token clears "needs a new token" and the back-off.
    """
    from kabinet.health import crypto

    scoping.require_head(viewer)
    scoping.require_project(viewer, project)
    if connection is not None and connection.project_id != project.pk:
        raise PermissionDenied
    if kind not in Connection.Kind.values:
        raise ValidationError({"kind": _("Choose one of the sources.")})
    account = account.strip()
    if not account:
        raise ValidationError({"account": _("Enter the account, counter or property ID.")})
    token = token.strip()
    if connection is None and not token:
        raise ValidationError({"token": _("Enter the access token.")})
    clean = _clean_mapping(project, mapping)
    if not clean:
        raise ValidationError({"mapping": _("Map at least one KPI to a field of the source.")})
    other = Connection.objects.filter(project=project, kind=kind)
    if connection is not None:
        other = other.exclude(pk=connection.pk)
    if other.exists():
        raise ValidationError({"kind": _("This project is already connected to this source.")})
    created = connection is None
    if created:
        connection = Connection(
            agency_id=project.agency_id, project=project, created_by=viewer.user
        )
    previous = set((connection.mapping or {}).keys()) if not created else set()
    old_kind = connection.kind
    connection.kind = kind
    connection.account = account[:100]
    connection.manager_account = manager_account.strip()[:100]
    connection.mapping = clean
    if token:
        connection.token_encrypted = crypto.encrypt(token)
        connection.token_hint = token[-4:] if len(token) >= 12 else ""
        connection.token_changed_at = timezone.now()
        connection.state = Connection.State.NEW
        connection.last_error = ""
        connection.failures = 0
        connection.next_retry_at = None
    connection.save()
    # The mapped KPIs are "filled from" this source (the sources seam reads Metric.source).
    Metric.objects.filter(project=project, key__in=previous - clean.keys(), source=old_kind).update(
        source=""
    )
    Metric.objects.filter(project=project, key__in=clean.keys()).update(source=kind)
    audit(
        agency=viewer.agency,
        actor=viewer.user,
        verb="kpi_connection_added" if created else "kpi_connection_changed",
        obj=connection,
        kind=kind,
        account=connection.account,
        token_changed=bool(token),
    )
    return connection


@transaction.atomic
def remove_connection(*, viewer: Viewer, connection: Connection) -> None:
    """Remove a connection (the head only). The points it brought stay."""
    scoping.require_head(viewer)
    scoping.require_project(viewer, connection.project_id)
    Metric.objects.filter(project_id=connection.project_id, source=connection.kind).update(
        source=""
    )
    audit(
        agency=viewer.agency,
        actor=viewer.user,
        verb="kpi_connection_removed",
        obj=connection,
        kind=connection.kind,
    )
    connection.delete()


def sync_now(*, viewer: Viewer, connection: Connection, now=None) -> SyncOutcome:
    """ "Sync now" on the connections page: a pull at once, whatever the back-off says."""
    scoping.require_head(viewer)
    scoping.require_project(viewer, connection.project_id)
    return sync_connection(connection=connection, now=now)


@dataclass
class SyncOutcome:
    ok: bool
    result: WriteResult = field(default_factory=WriteResult)
    error: str = ""


def _backoff(failures: int, retry_after: int | None) -> timedelta:
    wait = BACKOFF[min(failures, len(BACKOFF)) - 1]
    if retry_after:
        wait = max(wait, timedelta(seconds=retry_after))
    return wait


def sync_connection(*, connection: Connection, now=None, days: int = SYNC_DAYS) -> SyncOutcome:
    """Pull the last `days` days of one connection and upsert them; record the state.

    Points are written only after every page was read, so an error keeps what is stored. A token
    the source refuses stops the retries and tells the heads of the agency once per token.
    """
    from zoneinfo import ZoneInfo

    from kabinet.health import connectors, sources

    now = now or timezone.now()
    project = connection.project
    end = timezone.localdate(now, ZoneInfo(project.agency.timezone))
    start = end - timedelta(days=days - 1)
    connection.last_sync_at = now
    try:
        result = sources.sync(project, connection.kind, start, end)
    except connectors.TokenInvalid as exc:
        connection.state = Connection.State.NEEDS_TOKEN
        connection.last_error = exc.message[:2000]
        connection.next_retry_at = None
        connection.failures += 1
        connection.save()
        _tell_heads_token_needed(connection)
        return SyncOutcome(ok=False, error=exc.message)
    except (connectors.RetryLater, connectors.Refused) as exc:
        connection.failures += 1
        connection.state = Connection.State.ERROR
        connection.last_error = exc.message[:2000]
        retry_after = exc.retry_after if isinstance(exc, connectors.RetryLater) else None
        failures = connection.failures if isinstance(exc, connectors.RetryLater) else len(BACKOFF)
        connection.next_retry_at = now + _backoff(failures, retry_after)
        connection.save()
        return SyncOutcome(ok=False, error=exc.message)
    except ValidationError as exc:  # a value the database cannot keep, an unknown KPI
        connection.failures += 1
        connection.state = Connection.State.ERROR
        connection.last_error = "; ".join(exc.messages)[:2000]
        connection.next_retry_at = now + BACKOFF[-1]
        connection.save()
        return SyncOutcome(ok=False, error=connection.last_error)
    connection.state = Connection.State.OK
    connection.last_error = ""
    connection.failures = 0
    connection.last_success_at = now
    connection.next_retry_at = now + SYNC_EVERY
    connection.save()
    return SyncOutcome(ok=True, result=result)


def _tell_heads_token_needed(connection: Connection) -> None:
    from django.urls import reverse
    from django.utils import translation

    from kabinet.core.models import Membership, Role
    from kabinet.core.services import notify

    project = connection.project
    heads = Membership.objects.filter(
        agency_id=connection.agency_id, role=Role.HEAD, user__is_active=True
    ).select_related("user")
    for membership in heads:
        user = membership.user
        with translation.override(user.language):
            notify(
                user=user,
                agency=project.agency,
                kind="kpi_source_token",
                title=_("%(source)s needs a new token: %(project)s")
                % {"source": connection.get_kind_display(), "project": project},
                body=_("The source refuses the stored token: %(error)s")
                % {"error": connection.last_error},
                url=reverse("health:connections", args=[project.pk]),
                dedupe_key=f"kpi_source_token:{connection.pk}:{connection.token_changed_at.isoformat()}",
                project=project,
                action=_("Enter a new token for the connection."),
            )


def due_connections(*, now=None, agency=None):
    """Active connections (of `agency`, or of every agency) whose next attempt has come (those
    waiting for a token are skipped)."""
    now = now or timezone.now()
    qs = Connection.objects.all() if agency is None else Connection.objects.filter(agency=agency)
    return (
        qs.filter(active=True)
        .exclude(state=Connection.State.NEEDS_TOKEN)
        .filter(models.Q(next_retry_at__isnull=True) | models.Q(next_retry_at__lte=now))
        .select_related("project__agency")
        .order_by("next_retry_at", "pk")
    )


# --------------------------------------------------------------------------- stored flags


@dataclass
class FlagsStored:
    raised: int = 0
    kept: int = 0
    resolved: int = 0


def _system_viewer(agency) -> Viewer:
    """The agency itself, for jobs: sees every project of the agency, acts for nobody."""
    from kabinet.core.models import Role

    return Viewer(user=None, agency=agency, role=Role.HEAD, company_id=None)


def store_flags(*, now=None, project_ids: list[int] | None = None, agency=None) -> FlagsStored:
    """Compute every project's flags (expectation outside the forecast, actuals trending below it),
    store them, and tell the project's manager (the heads when it has none) once per cause.

    A flag whose cause no longer holds is resolved; the reason of a kept flag is refreshed (the
    projection moves every day) without telling anyone again. One agency at a time (`agency`, or
    each in turn): every read names it.
    """
    from kabinet.core.models import Agency

    now = now or timezone.now()
    out = FlagsStored()
    for one in [agency] if agency is not None else Agency.objects.order_by("pk"):
        _store_agency_flags(one, now, project_ids, out)
    return out


def _store_agency_flags(agency, now, only: list[int] | None, out: FlagsStored) -> None:
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    from kabinet.core.models import Membership, Role
    from kabinet.core.services import notify
    from kabinet.health import selectors

    forecasts = Forecast.objects.filter(agency=agency)
    open_qs = StoredFlag.objects.filter(agency=agency, resolved_at__isnull=True)
    if only is not None:
        forecasts = forecasts.filter(project_id__in=only)
        open_qs = open_qs.filter(project_id__in=only)
    project_ids = set(forecasts.values_list("project_id", flat=True).distinct())
    open_flags = {(f.project_id, f.metric_id, f.kind, f.cause): f for f in open_qs}
    if not project_ids and not open_flags:
        return
    seen: set[tuple] = set()
    viewer = _system_viewer(agency)
    on = selectors.today(viewer, now)
    members = ProjectMember.objects.filter(agency=agency).select_related("user")
    for project in (
        Project.objects.filter(agency=agency, pk__in=project_ids)
        .select_related("company", "agency")
        .prefetch_related(models.Prefetch("members", queryset=members))
    ):
        found = []
        for lang, _name in settings.LANGUAGES:
            with translation.override(lang):
                found.append(
                    (
                        lang,
                        selectors.flags_from_cards(
                            project, selectors.cards(viewer, project, on=on)
                        ),
                    )
                )
        by_key: dict[tuple, dict[str, str]] = {}
        flag_of: dict[tuple, selectors.Flag] = {}
        for lang, flags in found:
            for flag in flags:
                key = (project.pk, flag.metric.pk, flag.kind, flag.cause)
                by_key.setdefault(key, {})[lang] = flag.reason
                flag_of[key] = flag
        for key, reasons in by_key.items():
            seen.add(key)
            cause = StoredFlag.objects.filter(
                agency=agency, project=project, metric_id=key[1], kind=key[2], cause=key[3]
            )
            created = False
            if not cause.update(reasons=reasons, checked_at=now, resolved_at=None):
                try:
                    with transaction.atomic():
                        stored = StoredFlag.objects.create(
                            agency=agency,
                            project=project,
                            metric_id=key[1],
                            kind=key[2],
                            cause=key[3],
                            reasons=reasons,
                            checked_at=now,
                            raised_at=now,
                        )
                    created = True
                except IntegrityError:  # stored meanwhile by another run: kept
                    cause.update(reasons=reasons, checked_at=now, resolved_at=None)
            if not created:
                out.kept += 1
                continue
            out.raised += 1
            manager = project.account_manager
            recipients = (
                [manager]
                if manager is not None
                else [
                    m.user
                    for m in Membership.objects.filter(
                        agency=agency, role=Role.HEAD, user__is_active=True
                    ).select_related("user")
                ]
            )
            metric = flag_of[key].metric
            for user in recipients:
                with translation.override(user.language):
                    notify(
                        user=user,
                        agency=agency,
                        kind="kpi_flag",
                        title=(
                            _("Talk now: %(project)s — %(metric)s")
                            if stored.kind == StoredFlag.Kind.EXPECTATION
                            else _("Behind the forecast: %(project)s — %(metric)s")
                        )
                        % {"project": project, "metric": metric.name},
                        body=stored.reason,
                        url=reverse("health:project_home", args=[project.pk]),
                        dedupe_key=f"kpi_flag:{stored.pk}",
                        project=project,
                    )
    gone = [flag.pk for key, flag in open_flags.items() if key not in seen]
    if gone:
        StoredFlag.objects.filter(agency=agency, pk__in=gone).update(resolved_at=now)
        out.resolved += len(gone)


# --------------------------------------------------------------------------- the understanding index


def record_item_view(*, viewer: Viewer, event: Event, now=None) -> bool:
    """A client person opened a client-visible chronology item: keep the first time (one insert
    that the unique row makes idempotent). Staff opening items is not what the index measures.
    Returns whether this was the person's first view."""
    from kabinet.health.models import ItemView

    if not viewer.is_client or event.visibility != Visibility.CLIENT:
        return False
    if event.agency_id != viewer.agency.pk:
        raise PermissionDenied
    try:
        with transaction.atomic():
            ItemView.objects.create(
                agency_id=event.agency_id,
                project_id=event.project_id,
                event=event,
                user=viewer.user,
                first_at=now or timezone.now(),
            )
    except IntegrityError:  # seen before: the first time stays
        return False
    return True


def describe_understanding(*, row, tier: str = "") -> dict[str, tuple[str, str]]:
    """The index settings as stored, in the fields of the settings form (the conflict panel)."""
    from kabinet.health.understanding import COMPONENT_LABELS, engine_settings

    saved = {
        f"w_{key}": (str(COMPONENT_LABELS[key]), f"{weight:g}")
        for key, weight in engine_settings(row, tier).weights.items()
        if key in COMPONENT_LABELS
    }
    saved["cadence_days"] = (_("Agreed cadence of updates, business days"), str(row.cadence_days))
    saved["threshold"] = (_("Alarm when the index is below"), str(row.threshold))
    saved["drop_points"] = (_("… or drops by at least (points)"), str(row.drop_points))
    saved["drop_days"] = (_("… within (days)"), str(row.drop_days))
    return saved


def save_understanding_settings(
    *,
    viewer: Viewer,
    cadence_days: int,
    weights: dict[str, float],
    threshold: Decimal,
    drop_points: Decimal,
    drop_days: int,
    tier: str = "",
    tier_own: bool = False,
    version: int | None = None,
):
    """The head sets the index's weights (the agency's, or one client tier's own), the agreed
    cadence and the alarm thresholds. `version` is the settings as the head saw them: saved since
    by someone else, ``EditConflict`` (kabinet.core.concurrency) and nothing is written."""
    from kabinet.clients.models import Tier
    from kabinet.core.scoping import require_head
    from kabinet.health.models import UnderstandingSettings
    from kabinet.health.understanding import refresh_latest_alarms
    from kabinet.lib import understanding as engine

    require_head(viewer)
    errors: dict[str, str] = {}
    if not (1 <= int(cadence_days) <= 60):
        errors["cadence_days"] = _("The cadence is between 1 and 60 business days.")
    clean: dict[str, float] = {}
    for key in engine.COMPONENTS:
        value = weights.get(key, engine.DEFAULT_WEIGHTS[key])
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = -1.0
        if not (0 <= number <= 100):
            errors[f"w_{key}"] = _("A weight is a number from 0 to 100.")
        clean[key] = number
    if not errors and sum(clean.values()) <= 0:
        errors["w_silence"] = _("At least one weight must be above zero.")
    if not (Decimal(0) <= Decimal(threshold) <= Decimal(10)):
        errors["threshold"] = _("The threshold is between 0 and 10.")
    if not (Decimal(0) < Decimal(drop_points) <= Decimal(10)):
        errors["drop_points"] = _("The drop is more than 0 and at most 10 points.")
    if not (1 <= int(drop_days) <= 90):
        errors["drop_days"] = _("The drop window is between 1 and 90 days.")
    if tier and tier not in Tier.values:
        errors["tier"] = _("Choose a client tier.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row, _created = UnderstandingSettings.objects.select_for_update().get_or_create(
            agency=viewer.agency
        )
        concurrency.check(row, version, saved=lambda: describe_understanding(row=row, tier=tier))
        concurrency.bump(row)
        row.cadence_days = int(cadence_days)
        row.threshold = Decimal(threshold)
        row.drop_points = Decimal(drop_points)
        row.drop_days = int(drop_days)
        if tier:
            tiers = dict(row.tier_weights or {})
            if tier_own:
                tiers[tier] = clean
            else:
                tiers.pop(tier, None)
            row.tier_weights = tiers
        else:
            row.weights = clean
        row.save()
        audit(
            agency=viewer.agency,
            actor=viewer.user,
            verb="understanding_settings_saved",
            obj=row,
            tier=tier,
        )
        # The stored alarms of the latest day follow the new threshold and drop rule at once.
        refresh_latest_alarms(viewer.agency)
    return row


def accept_proposed_weights(*, viewer: Viewer):
    """The head accepts the weights the last backtest proposed: they become the agency's."""
    from kabinet.core.errors import Conflict
    from kabinet.core.scoping import require_head
    from kabinet.health.models import UnderstandingSettings

    require_head(viewer)
    with transaction.atomic():
        row, _created = UnderstandingSettings.objects.select_for_update().get_or_create(
            agency=viewer.agency
        )
        proposal = row.proposal or {}
        if not proposal.get("weights") or proposal.get("accepted_at"):
            raise Conflict({"proposal": _("There is no proposal waiting to be accepted.")})
        row.weights = dict(proposal["weights"])
        row.proposal = {**proposal, "accepted_at": timezone.now().isoformat()}
        row.version += 1
        row.save()
        audit(
            agency=viewer.agency, actor=viewer.user, verb="understanding_weights_accepted", obj=row
        )
    return row


def mark_client_left(*, viewer: Viewer, company, left_on: date | None):
    """The head records the day a client stopped working with the agency (or clears it)."""
    from kabinet.core.scoping import require_head

    require_head(viewer)
    if company.agency_id != viewer.agency.pk:
        raise PermissionDenied
    if left_on is not None and left_on > timezone.localdate():
        raise ValidationError({"left_on": _("The day a client left cannot be in the future.")})
    company.left_on = left_on
    company.save(update_fields=["left_on"])
    audit(
        agency=viewer.agency,
        actor=viewer.user,
        verb="client_left" if left_on else "client_returned",
        obj=company,
    )
    return company
