from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kabinet.clients import selectors
from kabinet.clients.project_page import chronology_context, project_page_context
from kabinet.core.decorators import viewer_required
from kabinet.core.paging import paginate


@viewer_required
def project_list(request: HttpRequest) -> HttpResponse:
    viewer = request.viewer
    now = timezone.now()
    page = paginate(selectors.project_list(viewer), request.GET)
    rows = [{"project": p, "silence": selectors.days_of_silence(p, now)} for p in page]
    context = {"rows": rows, "page": page}
    if viewer.is_staff:  # expectations outside a forecast, actuals behind one (kabinet.health)
        from kabinet.health import selectors as health

        context["results_flags"] = list(health.stored_flags(viewer))
        _add_what_waits(viewer, rows, now)
    return render(request, "clients/project_list.html", context)


def _add_what_waits(viewer, rows: list[dict], now) -> None:
    """The manager's cockpit: beside each project of the page, its questions waiting for us, its
    promises due within two days and its tasks the plan finishes late (one grouped query each)."""
    from kabinet.planning import selectors as planning
    from kabinet.promises import selectors as promises
    from kabinet.questions import selectors as questions

    ids = [row["project"].pk for row in rows]
    waiting = questions.waiting_by_project(viewer, ids, now)
    due = promises.due_by_project(viewer, ids, now)
    late = planning.late_by_project(viewer, ids)
    for row in rows:
        pk = row["project"].pk
        row["questions"], row["questions_late"] = waiting.get(pk, (0, 0))
        row["promises"], row["promises_late"] = due.get(pk, (0, 0))
        row["late_tasks"] = late.get(pk, 0)


@viewer_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_detail(request.viewer, pk)
    if request.htmx and request.htmx.target == "chronology":
        context = {"project": project, **chronology_context(request, project.pk)}
        return render(request, "timeline/_chronology.html", context)
    return render(request, "clients/project_detail.html", project_page_context(request, project))
