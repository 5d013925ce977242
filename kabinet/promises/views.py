from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kabinet.core import concurrency, errors
from kabinet.core.decorators import viewer_required
from kabinet.core.forms import PeriodForm
from kabinet.core.paging import paginate
from kabinet.core.scoping import (
    get_or_404,
    project_or_404,
    require_staff,
    scoped,
    staff_project_or_404,
)
from kabinet.promises import selectors, services
from kabinet.promises.forms import KeepForm, PromiseForm, RenegotiateForm, wall_clock


def _tz(viewer) -> ZoneInfo:
    return ZoneInfo(viewer.agency.timezone)


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


# ----------------------------------------------------------------------------- promises


@viewer_required
def project_promises(request: HttpRequest, project_id: int) -> HttpResponse:
    viewer = request.viewer
    project = project_or_404(viewer, project_id)
    return render(
        request,
        "promises/project_promises.html",
        {
            "project": project,
            "promises": selectors.project_promises(viewer, project.pk),
            "now": timezone.now(),
            "promise_proposals": selectors.proposals_panel(viewer, project.pk),
        },
    )


@viewer_required
def promise_new(request: HttpRequest, project_id: int) -> HttpResponse:
    viewer = request.viewer
    project = staff_project_or_404(viewer, project_id)
    tasks = list(selectors.open_tasks(viewer, project.pk))
    team = selectors.project_staff(project)
    form = PromiseForm(
        request.POST or None,
        tz=_tz(viewer),
        tasks=tasks,
        team=team,
        initial={"promised_by": str(viewer.user.pk)},
    )
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            promise = services.create_promise(
                viewer=viewer,
                project=project,
                what=form.cleaned_data["what"],
                due_at=form.cleaned_data["due_at"],
                quote=form.cleaned_data.get("quote", ""),
                promised_by=form.cleaned_data.get("promised_by"),
                **form.task_kwargs(),
            )
        except ValidationError as exc:
            status = errors.onto_form(form, exc)
        else:
            messages.success(request, _("Promise recorded: %(what)s") % {"what": promise.what})
            return redirect("promise", pk=promise.pk)
    return render(
        request, "promises/promise_form.html", {"project": project, "form": form}, status=status
    )


def _keep_form(viewer, promise, data=None, files=None) -> KeepForm:
    candidates = selectors.evidence_choices(viewer, promise)
    return KeepForm(data, files, tz=_tz(viewer), candidates=candidates)


def _detail_context(request: HttpRequest, promise, **extra) -> dict:
    viewer = request.viewer
    context = {
        "promise": promise,
        "project": promise.project,
        "renegotiations": selectors.renegotiations(promise),
        "now": timezone.now(),
        "task_promises": list(selectors.task_promises(viewer, promise.task))
        if promise.task_id
        else [],
    }
    if viewer.is_staff and promise.is_pending:
        context["keep_form"] = _keep_form(viewer, promise)
    context.update(extra)
    return context


@viewer_required
def promise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    promise = selectors.promise_or_404(request.viewer, pk)
    return render(request, "promises/promise_detail.html", _detail_context(request, promise))


@viewer_required
@require_POST
def promise_keep(request: HttpRequest, pk: int) -> HttpResponse:
    """Deliver: choose what the client already has, or write it now (with files). A refused file
    or any other error brings the form back with everything typed and uploaded kept."""
    viewer = request.viewer
    promise = selectors.staff_promise_or_404(viewer, pk)
    form = _keep_form(viewer, promise, request.POST, request.FILES)
    staged = form.stage(viewer)
    status = 400
    if form.is_complete():
        try:
            services.keep(
                viewer=viewer,
                promise=promise,
                evidence=form.cleaned_data["evidence"],
                message=form.cleaned_data["message"],
                attachment_ids=[a.pk for a in staged],
                at=form.cleaned_data["kept_at"],
            )
        except ValidationError as exc:
            status = errors.onto_form(form, exc)
        else:
            messages.success(request, _("Delivered and kept: %(what)s") % {"what": promise.what})
            return _back(request, promise_url(promise))
    form.keep_staged()
    return render(
        request,
        "promises/promise_detail.html",
        _detail_context(request, promise, keep_form=form, staged=staged),
        status=status,
    )


