from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kabinet.core import concurrency, errors, limits, selectors, services
from kabinet.core.decorators import viewer_required
from kabinet.core.forms import CalendarForm, LanguageForm, NotificationPreferencesForm, SettingsForm
from kabinet.core.scoping import require_head, viewer_for


def home(request: HttpRequest) -> HttpResponse:
    """Staff land on their projects; a client on her project's home (kabinet.health)."""
    if not request.user.is_authenticated:
        return redirect("login")
    viewer = viewer_for(request.user)
    return redirect("health:home" if viewer is not None and viewer.is_client else "projects")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch language: remembered on the user when logged in, in a cookie otherwise."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            request.user.language = language
            request.user.save(update_fields=["language"])
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax"
        )
    return response


@viewer_required
def user_settings(request: HttpRequest) -> HttpResponse:
    from kabinet.api import tokens

    new_key, token_errors = None, []
    viewer = request.viewer
    preferences = NotificationPreferencesForm(viewer=viewer)
    if request.method == "POST" and request.POST.get("section") == "notifications":
        form = SettingsForm(instance=request.user)
        preferences = NotificationPreferencesForm(request.POST, viewer=viewer)
        if preferences.is_valid():
            services.set_preferences(viewer=viewer, choices=preferences.choices())
            messages.success(request, _("Notification settings saved."))
            return redirect(reverse("settings") + "#notifications")
    elif request.method == "POST" and "token_name" in request.POST:
        form = SettingsForm(instance=request.user)
        days = request.POST.get("token_expires", "")
        try:
            _token, new_key = tokens.create_token(
                user=request.user,
                agency=viewer.agency,
                name=request.POST["token_name"],
                expires_in_days=int(days) if days.isdigit() else None,
            )
        except ValidationError as exc:
            token_errors = exc.messages
    elif request.method == "POST" and "revoke_token" in request.POST:
        token_id = limits.as_id(request.POST["revoke_token"])
        if token_id is None:
            token_errors = [_("The token to revoke: that is not one of your tokens.")]
            form = SettingsForm(instance=request.user)
        else:
            token = get_object_or_404(request.user.api_tokens, pk=token_id)
            tokens.revoke_token(token=token, user=request.user)
            messages.success(
                request, _("Token revoked: programs using it are refused from now on.")
            )
            return redirect(reverse("settings") + "#tokens")
    else:
        form = SettingsForm(request.POST or None, instance=request.user)
        if request.method == "POST" and form.is_valid():
            form.save()
            messages.success(request, _("Settings saved."))
            return redirect("settings")
    context = {
        "form": form,
        "preferences": preferences,
        "tokens": tokens.tokens_of(user=request.user).filter(agency=viewer.agency),
        "token_errors": token_errors,
        "new_key": new_key,
    }
    return render(
        request,
        "core/settings.html",
        context,
        status=400 if form.errors or preferences.errors or token_errors else 200,
    )


@viewer_required
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.mark_read(viewer=request.viewer)
        return redirect("notifications")
    items = selectors.notification_list(request.viewer)
    return render(request, "core/notifications.html", {"items": items})


@viewer_required
def calendar(request: HttpRequest) -> HttpResponse:
    """The head edits the agency's business calendar; everyone else gets 404."""
    require_head(request.viewer)
    agency = request.viewer.agency
    if request.method != "POST":
        form = CalendarForm(initial=CalendarForm.initial_for(agency))
        return render(request, "core/calendar.html", {"form": form, "agency": agency})
    form = CalendarForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.save_calendar(
                viewer=request.viewer,
                timezone_name=data["timezone"],
                country=data["country"],
                work_start=data["work_start"],
                work_end=data["work_end"],
                weekend=data["weekend"],
                days_off=data["days_off"],
                working_days=data["working_days"],
                version=data["version"],
            )
        except concurrency.EditConflict as exc:
            agency.refresh_from_db()
            form = concurrency.rebound(CalendarForm, request.POST, exc)
            context = {
                "form": form,
                "agency": agency,
                "conflict": concurrency.conflict_context(exc, form),
            }
            return render(request, "core/calendar.html", context, status=errors.CONFLICT)
        except ValidationError as exc:
            errors.onto_form(form, exc)
        else:
            messages.success(request, _("Calendar saved; SLA clocks and schedules now follow it."))
            return redirect("calendar")
    return render(request, "core/calendar.html", {"form": form, "agency": agency}, status=400)


@never_cache
@require_GET
def health_check(request: HttpRequest) -> HttpResponse:
    """`/health/` for load balancers and monitors: no login, no secrets; 503 when unhealthy."""
    from kabinet.jobs import status

    report = status.report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


@viewer_required
@require_POST
def draft(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Keep the text typed so far (htmx, while typing): the viewer's own draft of that form."""
    from django.utils import formats, timezone

    from kabinet.core import drafts

    try:
        saved = drafts.save_draft(viewer=request.viewer, kind=kind, pk=pk, data=request.POST)
    except ValidationError as exc:
        return HttpResponse(
            '<span class="error">' + escape(" ".join(exc.messages)) + "</span>", status=200
        )
    if saved is None:
        return HttpResponse("")
    when = formats.time_format(timezone.localtime(saved.updated_at), "H:i")
    return HttpResponse(escape(_("Draft saved at %(time)s.") % {"time": when}))
