"""Thin views of the weekly digest: the manager's week of drafts and one draft to edit and send;
a project's digests and the client company's "send as drafted" choice."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kabinet.clients import selectors as clients
from kabinet.core import concurrency, errors, scoping
from kabinet.core.decorators import viewer_required
from kabinet.health.digests import selectors, services
from kabinet.health.digests.forms import DigestForm, DigestSettingForm
from kabinet.health.digests.letter import week_label


def _week(raw: str | None, default: date) -> date:
    try:
        return selectors.week_start_of(date.fromisoformat(raw)) if raw else default
    except ValueError:
        return default


@viewer_required
def digest_list(request: HttpRequest) -> HttpResponse:
    """The week's drafts of the manager's projects (the head: the agency's)."""
    viewer = request.viewer
    if not viewer.is_manager:
        raise Http404
    weeks = selectors.weeks(viewer)
    latest = weeks[0] if weeks else selectors.last_complete_week(viewer.agency)
    week = _week(request.GET.get("week"), latest)
    rows = selectors.week_digests(viewer, week)
    context = {
        "week": week,
        "week_label": week_label(week),
        "weeks": [(w, week_label(w)) for w in weeks[:12]],
        "rows": rows,
        "drafts": sum(1 for d in rows if not d.is_sent),
        "last_complete": selectors.last_complete_week(viewer.agency),
    }
    return render(request, "health/digests/list.html", context)


@viewer_required
@require_POST
def draft_week(request: HttpRequest) -> HttpResponse:
    """Draft the last ended week now for every active project the manager runs (the job does it
    on Monday morning; this is for a manager who does not want to wait)."""
    viewer = request.viewer
    if not viewer.is_manager:
        raise Http404
    week = selectors.last_complete_week(viewer.agency)
    count = 0
    for project in scoping.projects(viewer).filter(status="active").select_related("agency"):
        services.draft_now(viewer=viewer, project=project, week_start=week)
        count += 1
    messages.success(request, _("The week's drafts are ready."))
    return redirect(reverse("health:digests") + f"?week={week.isoformat()}")


def _detail(request, digest, form, status=200, conflict=None):
    context = {
        "digest": digest,
        "project": digest.project,
        "form": form,
        "week_label": week_label(digest.week_start),
        "conflict": conflict,
        "preview": form["body"].value() if form is not None else digest.body,
    }
    return render(request, "health/digests/detail.html", context, status=status)


@viewer_required
def digest_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One draft: edit the letter (Markdown), save it, or send it."""
    viewer = request.viewer
    digest = selectors.digest_or_404(viewer, pk)
    if digest.is_sent:
        return _detail(request, digest, None)
    if request.method != "POST":
        form = DigestForm(
            initial={"subject": digest.subject, "body": digest.body, "version": digest.version}
        )
        return _detail(request, digest, form)
    form = DigestForm(request.POST)
    if not form.is_valid():
        return _detail(request, digest, form, status=400)
    data = form.cleaned_data
    send = request.POST.get("action") == "send"
    service = services.send_digest if send else services.save_digest
    try:
        service(
            viewer=viewer,
            digest=digest,
            subject=data["subject"],
            body=data["body"],
            version=data["version"],
        )
    except concurrency.EditConflict as exc:
        # Keep what she typed; the hidden version moves on, so saving again is her choice
        # made with the saved text in front of her (kabinet.core.concurrency).
        current = selectors.digest_or_404(viewer, pk)
        form = concurrency.rebound(DigestForm, request.POST, exc)
        return _detail(
            request,
            current,
            None if current.is_sent else form,
            status=errors.CONFLICT,
            conflict=concurrency.conflict_context(exc, form),
        )
    except ValidationError as exc:
        current = selectors.digest_or_404(viewer, pk)
        status = errors.onto_form(form, exc)
        return _detail(request, current, form, status=status)
    if send:
        messages.success(request, _("Sent: the client has it in the chronology and by e-mail."))
    else:
        messages.success(request, _("Draft saved."))
    return redirect("health:digest", pk=pk)


@viewer_required
def project_digest(request: HttpRequest, pk: int) -> HttpResponse:
    """A project's weekly digest: for the client, the letters she got and her choice; for the
    manager, the project's drafts and the client's choice (which she may set on her behalf)."""
    viewer = request.viewer
    project = clients.project_detail(viewer, pk)
    if not (viewer.is_client or viewer.is_manager):
        raise Http404
    setting = selectors.setting_for(project.company)
    context = {
        "project": project,
        "setting": setting,
        "setting_form": DigestSettingForm(
            initial={"send_as_drafted": bool(setting and setting.send_as_drafted)}
        ),
        "letters": selectors.sent_letters(viewer, project),
        "drafts": selectors.project_digests(viewer, project) if viewer.is_manager else [],
    }
    return render(request, "health/digests/project.html", context)


@viewer_required
@require_POST
def digest_setting(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.viewer
    project = clients.project_detail(viewer, pk)
    form = DigestSettingForm(request.POST)
    form.is_valid()  # a checkbox: absent is "no"
    enabled = bool(form.cleaned_data.get("send_as_drafted"))
    services.set_send_as_drafted(viewer=viewer, company=project.company, enabled=enabled)
    if enabled:
        messages.success(request, _("From now on the weekly digest is sent as drafted."))
    else:
        messages.success(request, _("From now on the manager reviews the weekly digest first."))
    return redirect("health:project_digest", pk=pk)