def promise_url(promise) -> str:
    return reverse("promise", args=[promise.pk])


@viewer_required
def promise_renegotiate(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.viewer
    promise = selectors.staff_promise_or_404(viewer, pk)
    tz = _tz(viewer)
    if request.method != "POST":
        calendar = viewer.agency.calendar()
        one_day = timedelta(hours=calendar.hours_per_day)
        suggested = calendar.end_of_business_day(
            calendar.add(max(promise.due_at, timezone.now()), one_day)
        )
        form = RenegotiateForm(
            tz=tz,
            initial={
                "new_due": wall_clock(suggested, tz),
                "message": services.draft_message(promise=promise, new_due=suggested, reason=""),
                "version": promise.version,
            },
        )
        return render(
            request,
            "promises/renegotiate.html",
            {"promise": promise, "project": promise.project, "form": form, "now": timezone.now()},
        )
    form = RenegotiateForm(request.POST, tz=tz)
    valid = form.is_valid()
    if request.POST.get("action") == "draft" or (
        valid and not form.cleaned_data["message"].strip()
    ):
        # Write the message from the date and reason typed; everything else stays as typed.
        data = request.POST.copy()
        new_due = (
            form.cleaned_data.get("new_due") if valid or "new_due" in form.cleaned_data else None
        )
        data["message"] = services.draft_message(
            promise=promise, new_due=new_due, reason=request.POST.get("reason", "")
        )
        form = RenegotiateForm(data, tz=tz)
        if request.POST.get("action") != "draft":
            form.is_valid()
            form.add_error(
                "message",
                _(
                    "Check the message to the client and send it: a new date is always told to them."
                ),
            )
        return render(
            request,
            "promises/renegotiate.html",
            {"promise": promise, "project": promise.project, "form": form, "now": timezone.now()},
            status=400 if request.POST.get("action") != "draft" else 200,
        )
    status = 400
    if valid:
        try:
            services.renegotiate(
                viewer=viewer,
                promise=promise,
                new_due=form.cleaned_data["new_due"],
                reason=form.cleaned_data["reason"],
                message=form.cleaned_data["message"],
                version=form.cleaned_data["version"],
            )
        except concurrency.EditConflict as exc:
            # Nothing was sent: the client has the first date only; her text stays in the form.
            promise.refresh_from_db()
            form = concurrency.rebound(RenegotiateForm, request.POST, exc, tz=tz)
            return render(
                request,
                "promises/renegotiate.html",
                {
                    "promise": promise,
                    "project": promise.project,
                    "form": form,
                    "now": timezone.now(),
                    "conflict": concurrency.conflict_context(exc, form),
                },
                status=errors.CONFLICT,
            )
        except ValidationError as exc:
            status = errors.onto_form(form, exc)
        else:
            messages.success(request, _("The new date is recorded and the client has the message."))
            return redirect("promise", pk=promise.pk)
    return render(
        request,
        "promises/renegotiate.html",
        {"promise": promise, "project": promise.project, "form": form, "now": timezone.now()},
        status=status,
    )


@viewer_required
@require_POST
def task_done(request: HttpRequest, task_id: int) -> HttpResponse:
    """The form of `promises/_task_promises.html`: complete the task, then deliver its promises.

    A task done is not a kept promise: with one promise waiting, the next page is that promise's
    "deliver" form."""
    from kabinet.work.models import Task

    viewer = request.viewer
    require_staff(viewer)
    task = get_or_404(scoped(viewer, Task.objects.select_related("project")), pk=task_id)
    try:
        waiting = services.complete_task(viewer=viewer, task=task)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return _back(request, reverse("project_promises", args=[task.project_id]))
    messages.success(request, _("Task done: %(title)s") % {"title": task.title})
    if waiting:
        messages.info(
            request, _("Now deliver it to the client: the promise is kept when the client has it.")
        )
    if len(waiting) == 1:
        return redirect(promise_url(waiting[0]) + "#deliver")
    return _back(request, reverse("project_promises", args=[task.project_id]))


@viewer_required
def my_promises(request: HttpRequest) -> HttpResponse:
    viewer = request.viewer
    now = timezone.now()
    page = paginate(selectors.pending_promises(viewer), request.GET)
    proposals = paginate(selectors.pending_proposals(viewer), request.GET, param="proposals_page")
    risks = paginate(selectors.expectation_risks(viewer), request.GET, param="risks_page")
    return render(
        request,
        "promises/my_promises.html",
        {
            "overdue": [p for p in page if p.due_at < now],
            "upcoming": [p for p in page if p.due_at >= now],
            "page": page,
            "proposals": proposals,
            "risks": risks,
            "now": now,
        },
    )


@viewer_required
def numbers(request: HttpRequest) -> HttpResponse:
    viewer = request.viewer
    require_staff(viewer)
    tz = _tz(viewer)
    form = PeriodForm(request.GET or None, default_days=90)
    today = timezone.localdate(timezone.now(), tz)
    start, end = form.instants(tz, today)
    start_day, end_day = form.days(today)
    data = selectors.numbers(viewer, start, end)
    return render(
        request,
        "promises/numbers.html",
        {"form": form, "numbers": data, "start_day": start_day, "end_day": end_day},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


# ----------------------------------------------------------------------------- proposals


def _proposal_form(viewer, proposal, data=None) -> PromiseForm:
    tz = _tz(viewer)
    return PromiseForm(
        data,
        tz=tz,
        tasks=list(selectors.open_tasks(viewer, proposal.project_id)),
        with_quote=False,
        initial={
            "what": services.default_what(quote=proposal.quote),
            "due_at": wall_clock(proposal.due_at, tz),
        },
    )


@viewer_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """“Change date…”: the proposal as a form (wording, due time, task) before confirming."""
    viewer = request.viewer
    proposal = selectors.proposal_or_404(viewer, pk)
    return render(
        request,
        "promises/proposal_form.html",
        {
            "proposal": proposal,
            "project": proposal.project,
            "form": _proposal_form(viewer, proposal),
        },
    )


@viewer_required
@require_POST
def proposal_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.viewer
    proposal = selectors.proposal_or_404(viewer, pk)
    if "due_at" in request.POST:  # the full form
        form = _proposal_form(viewer, proposal, request.POST)
        kwargs = {}
        if form.is_valid():
            kwargs = {
                "what": form.cleaned_data["what"],
                "due_at": form.cleaned_data["due_at"],
                **form.task_kwargs(),
            }
    else:  # one click from the panel
        form, kwargs = None, {}
    status = 400
    if form is None or form.is_valid():
        try:
            promise = services.confirm_proposal(viewer=viewer, proposal=proposal, **kwargs)
        except ValidationError as exc:
            if form is None:
                # A one-click confirmation that cannot go through (e.g. the due time has passed):
                # the form, filled with the proposal, and the reason.
                tz = _tz(viewer)
                form = _proposal_form(
                    viewer,
                    proposal,
                    {
                        "what": services.default_what(quote=proposal.quote),
                        "due_at": wall_clock(proposal.due_at, tz),
                        "task": "new",
                    },
                )
                form.is_valid()
            status = errors.onto_form(form, exc)
        else:
            if request.htmx:
                return render(
                    request, "promises/_proposal.html", {"proposal": proposal, "confirmed": promise}
                )
            messages.success(request, _("Promise recorded: %(what)s") % {"what": promise.what})
            return _back(request, promise_url(promise))
    if request.htmx:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("promise_proposal", args=[proposal.pk])
        return response
    return render(
        request,
        "promises/proposal_form.html",
        {"proposal": proposal, "project": proposal.project, "form": form},
        status=status,
    )


@viewer_required
@require_POST
def proposal_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.viewer
    proposal = selectors.proposal_or_404(viewer, pk)
    services.dismiss_proposal(viewer=viewer, proposal=proposal)
    if request.htmx:
        return HttpResponse("")
    messages.info(request, _("Dismissed: it is not a promise."))
    return _back(request, reverse("project", args=[proposal.project_id]))


@viewer_required
def project_proposals(request: HttpRequest, project_id: int) -> HttpResponse:
    """The panel alone, for htmx refreshes."""
    project = staff_project_or_404(request.viewer, project_id)
    proposals = selectors.proposals_panel(request.viewer, project.pk)
    return render(
        request,
        "promises/_proposals_panel.html",
        {"project": project, "promise_proposals": proposals},
    )
