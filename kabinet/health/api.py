"""KPIs over HTTP: read a project's metrics and values; staff write values in bulk.

Mounted automatically under /api/v1/ by kabinet.api.main. Writing is idempotent by (metric, date):
posting the same values again changes nothing and says so (`unchanged`).
"""

# No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.

from datetime import date
from decimal import Decimal

from django.http import Http404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from kabinet.api.pagination import CursorPagination
from kabinet.api.schemas import Day, In, PathId
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


class PointIn(In):
    metric: str = Field(..., max_length=100, description="the KPI's key, e.g. organic_sessions")
    date: Day
    value: Decimal = Field(..., max_digits=20, decimal_places=6, allow_inf_nan=False)


class BulkIn(In):
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
def list_metrics(request, project_id: PathId):
    viewer = request.viewer
    project = project_or_404(viewer, project_id)
    return [_metric_out(m) for m in selectors.project_metrics(viewer, project)]


def _point_out(p) -> dict:
    return {"date": p.date, "value": float(p.value), "source": p.source}


@router.get("/kpis/{metric_id}/points", response=list[PointOut])
@paginate(CursorPagination, ordering=("date", "pk"), out=_point_out)
def list_points(request, metric_id: PathId, start: Day | None = None, end: Day | None = None):
    """A KPI's values, oldest first; `start`/`end` bound the date."""
    metric = selectors.metric_or_404(request.viewer, metric_id)
    qs = metric.points.all()
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    return qs


@router.post("/projects/{project_id}/kpis/points", response=BulkOut)
def record_points(request, project_id: PathId, payload: BulkIn):
    """Bulk write; idempotent by (KPI, date). All values are written or none.

    A bad row is a 400 whose `detail` names the row (errors: kabinet.core.errors)."""
    viewer = request.viewer
    project = project_or_404(viewer, project_id)
    if not viewer.is_staff:
        raise Http404  # clients read KPIs; only the project's team writes them
    points = [services.PointIn(p.metric, p.date, p.value) for p in payload.points]
    result = services.record_points(
        viewer=viewer, project=project, points=points, source=Source.API
    )
    return {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
