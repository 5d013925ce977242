from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kabinet.clients import selectors as clients
from kabinet.clients.project_page import project_page_context
from kabinet.core import drafts, errors, scoping
from kabinet.core.decorators import once_per_form, viewer_required
from kabinet.core.scoping import staff_project_or_404
from kabinet.timeline import selectors, services
from kabinet.timeline.forms import ComposerForm, DecisionForm
from kabinet.timeline.models import Kind


@viewer_required
@require_POST
@once_per_form
def publish(request: HttpRequest, project_id: int) -> HttpResponse:
    """The composer. On any error the form comes back with everything typed and uploaded kept."""
    viewer = request.viewer
    project = staff_project_or_404(viewer, project_id)
    form = ComposerForm(request.POST, request.FILES)
    form.stage(viewer)
    status = 400
    if form.is_complete():
        try:
            event = services.publish(
                viewer=viewer,
                project=project,
                draft=services.EventDraft(
                    kind=form.cleaned_data["kind"],
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    visibility=form.cleaned_data["visibility"],
                    period_start=form.cleaned_data["period_start"],
                    period_end=form.cleaned_data["period_end"],
                    attachment_ids=[a.pk for a in form.staged_files],
                ),
            )
        except ValidationError as exc:
            status = errors.onto_form(form, exc)
        else:
            drafts.discard_draft(viewer=viewer, kind="composer", pk=project.pk, sent=request.POST)
            messages.success(request, _("Published: %(title)s") % {"title": event.title})
            return redirect("project", pk=project.pk)
    form.keep_staged()
    project = clients.project_detail(viewer, project.pk)  # with its team, as the page shows it
    context = project_page_context(request, project, composer=form, staged=form.staged_files)
    return render(request, "clients/project_detail.html", context, status=status)


@viewer_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_detail(request.viewer, pk)
    replies = selectors.events(request.viewer).filter(parent=event).select_related("author")
    form = (
        DecisionForm()
        if event.kind == Kind.RECOMMENDATION and scoping.may(request.viewer, "decide")
        else None
    )
    return render(
        request,
        "timeline/event_detail.html",
        {"event": event, "replies": replies, "decision_form": form},
    )


@viewer_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.viewer
    event = selectors.event_or_404(viewer, pk)
    form = DecisionForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.decide(
                viewer=viewer,
                recommendation=event,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            status = errors.onto_form(form, exc)
        else:
            messages.success(request, _("Thank you, your decision is recorded."))
            return redirect("event", pk=event.pk)
    replies = selectors.events(viewer).filter(parent=event).select_related("author")
    return render(
        request,
        "timeline/event_detail.html",
        {"event": event, "replies": replies, "decision_form": form},
        status=status,
    )


@viewer_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = selectors.attachment_or_404(request.viewer, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:  # the row outlived its file (a partial restore, a wiped disk)
        raise Http404("attachment file missing") from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.name,
        content_type=selectors.download_content_type(attachment),
    )
