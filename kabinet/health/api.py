"""KPIs over HTTP: read a project's metrics and values; staff write values in bulk.

Mounted automatically under /api/ by kabinet.api.main. Writing is idempotent by (metric, date):
posting the same values again changes nothing and says so (`unchanged`).
"""

# No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Router, Schema
from ninja.responses import Status

from kabinet.core.scoping import project_or_404
from kabinet.health import selectors, services
from kabinet.health.models import Source

router = Router(tags=["kpis"])

MAX_BULK = services.MAX_POINTS_PER_CALL


class MetricOut(Schema):
    id: int
    key: str
    name: str
    unit: str
    direction: str
    period: str
    aggregation: str


class PointOut(Schema):
    date: date
    value: float
    source: str


class PointIn(Schema):
    metric: str = Field(..., description="the KPI's key, e.g. organic_sessions")
    date: date
    value: Decimal


class BulkIn(Schema):
    points: list[PointIn] = Field(..., max_length=MAX_BULK)


class BulkOut(Schema):
    created: int
    updated: int
    unchanged: int


def _metric_out(m) -> dict:
    return {
        "id": m.pk,
        "key": m.key,
        "name": m.name,
        "unit": m.unit,
        "direction": m.direction,
        "period": m.period,
        "aggregation": m.aggregation,
    }


@router.get("/projects/{project_id}/kpis", response=list[MetricOut])
def list_metrics(request, project_id: int):
    viewer = request.viewer
    project = project_or_404(viewer, project_id)
    return [_metric_out(m) for m in selectors.project_metrics(viewer, project)]


@router.get("/kpis/{metric_id}/points", response=list[PointOut])
def list_points(request, metric_id: int, start: date | None = None, end: date | None = None):
    metric = selectors.metric_or_404(request.viewer, metric_id)
    qs = metric.points.order_by("date")
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    return [{"date": p.date, "value": float(p.value), "source": p.source} for p in qs[:MAX_BULK]]


@router.post("/projects/{project_id}/kpis/points", response={200: BulkOut, 400: dict})
def record_points(request, project_id: int, payload: BulkIn):
    """Bulk write; idempotent by (KPI, date). All values are written or none."""
    viewer = request.viewer
    project = project_or_404(viewer, project_id)
    if not viewer.is_staff:
        raise Http404  # clients read KPIs; only the project's team writes them
    points = [services.PointIn(p.metric, p.date, p.value) for p in payload.points]
    try:
        result = services.record_points(
            viewer=viewer, project=project, points=points, source=Source.API
        )
    except ValidationError as exc:  # the row-by-row messages, a plain list (404s: core.errors)
        return Status(400, {"detail": exc.messages})
    return {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
