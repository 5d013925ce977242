"""Thin views: parse, call a selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kabinet.core import concurrency, errors
from kabinet.core.decorators import viewer_required
from kabinet.core.scoping import require_staff
from kabinet.planning import selectors, services
from kabinet.planning.forms import (
    AbsenceForm,
    AcceptForm,
    BoostForm,
    PinForm,
    RejectForm,
    ScheduleForm,
    SkillsForm,
    WeightsForm,
)
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
    query = QueryDict(mutable=True)  # the person stays in the page links, htmx answers included
    query["person"] = str(person.pk)
    if request.GET.get("page"):
        query["page"] = request.GET["page"]
    q = selectors.queue(viewer, person, query)
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


def _queue_person(request: HttpRequest, task):
    person = task.assignee or request.viewer.user
    try:
        return selectors.person_or_404(request.viewer, person.pk)
    except Http404:
        return request.viewer.user


def _after_queue_change(request: HttpRequest, task) -> HttpResponse:
    # The change enqueued a replan (never computed here, inside the request): the queue shows
    # the last plan and says that a newer one is coming.
    person = _queue_person(request, task)
    if request.htmx:
        return render(request, "planning/_queue.html", _queue_context(request, person))
    return redirect(f"{reverse('planning:queue')}?person={person.pk}")


def _queue_conflict(request: HttpRequest, task, exc: concurrency.EditConflict, form):
    """The task changed since the queue was loaded: nothing was written; the queue as it is now
    (its buttons carry the new version) under the panel with what was asked and what is saved.
    409; htmx swaps it in (base.html's htmx-config)."""
    task.refresh_from_db()
    context = _queue_context(request, _queue_person(request, task))
    context["conflict"] = {**concurrency.conflict_context(exc, form), "resubmit": False}
    template = "planning/_queue.html" if request.htmx else "planning/queue.html"
    return render(request, template, context, status=errors.CONFLICT)


@require_POST
@viewer_required
def pin(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_or_404(request.viewer, pk)
    form = PinForm(request.POST)
    form.is_valid()
    try:
        services.set_pinned(
            viewer=request.viewer,
            task=task,
            pinned=request.POST.get("pinned") == "1",
            version=form.cleaned_data.get("version"),
        )
    except concurrency.EditConflict as exc:
        return _queue_conflict(request, task, exc, form)
    task.refresh_from_db()
    return _after_queue_change(request, task)


@require_POST
@viewer_required
def boost(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_or_404(request.viewer, pk)
    form = BoostForm(request.POST)
    form.is_valid()
    try:
        services.set_boost(
            viewer=request.viewer,
            task=task,
            boost=request.POST.get("boost", ""),
            version=form.cleaned_data.get("version"),
        )
    except concurrency.EditConflict as exc:
        return _queue_conflict(request, task, exc, form)
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
                "version": proposal.task.version,
            },
        ),
        RejectForm(),
    )


def _board_context(request: HttpRequest, **extra) -> dict:
    viewer = request.viewer
    board = selectors.risk_board(
        viewer,
        group=request.GET.get("group", "client"),
        page=request.GET.get("page", 1),
        close_calls=False,  # fetched when the fold is opened (`close_calls`)
    )
    few = board.summary.moves <= 3  # a few decisions: their forms are shown open
    # The forms shown open are built here; a closed card's form is fetched when the manager
    # opens it (`proposal_card`) — with a dozen proposals on the page their widgets were the
    # most expensive thing it rendered.
    cards = {}
    for row in board.rows:
        if row.proposal is not None and (few or row.proposal.asked_by_id):
            cards[row.proposal.pk] = _proposal_forms(row.proposal)
    decided = extra.pop("decided", None)
    if decided is not None:
        cards[decided[0].pk] = decided[1:]
    rows = [
        (row, *(cards.get(row.proposal.pk, (None, None)) if row.proposal else (None, None)))
        for row in board.rows
    ]
    commitments, commitments_total = selectors.commitments_at_risk_and_count(viewer)
    context = {
        "board": board,
        "data": board,
        "rows": rows,
        "open_all": few,
        "commitments": commitments,
        "commitments_total": commitments_total,
        "bulk_errors": {},
        "bulk_values": {},
    }
    if decided is not None and decided[0].pk not in {
        r.proposal.pk for r in board.rows if r.proposal
    }:
        context["decided_card"] = decided
    context.update(extra)
    return context


@require_GET
@viewer_required
def at_risk(request: HttpRequest) -> HttpResponse:
    return render(request, "planning/at_risk.html", _board_context(request))


@require_GET
@viewer_required
def close_calls(request: HttpRequest) -> HttpResponse:
    """The at-risk page's close calls (on time, little to spare), fetched when the manager opens
    the fold (htmx: the list alone; without JavaScript: a page of its own)."""
    near, total = selectors.close_calls(request.viewer)
    template = "planning/_close_calls.html" if request.htmx else "planning/close_calls.html"
    return render(request, template, {"close_calls": near, "total": total})


