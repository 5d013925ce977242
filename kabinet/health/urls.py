from __future__ import annotations

from django.urls import path

from kabinet.health import views
from kabinet.health.digests import views as digests

app_name = "health"

urlpatterns = [
    path("home/", views.home, name="home"),
    path("projects/<int:pk>/overview/", views.project_home, name="project_home"),
    path("projects/<int:pk>/overview/seen/", views.seen, name="seen"),
    path("projects/<int:pk>/overview/plan-items/", views.add_plan_item, name="add_plan_item"),
    path(
        "projects/<int:pk>/overview/expectation/",
        views.state_expectation,
        name="state_expectation",
    ),
    path("projects/<int:pk>/kpis/", views.kpis, name="kpis"),
    path("projects/<int:pk>/kpis/new/", views.add_metric, name="add_metric"),
    path("projects/<int:pk>/kpis/values/", views.add_point, name="add_point"),
    path("projects/<int:pk>/kpis/expectation/", views.set_expectation, name="set_expectation"),
    path("projects/<int:pk>/kpis/forecast/", views.set_forecast, name="set_forecast"),
    path("projects/<int:pk>/kpis/upload/", views.upload, name="upload"),
    path("projects/<int:pk>/kpis/report-draft/", views.report_draft, name="report_draft"),
    path("projects/<int:pk>/kpis/<int:metric_id>/chart.svg", views.chart_svg, name="chart_svg"),
    path("projects/<int:pk>/kpis/sources/", views.connections, name="connections"),
    path(
        "projects/<int:pk>/kpis/sources/<int:connection_id>/",
        views.edit_connection,
        name="edit_connection",
    ),
    path(
        "projects/<int:pk>/kpis/sources/<int:connection_id>/sync/",
        views.sync_connection,
        name="sync_connection",
    ),
    path(
        "projects/<int:pk>/kpis/sources/<int:connection_id>/remove/",
        views.remove_connection,
        name="remove_connection",
    ),
    path("kpi-imports/<int:pk>/", views.import_mapping, name="import"),
    path("results/", views.flags, name="flags"),
    path("digests/", digests.digest_list, name="digests"),
    path("digests/draft/", digests.draft_week, name="draft_digests"),
    path("digests/<int:pk>/", digests.digest_detail, name="digest"),
    path("projects/<int:pk>/digest/", digests.project_digest, name="project_digest"),
    path("projects/<int:pk>/digest/setting/", digests.digest_setting, name="digest_setting"),
    path("events/<int:pk>/seen/", views.item_seen, name="item_seen"),
    path("understanding/", views.agency, name="agency"),
    path("understanding/settings/", views.understanding_settings, name="understanding_settings"),
    path("understanding/settings/accept/", views.accept_weights, name="accept_weights"),
    path("understanding/clients/<int:pk>/left/", views.client_left, name="client_left"),
    path(
        "understanding/clients/<int:pk>/components/",
        views.client_components,
        name="client_components",
    ),
]
