from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kabinet.clients import selectors
from kabinet.core.decorators import viewer_required
from kabinet.timeline import selectors as timeline
from kabinet.timeline.forms import ChronologyFilterForm, ComposerForm
from kabinet.timeline.selectors import ChronologyFilter

PAGE_SIZE = 20


@viewer_required
def project_list(request: HttpRequest) -> HttpResponse:
    viewer = request.viewer
    now = timezone.now()
    rows = [
        {"project": p, "silence": selectors.days_of_silence(p, now)}
        for p in selectors.project_list(viewer)
    ]
    return render(request, "clients/project_list.html", {"rows": rows})


def chronology_context(request: HttpRequest, project_id: int) -> dict:
    form = ChronologyFilterForm(request.GET or None)
    flt = ChronologyFilter()
    if form.is_valid():
        flt = ChronologyFilter(
            kinds=tuple(form.cleaned_data["kind"]),
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            q=form.cleaned_data["q"],
        )
    page = Paginator(timeline.chronology(request.viewer, project_id, flt), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return {"filter_form": form, "page": page, "query": query.urlencode()}


def project_page_context(request: HttpRequest, project, **extra) -> dict:
    """Everything the project page shows; the composer's failed publish renders it again."""
    viewer = request.viewer
    context = {
        "project": project,
        **chronology_context(request, project.pk),
        "documents": timeline.documents(viewer, project.pk)[:10],
        "awaiting_decision": timeline.awaiting_decision(viewer, project.pk),
    }
    if viewer.is_staff:
        context["composer"] = ComposerForm()
    context.update(extra)
    return context


@viewer_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_detail(request.viewer, pk)
    if request.htmx and request.htmx.target == "chronology":
        context = {"project": project, **chronology_context(request, project.pk)}
        return render(request, "timeline/_chronology.html", context)
    return render(request, "clients/project_detail.html", project_page_context(request, project))