@require_GET
@viewer_required
def proposal_card(request: HttpRequest, pk: int) -> HttpResponse:
    """One deadline proposal with its decision forms, fetched when the manager opens it on the
    at-risk board (htmx: the card alone; without JavaScript: a page of its own). Managers and
    the head of its project; everyone else 404."""
    proposal = selectors.proposal_or_404(request.viewer, pk)
    accept_form, reject_form = _proposal_forms(proposal)
    template = "planning/_proposal.html" if request.htmx else "planning/proposal.html"
    return render(
        request, template, {"p": proposal, "accept_form": accept_form, "reject_form": reject_form}
    )


def _card(
    request: HttpRequest, proposal, accept_form, reject_form, status: int = 200, conflict=None
) -> HttpResponse:
    if request.htmx:
        # htmx swaps 2xx and 409 (base.html's htmx-config): a form error comes back as 200 with
        # the form kept, a conflict as 409 with the panel.
        return render(
            request,
            "planning/_proposal.html",
            {
                "p": proposal,
                "accept_form": accept_form,
                "reject_form": reject_form,
                "conflict": conflict,
            },
            status=errors.CONFLICT if conflict else 200,
        )
    context = _board_context(
        request, decided=(proposal, accept_form, reject_form), conflict=conflict
    )
    return render(request, "planning/at_risk.html", context, status=status)


def _version(raw: str | None) -> int | None:
    """A version a page sent in a plain input; anything but a number is not checked."""
    field = concurrency.VersionField()
    try:
        return field.clean(raw)
    except ValidationError:
        return None


def _parse_due(raw: str, tz):
    from datetime import datetime

    from django.utils import timezone

    raw = (raw or "").strip()
    if not raw:
        return None
    for fmt in ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"):
        try:
            return timezone.make_aware(datetime.strptime(raw, fmt), tz)
        except ValueError:
            continue
    raise ValueError(raw)


@require_POST
@viewer_required
def bulk_accept(request: HttpRequest) -> HttpResponse:
    """One form for the ticked internal moves, each with its date as edited."""
    viewer = request.viewer
    picked = [_int_or_404(pk) for pk in request.POST.getlist("pick")]
    values = {k: v for k, v in request.POST.items() if k.startswith("due_")}
    bulk_errors: dict[str, str] = {}
    status = 400
    moves = []
    for pk in picked:
        proposal = selectors.proposal_or_404(viewer, pk)
        try:
            new_due = _parse_due(request.POST.get(f"due_{pk}", ""), _tz(proposal))
        except ValueError:
            bulk_errors[f"due_{pk}"] = _("Give the date like 2026-12-24 18:00.")
            continue
        moves.append((proposal, new_due, _version(request.POST.get(f"version_{pk}"))))
    if not bulk_errors:
        try:
            done = services.accept_internal_moves(
                viewer=viewer, moves=moves, reason=request.POST.get("bulk_reason", "")
            )
        except ValidationError as exc:
            # 409 when a ticked task changed since the page was loaded (the row says how).
            status = errors.status_for(exc) or 400
            bulk_errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
        else:
            messages.success(
                request,
                _("Deadlines moved: %(count)s internal tasks.") % {"count": len(done)},
            )
            query = request.GET.urlencode()
            return redirect(reverse("planning:at_risk") + (f"?{query}" if query else ""))
    context = _board_context(
        request,
        bulk_errors=bulk_errors,
        bulk_values={
            "picked": {str(pk) for pk in picked},
            "reason": request.POST.get("bulk_reason", ""),
            **values,
        },
    )
    return render(request, "planning/at_risk.html", context, status=status)


@require_POST
@viewer_required
def reassign_accept(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.reassignment_or_404(request.viewer, pk)
    try:
        proposal = services.accept_reassignment(viewer=request.viewer, proposal=proposal)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("«%(title)s» is now with %(name)s; the plan is being recomputed.")
            % {"title": proposal.task.title, "name": proposal.to_person.full_name},
        )
    return redirect(_back_to_board(request))


