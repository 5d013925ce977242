"""KPI rows in admin: read-only, scoped to the head's agency; they are written by the health services."""

from __future__ import annotations

from django.contrib import admin

from kabinet.core.admin import ReadOnlyTenantAdmin
from kabinet.health.models import Expectation, Forecast, Import, Metric, PlanItem, Point


@admin.register(Metric)
class MetricAdmin(ReadOnlyTenantAdmin):
    list_display = ("name", "key", "project", "unit", "direction", "period", "source")
    list_filter = ("agency", "direction", "period")
    search_fields = ("name", "key", "project__name", "project__company__name")
    raw_id_fields = ("project",)


@admin.register(Point)
class PointAdmin(ReadOnlyTenantAdmin):
    list_display = ("metric", "date", "value", "source", "recorded_at")
    list_filter = ("source", "agency")
    raw_id_fields = ("metric", "recorded_by", "batch")
    date_hierarchy = "date"


@admin.register(Import)
class ImportAdmin(ReadOnlyTenantAdmin):
    list_display = ("name", "project", "state", "rows_imported", "uploaded_by", "uploaded_at")
    list_filter = ("state", "agency")
    raw_id_fields = ("project", "uploaded_by")


@admin.register(Expectation)
class ExpectationAdmin(ReadOnlyTenantAdmin):
    list_display = ("metric", "target", "by_date", "project", "created_at")
    raw_id_fields = ("project", "metric", "recorded_by")


@admin.register(Forecast)
class ForecastAdmin(ReadOnlyTenantAdmin):
    list_display = ("metric", "low", "high", "by_date", "project", "created_at")
    raw_id_fields = ("project", "metric", "recorded_by")


@admin.register(PlanItem)
class PlanItemAdmin(ReadOnlyTenantAdmin):
    list_display = ("title", "plan", "task", "project")
    raw_id_fields = ("project", "plan", "task")
