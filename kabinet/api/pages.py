"""Thin views: the head's webhook endpoints and delivery log, the calendar feed and its URL."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kabinet.api import feeds
from kabinet.api import webhooks as hooks
from kabinet.api.forms import EndpointForm
from kabinet.core import errors
from kabinet.core.decorators import viewer_required


def _or_404(call, *args, **kwargs):
    """Run a service or selector; what the viewer may not see or do is a 404 (never a 403)."""
    try:
        return call(*args, **kwargs)
    except (PermissionDenied, ObjectDoesNotExist) as exc:
        raise Http404 from exc


@viewer_required
def webhooks(request: HttpRequest) -> HttpResponse:
    """The head's endpoints; everyone else gets 404."""
    viewer = request.viewer
    endpoints = _or_404(hooks.endpoints, viewer=viewer)
    form = EndpointForm(request.POST or None)
    new_secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                endpoint, new_secret = hooks.create_endpoint(
                    viewer=viewer,
                    url=form.cleaned_data["url"],
                    description=form.cleaned_data["description"],
                    event_kinds=form.cleaned_data["event_kinds"],
                )
            except ValidationError as exc:
                status = errors.onto_form(form, exc)
            else:
                return render(
                    request,
                    "api/webhook_secret.html",
                    {"endpoint": endpoint, "secret": new_secret},
                )
        else:
            status = 400
    return render(
        request,
        "api/webhooks.html",
        {"endpoints": endpoints, "form": form, "kinds": hooks.KINDS},
        status=status,
    )


@viewer_required
def webhook(request: HttpRequest, pk: int) -> HttpResponse:
    """One endpoint: edit it, rotate its secret, delete it, and read its delivery log."""
    viewer = request.viewer
    endpoint = _or_404(hooks.endpoint_of, viewer=viewer, pk=pk)
    initial = {
        "url": endpoint.url,
        "description": endpoint.description,
        "event_kinds": endpoint.event_kinds,
        "is_active": endpoint.is_active,
    }
    form = EndpointForm(initial=initial)
    status = 200
    if request.method == "POST":
        if "rotate" in request.POST:
            secret = hooks.rotate_secret(viewer=viewer, endpoint=endpoint)
            return render(
                request, "api/webhook_secret.html", {"endpoint": endpoint, "secret": secret}
            )
        if "delete" in request.POST:
            hooks.delete_endpoint(viewer=viewer, endpoint=endpoint)
            flash.success(request, _("Webhook endpoint deleted."))
            return redirect("hooks:webhooks")
        form = EndpointForm(request.POST)
        if form.is_valid():
            try:
                hooks.change_endpoint(
                    viewer=viewer,
                    endpoint=endpoint,
                    url=form.cleaned_data["url"],
                    description=form.cleaned_data["description"],
                    event_kinds=form.cleaned_data["event_kinds"],
                    is_active=form.cleaned_data["is_active"],
                )
            except ValidationError as exc:
                status = errors.onto_form(form, exc)
            else:
                flash.success(request, _("Webhook endpoint saved."))
                return redirect("hooks:webhook", pk=endpoint.pk)
        else:
            status = 400
    log = hooks.delivery_log(viewer=viewer, endpoint=endpoint)
    return render(
        request,
        "api/webhook.html",
        {"endpoint": endpoint, "form": form, "log": log, "kinds": hooks.KINDS},
        status=status,
    )


@require_POST
@viewer_required
def calendar_feed_rotate(request: HttpRequest) -> HttpResponse:
    """Make the viewer's calendar URL, or a new one (the old URL stops working)."""
    had = feeds.feed_of(viewer=request.viewer) is not None
    feeds.rotate_feed(viewer=request.viewer)
    if had:
        flash.success(request, _("A new calendar URL: the old one no longer works."))
    return redirect(reverse("settings") + "#calendar")


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed behind a secret URL (no login: the token is the key)."""
    viewer = feeds.viewer_of_token(token)
    response = HttpResponse(feeds.ics(viewer=viewer), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Disposition"] = 'inline; filename="kabinet.ics"'
    return response