@require_POST
@viewer_required
def reassign_reject(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.reassignment_or_404(request.viewer, pk)
    try:
        services.reject_reassignment(
            viewer=request.viewer, proposal=proposal, note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("«%(title)s» stays with its person; this move is not proposed again.")
            % {"title": proposal.task.title},
        )
    return redirect(_back_to_board(request))


def _back_to_board(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("planning:at_risk")
    return target


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
                version=form.cleaned_data["version"],
            )
        except concurrency.EditConflict as exc:
            proposal.refresh_from_db()
            # What was typed stays; the hidden version moves on, so accepting again is a choice
            # made with the saved task in view.
            form = concurrency.rebound(AcceptForm, request.POST, exc, tz=_tz(proposal))
            conflict = {**concurrency.conflict_context(exc, form), "pk": proposal.pk}
            return _card(request, proposal, form, reject_form, errors.CONFLICT, conflict)
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
        except concurrency.EditConflict as exc:
            proposal.refresh_from_db()
            conflict = {**concurrency.conflict_context(exc, form), "pk": proposal.pk}
            return _card(request, proposal, accept_form, form, errors.CONFLICT, conflict)
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
        services.ask_for_move(
            viewer=request.viewer, task=task, version=_version(request.POST.get("version"))
        )
    except concurrency.EditConflict as exc:
        # The task changed since the board was loaded (its date moved, say): nothing is asked;
        # the board as it is now under the panel with the task as stored.
        context = _board_context(request, conflict=concurrency.conflict_context(exc))
        return render(request, "planning/at_risk.html", context, status=errors.CONFLICT)
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
                version=form.cleaned_data.get("version"),
            )
        except concurrency.EditConflict as exc:
            row = selectors.weights_page(request.viewer)
            form = concurrency.rebound(WeightsForm, request.POST, exc)
            context = {
                "form": form,
                "row": row,
                "conflict": concurrency.conflict_context(exc, form),
            }
            return render(request, "planning/weights.html", context, status=errors.CONFLICT)
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
    initial["version"] = row.version
    return render(
        request, "planning/weights.html", {"form": WeightsForm(initial=initial), "row": row}
    )


# --------------------------------------------------------------------------- availability


def _availability_context(request: HttpRequest, data, **forms_) -> dict:
    schedule = data.schedule
    initial = {}
    if schedule is not None:
        initial = {
            "work_start": schedule.work_start.strftime("%H:%M") if schedule.work_start else "",
            "work_end": schedule.work_end.strftime("%H:%M") if schedule.work_end else "",
            "weekdays": [str(d) for d in schedule.weekdays],
            "capacity_hours": schedule.capacity_hours
            if schedule.capacity_hours is not None
            else "",
            "skills": [str(s.pk) for s in schedule.skills.all()],
        }
    context = {
        "a": data,
        "schedule_form": ScheduleForm(initial=initial, skills=data.skills),
        "absence_form": AbsenceForm(),
        "skills_form": SkillsForm(initial={"skills": "\n".join(s.name for s in data.skills)}),
        "agency": request.viewer.agency,
    }
    context.update(forms_)
    return context


@require_http_methods(["GET", "POST"])
@viewer_required
def availability(request: HttpRequest) -> HttpResponse:
    """My availability: own hours, days, capacity, skills and absences; the head edits anyone's."""
    viewer = request.viewer
    data = selectors.availability(viewer, _int_or_404(request.GET.get("person")))
    url = f"{reverse('planning:availability')}?person={data.person.pk}"
    if request.method == "GET":
        return render(request, "planning/availability.html", _availability_context(request, data))
    if request.POST.get("form") == "absence":
        form = AbsenceForm(request.POST)
        form.is_valid()
        try:
            services.add_absence(
                viewer=viewer,
                person=data.person,
                kind=request.POST.get("kind", ""),
                starts_on=request.POST.get("starts_on", ""),
                ends_on=request.POST.get("ends_on", ""),
                note=request.POST.get("note", ""),
            )
        except ValidationError as exc:
            errors.onto_form(form, exc)
            context = _availability_context(request, data, absence_form=form)
            return render(request, "planning/availability.html", context, status=400)
        messages.success(request, _("Absence saved; the plan is being recomputed."))
        return redirect(url)
    form = ScheduleForm(request.POST, skills=data.skills)
    form.is_valid()
    try:
        services.save_schedule(
            viewer=viewer,
            person=data.person,
            work_start=request.POST.get("work_start", ""),
            work_end=request.POST.get("work_end", ""),
            weekdays=request.POST.getlist("weekdays"),
            capacity_hours=request.POST.get("capacity_hours", ""),
            skills=request.POST.getlist("skills"),
        )
    except ValidationError as exc:
        errors.onto_form(form, exc)
        context = _availability_context(request, data, schedule_form=form)
        return render(request, "planning/availability.html", context, status=400)
    messages.success(request, _("Working time saved; the plan is being recomputed."))
    return redirect(url)


@require_POST
@viewer_required
def absence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    absence = selectors.absence_or_404(request.viewer, pk)
    person = absence.user_id
    services.remove_absence(viewer=request.viewer, absence=absence)
    messages.success(request, _("Absence removed; the plan is being recomputed."))
    return redirect(f"{reverse('planning:availability')}?person={person}")


@require_POST
@viewer_required
def skills(request: HttpRequest) -> HttpResponse:
    viewer = request.viewer
    form = SkillsForm(request.POST)
    form.is_valid()
    try:
        services.save_skills(viewer=viewer, names=request.POST.get("skills", ""))
    except ValidationError as exc:
        errors.onto_form(form, exc)
        data = selectors.availability(viewer, None)
        context = _availability_context(request, data, skills_form=form)
        return render(request, "planning/availability.html", context, status=400)
    messages.success(request, _("Skills saved."))
    return redirect("planning:availability")
