"""Thin views of the health app: the client's home, KPIs and their imports, forecasts, flags."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kabinet.clients import selectors as clients
from kabinet.core import concurrency, errors, scoping
from kabinet.core.decorators import viewer_required
from kabinet.health import connectors, imports, reports, selectors, services
from kabinet.health.forms import (
    ConnectionForm,
    ExpectationForm,
    ForecastForm,
    MappingForm,
    MetricForm,
    PlanItemForm,
    PointForm,
    UploadForm,
)
from kabinet.health.models import Import
from kabinet.lib import kpi


@viewer_required
def home(request: HttpRequest) -> HttpResponse:
    """Where a person lands after logging in: a client her project's home (or a short list)."""
    viewer = request.viewer
    if not viewer.is_client:
        return redirect("projects")
    projects = list(clients.project_list(viewer).exclude(status="closed"))
    if len(projects) == 1:
        return redirect("health:project_home", pk=projects[0].pk)
    rows = [{"project": p, "waiting": selectors.waiting_for_client(viewer, p)} for p in projects]
    return render(request, "health/home_list.html", {"rows": rows})


@viewer_required
def project_home(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.viewer
    project = clients.project_detail(viewer, pk)
    data = selectors.project_home(viewer, project, selectors.visit_for(viewer, project))
    context = _home_context(viewer, project, data)
    if viewer.is_staff:
        understanding = selectors.project_understanding(viewer, project)
        context["understanding"] = understanding
        context["understanding_charts"] = {"project": understanding.chart(project.name)}
    if viewer.is_staff and data.plan is not None:  # the form is fetched when opened
        context["plan_item_url"] = reverse("health:add_plan_item", args=[project.pk])
    return render(request, "health/project_home.html", context)


# How long rendered KPI cards are kept at most (their fingerprint changes with their data; this
# bounds what a new release of the page's own markup takes to show).
RESULTS_CACHE_SECONDS = 3600


def _results(data: selectors.Home) -> str:
    """The home's KPI cards, rendered: from the cache while nothing they show has changed (their
    fingerprint, in the reader's language), so that a visit reads no points and renders no card."""
    key = f"home-results:{translation.get_language()}:{data.results_fingerprint()}"
    html = cache.get(key)
    if html is None:
        charts = selectors.chart_payload(data.cards)
        html = render_to_string("health/_results.html", {"home": data, "charts": charts})
        cache.set(key, html, RESULTS_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 — rendered by the template engine, which escaped it


def _home_context(viewer, project, data, expectation_form=None) -> dict:
    context = {"project": project, "home": data, "results": _results(data)}
    if viewer.is_client and data.metrics:
        if expectation_form is not None:  # what she sent, with its errors, open
            context["expectation_form"] = expectation_form
        else:  # fetched when she opens it (`state_expectation`, GET)
            context["expectation_url"] = reverse("health:state_expectation", args=[project.pk])
    return context


@viewer_required
@require_http_methods(["GET", "POST"])
def state_expectation(request: HttpRequest, pk: int) -> HttpResponse:
    """The client states her expectation herself on her project's home: metric, target, date.
    Recorded in the chronology like the one staff write down, and checked against the forecast.

    GET is the form, which the home fetches when she opens it (htmx: the form alone; without
    JavaScript: a page of its own)."""
    viewer = request.viewer
    project = clients.project_detail(viewer, pk)
    scoping.require_client(viewer)
    if request.method == "GET":
        form = ExpectationForm(metrics=selectors.project_metrics(viewer, project), by_client=True)
        template = "health/_expectation_form.html" if request.htmx else "health/expectation.html"
        return render(request, template, {"project": project, "form": form})
    form = ExpectationForm(
        request.POST, metrics=selectors.project_metrics(viewer, project), by_client=True
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.set_expectation(
                viewer=viewer,
                metric=data["metric"],
                target=data["target"],
                by_date=data["by_date"],
                note=data["note"],
            )
        except ValidationError as exc:
            errors.onto_form(form, exc)
        else:
            messages.success(
                request,
                _("Your expectation is recorded; we will answer it with our forecast."),
            )
            return redirect(reverse("health:project_home", args=[project.pk]) + "#expectation")
    data = selectors.project_home(viewer, project, selectors.visit_for(viewer, project))
    return render(
        request,
        "health/project_home.html",
        _home_context(viewer, project, data, expectation_form=form),
        status=400,
    )


@viewer_required
@require_POST
def seen(request: HttpRequest, pk: int) -> HttpResponse:
    """The home page, once loaded, records the visit (so a GET writes nothing)."""
    viewer = request.viewer
    project = clients.project_detail(viewer, pk)
    services.note_visit(viewer=viewer, project=project)
    return HttpResponse(status=204)


@viewer_required
@require_POST
def item_seen(request: HttpRequest, pk: int) -> HttpResponse:
    """A chronology item's page, once loaded by a client person, records the first view (the
    understanding index counts what the client opened); staff views are not recorded."""
    from kabinet.timeline import selectors as timeline

    event = timeline.event_or_404(request.viewer, pk)
    services.record_item_view(viewer=request.viewer, event=event)
    return HttpResponse(status=204)


def _plan_tasks(viewer, project):
    from kabinet.work import selectors as work

    return work.tasks(viewer).filter(project=project).order_by("-created_at")


def _kpi_context(request: HttpRequest, project, **forms) -> dict:
    viewer = request.viewer
    metric_qs = selectors.project_metrics(viewer, project)
    card_list = selectors.cards(viewer, project)
    context = {
        "project": project,
        "cards": card_list,
        "charts": selectors.chart_payload(card_list),
        "metric_form": MetricForm(),
        "point_form": PointForm(metrics=metric_qs),
        "expectation_form": ExpectationForm(metrics=metric_qs),
        "forecast_form": ForecastForm(metrics=metric_qs),
        "upload_form": UploadForm(),
        "imports": selectors.imports(viewer).filter(project=project)[:10],
        "flags": selectors.flags_from_cards(project, card_list),
    }
    context.update(forms)
    return context


@viewer_required
def kpis(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: the project's KPIs — add a KPI, a value, an expectation, a forecast, upload a file."""
    project = scoping.staff_project_or_404(request.viewer, pk)
    return render(request, "health/kpis.html", _kpi_context(request, project))


@viewer_required
@require_POST
def add_metric(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.viewer
    project = scoping.staff_project_or_404(viewer, pk)
    form = MetricForm(request.POST)
    if form.is_valid():
        try:
            metric = services.create_metric(viewer=viewer, project=project, **form.cleaned_data)
        except ValidationError as exc:
            errors.onto_form(form, exc)
        else:
            messages.success(request, _("KPI added: %(name)s") % {"name": metric.name})
            return redirect("health:kpis", pk=project.pk)
    return render(
        request, "health/kpis.html", _kpi_context(request, project, metric_form=form), status=400
    )


@viewer_required
@require_POST
def add_point(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.viewer
    project = scoping.staff_project_or_404(viewer, pk)
    form = PointForm(request.POST, metrics=selectors.project_metrics(viewer, project))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_points(
                viewer=viewer,
                project=project,
                points=[services.PointIn(data["metric"].key, data["date"], data["value"])],
            )
        except ValidationError as exc:
            errors.onto_form(form, exc)
        else:
            messages.success(request, _("Value saved."))
            return redirect("health:kpis", pk=project.pk)
    return render(
        request, "health/kpis.html", _kpi_context(request, project, point_form=form), status=400
    )


@viewer_required
@require_POST
def set_expectation(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.viewer
    project = scoping.staff_project_or_404(viewer, pk)
    form = ExpectationForm(request.POST, metrics=selectors.project_metrics(viewer, project))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.set_expectation(
                viewer=viewer,
                metric=data["metric"],
                target=data["target"],
                by_date=data["by_date"],
                note=data["note"],
            )
        except ValidationError as exc:
            errors.onto_form(form, exc)
        else:
            messages.success(request, _("The client's expectation is recorded in the chronology."))
            return redirect("health:kpis", pk=project.pk)
    return render(
        request,
        "health/kpis.html",
        _kpi_context(request, project, expectation_form=form),
        status=400,
    )


@viewer_required
@require_POST
def set_forecast(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.viewer
    project = scoping.staff_project_or_404(viewer, pk)
    form = ForecastForm(request.POST, metrics=selectors.project_metrics(viewer, project))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.set_forecast(
                viewer=viewer,
                metric=data["metric"],
                low=data["low"],
                high=data["high"],
                by_date=data["by_date"],
                note=data["note"],
            )
        except ValidationError as exc:
            errors.onto_form(form, exc)
        else:
            messages.success(request, _("The forecast is recorded in the chronology."))
            return redirect("health:kpis", pk=project.pk)
    return render(
        request, "health/kpis.html", _kpi_context(request, project, forecast_form=form), status=400
    )


@viewer_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.viewer
    project = scoping.staff_project_or_404(viewer, pk)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            staged = imports.stage(viewer=viewer, project=project, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            errors.onto_form(form, exc)
        else:
            return redirect("health:import", pk=staged.pk)
    return render(
        request, "health/kpis.html", _kpi_context(request, project, upload_form=form), status=400
    )


@viewer_required
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    """The mapping step: preview, date format, KPI and units per column; then all rows or none."""
    viewer = request.viewer
    staged = selectors.import_or_404(viewer, pk)
    project = scoping.staff_project_or_404(viewer, staged.project_id)
    metric_qs = selectors.project_metrics(viewer, project)
    try:
        header, rows = imports.read_table(staged)
    except ValidationError as exc:
        return render(
            request,
            "health/import.html",
            {"project": project, "staged": staged, "read_error": exc.messages},
            status=400,
        )
    status = 200
    refused = None
    if request.method == "POST" and staged.state != Import.State.IMPORTED:
        form = MappingForm(request.POST, headers=header, metrics=list(metric_qs))
        if form.is_valid():
            try:
                result = imports.apply(viewer=viewer, staged=staged, mapping=form.mapping())
            except imports.ImportRefused as exc:
                refused = exc
                status = 400
            except ValidationError as exc:
                errors.onto_form(form, exc)
                status = 400
            else:
                messages.success(
                    request,
                    _(
                        "Imported “%(name)s”: %(created)s new values, %(updated)s updated, %(unchanged)s unchanged."
                    )
                    % {
                        "name": staged.name,
                        "created": result.created,
                        "updated": result.updated,
                        "unchanged": result.unchanged,
                    },
                )
                return redirect("health:kpis", pk=project.pk)
        else:
            status = 400
    else:
        form = MappingForm(headers=header, metrics=list(metric_qs), initial=_initial(staged))
    context = {
        "project": project,
        "staged": staged,
        "form": form,
        "header": header,
        "preview": rows[: imports.PREVIEW_ROWS],
        "row_count": len(rows),
        "refused": refused,
    }
    return render(request, "health/import.html", context, status=status)


def _initial(staged: Import) -> dict:
    """A refused file comes back with the mapping that was tried."""
    mapping = staged.mapping or {}
    if not mapping:
        return {}
    initial = {
        "date_column": str(mapping.get("date_column", 0)),
        "date_format": mapping.get("date_format"),
    }
    for index, spec in (mapping.get("columns") or {}).items():
        initial[f"col_{index}"] = spec.get("metric", "")
        initial[f"scale_{index}"] = spec.get("scale", "1")
    return initial


@viewer_required
@require_http_methods(["GET", "POST"])
def add_plan_item(request: HttpRequest, pk: int) -> HttpResponse:
    """A line of the plan the home shows, linked to the task that carries it.

    GET is the form, which the home fetches when the manager opens it (htmx: the form alone;
    without JavaScript: a page of its own) — its list of the project's tasks cost the home more
    than anything else it rendered. A refused line comes back with what was typed."""
    viewer = request.viewer
    project = scoping.staff_project_or_404(viewer, pk)
    plan, _is_next, _lines = selectors.plan_for(viewer, project, selectors.today(viewer))
    if plan is None:
        raise Http404
    tasks = _plan_tasks(viewer, project)
    if request.method == "GET":
        template = "health/_plan_item_form.html" if request.htmx else "health/plan_item.html"
        context = {"project": project, "plan": plan, "form": PlanItemForm(tasks=tasks)}
        return render(request, template, context)
    form = PlanItemForm(request.POST, tasks=tasks)
    status = errors.INVALID
    if form.is_valid():
        try:
            services.add_plan_item(
                viewer=viewer,
                plan=plan,
                title=form.cleaned_data["title"],
                task=form.cleaned_data["task"],
            )
        except ValidationError as exc:
            status = errors.onto_form(form, exc)
        else:
            messages.success(request, _("Added to the plan."))
            return redirect(reverse("health:project_home", args=[project.pk]) + "#plan")
    context = {"project": project, "plan": plan, "form": form}
    return render(request, "health/plan_item.html", context, status=status)


@viewer_required
def flags(request: HttpRequest) -> HttpResponse:
    viewer = request.viewer
    if not viewer.is_staff:
        raise Http404
    # This page computes what holds right now; the cockpit (/projects/) shows the stored flags.
    return render(
        request,
        "health/flags.html",
        {"flags": selectors.flags(viewer), "attention": selectors.needs_attention(viewer)},
    )


def _month(raw: str | None, viewer) -> date:
    if raw:
        try:
            year, month = raw.split("-")
            return date(int(year), int(month), 1)
        except ValueError:
            pass
    return kpi.add_months(selectors.today(viewer), -1)


@viewer_required
def report_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: the month's KPI table, charts and done work as Markdown, for the report composer."""
    viewer = request.viewer
    project = scoping.staff_project_or_404(viewer, pk)
    month = _month(request.GET.get("month"), viewer)
    summary = selectors.month_summary(viewer, project, month)
    text = reports.markdown(summary)
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


@viewer_required
def chart_svg(request: HttpRequest, pk: int, metric_id: int) -> HttpResponse:
    """A KPI chart as an SVG image, for reports (whoever may see the KPI may see the image)."""
    viewer = request.viewer
    metric = selectors.metric_or_404(viewer, metric_id)
    if metric.project_id != pk:
        raise Http404
    month = _month(request.GET.get("month"), viewer)
    on = min(selectors.today(viewer), kpi.add_months(month, 1))
    card_list = selectors.cards(
        viewer, metric.project, on=on, metric_ids=[metric.pk], client_only=True
    )
    if not card_list:
        raise Http404
    svg = reports.svg(card_list[0])
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


# --------------------------------------------------------------------------- source connections


def _connections_page(request: HttpRequest, project, *, form=None, status=200) -> HttpResponse:
    viewer = request.viewer
    metrics = selectors.project_metrics(viewer, project)
    context = {
        "project": project,
        "connections": selectors.project_connections(viewer, project),
        "form": form or ConnectionForm(metrics=metrics),
        "examples": {c.key: c.example for c in connectors.all_connectors()},
    }
    return render(request, "health/connections.html", context, status=status)


def _head_project(request: HttpRequest, pk: int):
    project = scoping.staff_project_or_404(request.viewer, pk)
    scoping.require_head(request.viewer)
    return project


@viewer_required
def connections(request: HttpRequest, pk: int) -> HttpResponse:
    """The head: the project's connections to Yandex Metrica, Direct, GA4, Google Ads; add one."""
    viewer = request.viewer
    project = _head_project(request, pk)
    if request.method != "POST":
        return _connections_page(request, project)
    form = ConnectionForm(request.POST, metrics=selectors.project_metrics(viewer, project))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.save_connection(
                viewer=viewer,
                project=project,
                kind=data["kind"],
                account=data["account"],
                manager_account=data["manager_account"],
                token=data["token"],
                mapping=form.mapping(),
            )
        except ValidationError as exc:
            errors.onto_form(form, exc, fields={"mapping": "__all__"})
        else:
            messages.success(request, _("The source is connected. The token is stored encrypted."))
            return redirect("health:connections", pk=project.pk)
    return _connections_page(request, project, form=form, status=400)


@viewer_required
def edit_connection(request: HttpRequest, pk: int, connection_id: int) -> HttpResponse:
    viewer = request.viewer
    project = _head_project(request, pk)
    connection = selectors.connection_or_404(viewer, project, connection_id)
    metrics = selectors.project_metrics(viewer, project)
    if request.method != "POST":
        form = ConnectionForm(
            metrics=metrics,
            connection=connection,
            initial={
                "kind": connection.kind,
                "account": connection.account,
                "manager_account": connection.manager_account,
            },
        )
        return render(
            request,
            "health/connection_edit.html",
            {"project": project, "connection": connection, "form": form},
        )
    form = ConnectionForm(request.POST, metrics=metrics, connection=connection)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.save_connection(
                viewer=viewer,
                project=project,
                connection=connection,
                kind=data["kind"],
                account=data["account"],
                manager_account=data["manager_account"],
                token=data["token"],
                mapping=form.mapping(),
            )
        except ValidationError as exc:
            errors.onto_form(form, exc, fields={"mapping": "__all__"})
        else:
            messages.success(request, _("The connection is saved."))
            return redirect("health:connections", pk=project.pk)
    return render(
        request,
        "health/connection_edit.html",
        {"project": project, "connection": connection, "form": form},
        status=400,
    )


@viewer_required
@require_POST
def sync_connection(request: HttpRequest, pk: int, connection_id: int) -> HttpResponse:
    """ "Sync now": pull the last days at once and show how it went."""
    viewer = request.viewer
    project = _head_project(request, pk)
    connection = selectors.connection_or_404(viewer, project, connection_id)
    outcome = services.sync_now(viewer=viewer, connection=connection)
    if outcome.ok:
        messages.success(
            request,
            _("Synced: %(created)s new values, %(updated)s changed, %(unchanged)s unchanged.")
            % {
                "created": outcome.result.created,
                "updated": outcome.result.updated,
                "unchanged": outcome.result.unchanged,
            },
        )
    else:
        messages.error(request, _("The sync failed: %(error)s") % {"error": outcome.error})
    return redirect("health:connections", pk=project.pk)


@viewer_required
@require_POST
def remove_connection(request: HttpRequest, pk: int, connection_id: int) -> HttpResponse:
    viewer = request.viewer
    project = _head_project(request, pk)
    connection = selectors.connection_or_404(viewer, project, connection_id)
    services.remove_connection(viewer=viewer, connection=connection)
    messages.success(request, _("The connection is removed; the values it brought stay."))
    return redirect("health:connections", pk=project.pk)


# --------------------------------------------------------------------------- the understanding index


@viewer_required
def understanding_settings(request: HttpRequest) -> HttpResponse:
    """The head's weights of the index (the agency's, or a client tier's), cadence, alarms."""
    from kabinet.clients.models import Tier
    from kabinet.health.forms import UnderstandingSettingsForm
    from kabinet.health.understanding import engine_settings, settings_for

    viewer = request.viewer
    scoping.require_head(viewer)
    tier = request.GET.get("tier") or request.POST.get("tier") or ""
    if tier not in Tier.values:
        tier = ""
    row = settings_for(viewer.agency)
    from kabinet.health.understanding import COMPONENT_LABELS

    proposal = row.proposal or {}
    proposal_rows = [
        {
            "label": COMPONENT_LABELS[key],
            "weight": weight,
            "auc": (proposal.get("component_auc") or {}).get(key),
        }
        for key, weight in (proposal.get("weights") or {}).items()
        if key in COMPONENT_LABELS
    ]
    context = {"row": row, "tier": tier, "tiers": Tier.choices, "proposal_rows": proposal_rows}
    if request.method == "POST":
        form = UnderstandingSettingsForm(request.POST, tier=tier)
        form.is_valid()
        try:
            services.save_understanding_settings(
                viewer=viewer,
                cadence_days=_int(request.POST.get("cadence_days")),
                weights=form.weights(),
                threshold=_decimal(request.POST.get("threshold")),
                drop_points=_decimal(request.POST.get("drop_points")),
                drop_days=_int(request.POST.get("drop_days")),
                tier=tier,
                tier_own=bool(request.POST.get("tier_own")),
                version=form.cleaned_data.get("version"),
            )
        except concurrency.EditConflict as exc:
            row = settings_for(viewer.agency)
            form = concurrency.rebound(UnderstandingSettingsForm, request.POST, exc, tier=tier)
            conflict = concurrency.conflict_context(exc, form)
            return render(
                request,
                "health/understanding_settings.html",
                {**context, "row": row, "form": form, "conflict": conflict},
                status=errors.CONFLICT,
            )
        except ValidationError as exc:
            errors.onto_form(form, exc)
        else:
            messages.success(request, _("Understanding index settings saved."))
            url = reverse("health:understanding_settings")
            return redirect(f"{url}?tier={tier}" if tier else url)
        return render(
            request, "health/understanding_settings.html", {**context, "form": form}, status=400
        )
    weights = engine_settings(row, tier).weights
    initial = {f"w_{k}": v for k, v in weights.items()}
    initial.update(
        cadence_days=row.cadence_days,
        threshold=row.threshold,
        drop_points=row.drop_points,
        drop_days=row.drop_days,
        tier_own=bool(tier and tier in (row.tier_weights or {})),
        version=row.version,
    )
    form = UnderstandingSettingsForm(initial=initial, tier=tier)
    return render(request, "health/understanding_settings.html", {**context, "form": form})


def _int(raw) -> int:
    try:
        return int(str(raw).strip())
    except (TypeError, ValueError):
        return -1


def _decimal(raw):
    from decimal import Decimal, InvalidOperation

    try:
        return Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return Decimal(-1)


@viewer_required
@require_POST
def accept_weights(request: HttpRequest) -> HttpResponse:
    try:
        services.accept_proposed_weights(viewer=request.viewer)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The proposed weights are now the agency's."))
    return redirect("health:understanding_settings")


@viewer_required
def agency(request: HttpRequest) -> HttpResponse:
    """The head's view of the agency: managers, their clients and the understanding index."""
    data = selectors.agency_view(
        request.viewer, page=request.GET.get("page") or 1, manager=request.GET.get("manager")
    )
    return render(request, "health/agency.html", {"view": data, "charts": data.charts()})


@viewer_required
def client_components(request: HttpRequest, pk: int) -> HttpResponse:
    """A row of the head's view, opened: the client's index and its components (htmx fragment)."""
    company, understanding = selectors.company_understanding(request.viewer, pk)
    return render(
        request,
        "health/_client_components.html",
        {"company": company, "understanding": understanding},
    )


@viewer_required
@require_POST
def client_left(request: HttpRequest, pk: int) -> HttpResponse:
    """The head marks the day a client left (or clears it) — the backtest learns from it."""
    from kabinet.clients.models import ClientCompany
    from kabinet.health.forms import ClientLeftForm

    viewer = request.viewer
    scoping.require_head(viewer)
    company = scoping.get_or_404(
        scoping.in_agency(ClientCompany.objects.all(), viewer.agency), pk=pk
    )
    form = ClientLeftForm(request.POST)
    if not form.is_valid():
        for message in form.errors.get("left_on", []):
            messages.error(request, message)
        return _back_to_agency(request, company)
    try:
        services.mark_client_left(
            viewer=viewer, company=company, left_on=form.cleaned_data["left_on"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Saved."))
    return _back_to_agency(request, company)


def _back_to_agency(request: HttpRequest, company) -> HttpResponse:
    """Back to the page of the head's view the form was on (its page and manager), at the row."""
    from django.utils.http import url_has_allowed_host_and_scheme

    home = reverse("health:agency")
    target = request.POST.get("next") or ""
    if not (
        target.startswith(home)
        and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    ):
        target = home
    return redirect(target.split("#")[0] + f"#client-{company.pk}")
