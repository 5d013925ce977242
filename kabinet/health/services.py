"""Every write of the health app: metrics, their points, expectations, forecasts, plan items.

Points are written by one function, `write_points`, whoever the writer is (a person, an import,
the API, a connector's periodic pull): an upsert by (metric, date), so writing the same days twice
changes nothing. `record_points` is its permission-checked form for a viewer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kabinet.clients.models import Project
from kabinet.core.models import User
from kabinet.core.scoping import Viewer, require_staff
from kabinet.core.services import audit
from kabinet.health.models import (
    Aggregation,
    Direction,
    Expectation,
    Forecast,
    Metric,
    Period,
    PlanItem,
    Point,
    ProjectVisit,
    Source,
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
    return forecast


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
