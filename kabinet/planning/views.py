"""Thin views: parse, call a selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kabinet.core import errors
from kabinet.core.decorators import viewer_required
from kabinet.core.scoping import require_staff
from kabinet.planning import selectors, services
from kabinet.planning.forms import AcceptForm, RejectForm, WeightsForm
from kabinet.planning.models import DeadlineProposal


def _int_or_404(raw: str | None) -> int | None:
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc


# --------------------------------------------------------------------------- the queue


def _queue_context(request: HttpRequest, person) -> dict:
    viewer = request.viewer
    q = selectors.queue(viewer, person)
    return {
        "q": q,
        "person": person,
        "people": selectors.people(viewer) if viewer.is_manager else None,
        "can_boost": viewer.is_manager,
        "pin_allowed": viewer.is_manager or person.pk == viewer.user.pk,
    }


@require_GET
@viewer_required
def queue(request: HttpRequest) -> HttpResponse:
    person = selectors.person_or_404(request.viewer, _int_or_404(request.GET.get("person")))
    return render(request, "planning/queue.html", _queue_context(request, person))


def _after_queue_change(request: HttpRequest, task) -> HttpResponse:
    # The change enqueued a replan (never computed here, inside the request): the queue shows
    # the last plan and says that a newer one is coming.
    person = task.assignee or request.viewer.user
    try:
        person = selectors.person_or_404(request.viewer, person.pk)
    except Http404:
        person = request.viewer.user
    if request.htmx:
        return render(request, "planning/_queue.html", _queue_context(request, person))
    return redirect(f"{reverse('planning:queue')}?person={person.pk}")


@require_POST
@viewer_required
def pin(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_or_404(request.viewer, pk)
    services.set_pinned(viewer=request.viewer, task=task, pinned=request.POST.get("pinned") == "1")
    task.refresh_from_db()
    return _after_queue_change(request, task)


@require_POST
@viewer_required
def boost(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_or_404(request.viewer, pk)
    try:
        services.set_boost(viewer=request.viewer, task=task, boost=request.POST.get("boost", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        if request.htmx:
            ctx = _queue_context(request, task.assignee or request.viewer.user)
            ctx["error"] = " ".join(exc.messages)
            return render(request, "planning/_queue.html", ctx)
        return redirect(f"{reverse('planning:queue')}?person={task.assignee_id or ''}")
    task.refresh_from_db()
    return _after_queue_change(request, task)


@require_POST
@viewer_required
def recompute(request: HttpRequest) -> HttpResponse:
    require_staff(request.viewer)
    services.request_replan(agency_id=request.viewer.agency.pk)  # a background job computes it
    messages.success(
        request, _("The schedule is being recomputed; this page shows it in a moment.")
    )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("planning:queue")
    return redirect(target)


# --------------------------------------------------------------------------- at risk


def _tz(proposal: DeadlineProposal):
    from zoneinfo import ZoneInfo

    return ZoneInfo(proposal.agency.timezone)


def _proposal_forms(proposal: DeadlineProposal) -> tuple[AcceptForm, RejectForm]:
    from kabinet.planning.wording import CLIENT_REASONS

    tz = _tz(proposal)
    known = proposal.client_reason in CLIENT_REASONS
    return (
        AcceptForm(
            tz=tz,
            initial={
                "new_due": proposal.new_due.astimezone(tz).strftime("%Y-%m-%dT%H:%M"),
                "client_reason": proposal.client_reason if known else "",
                "client_reason_text": "" if known else proposal.client_reason,
                "message": proposal.message,
                "reason": proposal.reason,
                "seen_new_due": proposal.new_due,
            },
        ),
        RejectForm(),
    )


@require_GET
@viewer_required
def at_risk(request: HttpRequest) -> HttpResponse:
    data = selectors.at_risk(request.viewer)
    cards = [(p, *_proposal_forms(p)) for p in data.proposals]
    commitments = selectors.commitments_at_risk(request.viewer)
    return render(
        request,
        "planning/at_risk.html",
        {"data": data, "cards": cards, "commitments": commitments},
    )


def _card(
    request: HttpRequest, proposal, accept_form, reject_form, status: int = 200
) -> HttpResponse:
    if request.htmx:
        # htmx swaps 200 responses only: errors come back as 200 with the form kept.
        return render(
            request,
            "planning/_proposal.html",
            {"p": proposal, "accept_form": accept_form, "reject_form": reject_form},
        )
    data = selectors.at_risk(request.viewer)
    cards = [
        (p, accept_form, reject_form) if p.pk == proposal.pk else (p, *_proposal_forms(p))
        for p in data.proposals
    ]
    if proposal.pk not in {p.pk for p in data.proposals}:
        cards.insert(0, (proposal, accept_form, reject_form))
    context = {
        "data": data,
        "cards": cards,
        "commitments": selectors.commitments_at_risk(request.viewer),
    }
    return render(request, "planning/at_risk.html", context, status=status)


@require_POST
@viewer_required
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_or_404(request.viewer, pk)
    form = AcceptForm(request.POST, tz=_tz(proposal))
    reject_form = RejectForm()
    status = 400
    if form.is_valid():
        try:
            proposal = services.accept_proposal(
                viewer=request.viewer,
                proposal=proposal,
                message=form.cleaned_data["message"],
                reason=form.cleaned_data["reason"],
                client_reason=form.chosen_reason(),
                new_due=form.cleaned_data["new_due"],
                seen_new_due=form.cleaned_data["seen_new_due"],
            )
        except ValidationError as exc:
            status = errors.onto_form(form, exc)
            proposal.refresh_from_db()
        else:
            if not request.htmx:
                messages.success(
                    request, _("Deadline moved: %(title)s.") % {"title": proposal.task.title}
                )
                return redirect("planning:at_risk")
            return _card(request, proposal, form, reject_form)
    return _card(request, proposal, form, reject_form, status=status)


@require_POST
@viewer_required
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_or_404(request.viewer, pk)
    form = RejectForm(request.POST)
    accept_form = _proposal_forms(proposal)[0]
    status = 400
    if form.is_valid():
        try:
            proposal = services.reject_proposal(
                viewer=request.viewer, proposal=proposal, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            status = errors.onto_form(form, exc)
        else:
            if not request.htmx:
                messages.success(
                    request, _("The deadline stays: %(title)s.") % {"title": proposal.task.title}
                )
                return redirect("planning:at_risk")
            return _card(request, proposal, accept_form, form)
    return _card(request, proposal, accept_form, form, status=status)


@require_POST
@viewer_required
def ask_move(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Propose moving the date anyway": a manager asks for a second move of a commitment."""
    task = selectors.task_or_404(request.viewer, pk)
    try:
        services.ask_for_move(viewer=request.viewer, task=task)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.info(request, _("A move is proposed below: check the date and the message."))
    return redirect("planning:at_risk")


# --------------------------------------------------------------------------- weights


@require_http_methods(["GET", "POST"])
@viewer_required
def weights(request: HttpRequest) -> HttpResponse:
    row = selectors.weights_page(request.viewer)
    if request.method == "POST":
        form = WeightsForm(request.POST)
        form.is_valid()
        try:
            services.save_weights(
                viewer=request.viewer,
                weights=form.weights(),
                capacity_hours=request.POST.get("capacity_hours", ""),
            )
        except ValidationError as exc:
            # The service names factors ("promise"); the form's fields are "w_promise".
            fields = {name: f"w_{name}" for name in form.weights()}
            errors.onto_form(form, exc, fields=fields)
        else:
            messages.success(
                request, _("Priority weights saved; the schedule is being recomputed.")
            )
            return redirect("planning:weights")
        return render(request, "planning/weights.html", {"form": form, "row": row}, status=400)
    initial = {f"w_{k}": v for k, v in row.merged().items()}
    initial["capacity_hours"] = row.capacity_hours
    return render(
        request, "planning/weights.html", {"form": WeightsForm(initial=initial), "row": row}
    )
