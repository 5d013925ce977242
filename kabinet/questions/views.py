"""Thin views: parse, call a selector or service, render. Every id goes through the selectors."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kabinet.core import concurrency, drafts, errors
from kabinet.core.decorators import once_per_form, viewer_required
from kabinet.core.forms import PeriodForm
from kabinet.core.scoping import (
    project_or_404,
    require_client,
    require_head,
    require_manager,
    require_staff,
)
from kabinet.promises import selectors as promises
from kabinet.questions import selectors, services
from kabinet.questions.forms import (
    AskForm,
    ClientMessageForm,
    RateForm,
    ReopenForm,
    ReplyForm,
    SlaPoliciesForm,
)
from kabinet.questions.models import Status
from kabinet.timeline import search

RELATED_LIMIT = 5


@viewer_required
def project_questions(request: HttpRequest, project_id: int) -> HttpResponse:
    viewer = request.viewer
    project = project_or_404(viewer, project_id)
    qs = selectors.project_threads(viewer, project.pk)
    context = {"project": project}
    if viewer.is_staff:
        context["rows"] = selectors.with_sla(viewer, qs)
    else:
        context["rows"] = [{"thread": t} for t in qs]
    return render(request, "questions/project_questions.html", context)


@viewer_required
@once_per_form
def ask(request: HttpRequest, project_id: int) -> HttpResponse:
    viewer = request.viewer
    project = project_or_404(viewer, project_id)
    require_client(viewer)
    staged: list = []
    if request.method == "POST":
        form = AskForm(request.POST, request.FILES)
        staged = form.stage(viewer)
        status = 400
        if form.is_complete():
            try:
                thread = services.ask(
                    viewer=viewer,
                    project=project,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    attachment_ids=[a.pk for a in staged],
                )
            except ValidationError as exc:
                status = errors.onto_form(form, exc)
            else:
                flash.success(request, _("Your question is sent. We will answer it here."))
                return redirect("questions:thread", pk=thread.pk)
        form.keep_staged()
    else:
        form, status = AskForm(), 200
    return render(
        request,
        "questions/ask.html",
        {"project": project, "form": form, "staged": staged},
        status=status,
    )


def _thread_context(request: HttpRequest, thread, **forms) -> dict:
    viewer = request.viewer
    message_list = list(selectors.messages(viewer, thread))
    files = selectors.attachments_of(viewer, message_list)
    context = {
        "thread": thread,
        "project": thread.project,
        "items": [{"message": m, "files": files.get(m.pk, [])} for m in message_list],
        "Status": Status,
        "owed_due": services.owed_due(thread=thread) if thread.status == Status.OWED else None,
    }
    if viewer.is_staff:
        context["sla"] = selectors.with_sla(viewer, selectors.threads(viewer).filter(pk=thread.pk))[
            0
        ].result
        context["reply_form"] = forms.get("reply_form") or _with_draft(viewer, thread, ReplyForm)
        context["promise_proposals"] = promises.proposals_panel(viewer, thread.project_id)
        if viewer.is_manager:
            context["team"] = selectors.team(viewer, thread)
        context["related"] = search.related(
            viewer,
            thread.project,
            _related_text(thread, message_list),
            RELATED_LIMIT,
            exclude_ids=selectors.related_exclusions(thread),
        )
    else:
        context["message_form"] = forms.get("message_form") or _with_draft(
            viewer, thread, ClientMessageForm
        )
        context["reopen_form"] = forms.get("reopen_form") or ReopenForm()
        context["rate_form"] = forms.get("rate_form") or RateForm()
    context["staged"] = forms.get("staged", [])
    form = context.get("reply_form") or context.get("message_form")
    if form is not None:
        context["draft_status"] = drafts.autosave(form, kind="answer", pk=thread.pk)
        context["draft_restored"] = bool(form.initial) and not form.is_bound
    return context


def _with_draft(viewer, thread, form_class):
    """The reply form, with the viewer's draft of it when there is one (a closed tab)."""
    return form_class(initial=drafts.restore(viewer=viewer, kind="answer", pk=thread.pk))


def _related_text(thread, message_list) -> str:
    """The subject and what the client wrote: that is what the answer is about."""
    client_text = " ".join(m.body for m in message_list if m.from_client)
    return f"{thread.subject} {client_text}"


@viewer_required
def thread_detail(request: HttpRequest, pk: int) -> HttpResponse:
    thread = selectors.thread_or_404(request.viewer, pk)
    return render(request, "questions/thread.html", _thread_context(request, thread))


@viewer_required
def related(request: HttpRequest, pk: int) -> HttpResponse:
    """The related-history panel for a text being typed (htmx), staff only."""
    viewer = request.viewer
    thread = selectors.thread_or_404(viewer, pk)
    require_staff(viewer)
    text = (request.GET.get("q") or "")[:2000] or _related_text(
        thread, list(selectors.messages(viewer, thread))
    )
    items = search.related(
        viewer,
        thread.project,
        text,
        RELATED_LIMIT,
        exclude_ids=selectors.related_exclusions(thread),
    )
    return render(request, "questions/_related.html", {"related": items, "thread": thread})


def _post_only(request: HttpRequest, thread) -> HttpResponse | None:
    """Scoping comes first (a stranger gets 404 on any method); a GET then goes to the thread."""
    if request.method != "POST":
        return redirect("questions:thread", pk=thread.pk)
    return None


@viewer_required
@once_per_form
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.viewer
    thread = selectors.thread_or_404(viewer, pk)
    if (response := _post_only(request, thread)) is not None:
        return response
    form_class = ReplyForm if viewer.is_staff else ClientMessageForm
    form = form_class(request.POST, request.FILES)
    staged = form.stage(viewer)
    status = 400
    if form.is_complete():
        ids = [a.pk for a in staged]
        try:
            if viewer.is_staff:
                message = services.reply(
                    viewer=viewer,
                    thread=thread,
                    body=form.cleaned_data["body"],
                    internal=form.cleaned_data["internal"],
                    keep_waiting=form.cleaned_data["keep_waiting"],
                    attachment_ids=ids,
                )
                flash.success(
                    request, _("Internal note saved.") if message.internal else _("Answer sent.")
                )
            else:
                services.client_message(
                    viewer=viewer, thread=thread, body=form.cleaned_data["body"], attachment_ids=ids
                )
                flash.success(request, _("Message sent."))
        except ValidationError as exc:
            status = errors.onto_form(form, exc)
        else:
            drafts.discard_draft(viewer=viewer, kind="answer", pk=thread.pk, sent=request.POST)
            return redirect("questions:thread", pk=thread.pk)
    form.keep_staged()
    key = "reply_form" if viewer.is_staff else "message_form"
    context = _thread_context(request, thread, **{key: form, "staged": staged})
    return render(request, "questions/thread.html", context, status=status)


@viewer_required
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.viewer
    thread = selectors.thread_or_404(viewer, pk)
    if (response := _post_only(request, thread)) is not None:
        return response
    try:
        services.resolve(viewer=viewer, thread=thread)
    except ValidationError as exc:
        for error in exc.messages:
            flash.error(request, error)
    else:
        flash.success(request, _("Glad it is solved! You can rate the answer below."))
    return redirect("questions:thread", pk=thread.pk)


def _client_step(
    request: HttpRequest, pk: int, form_class, form_key: str, action, done: str
) -> HttpResponse:
    """A client's step on the thread (reopen, rate): validate, call the service, or show the form
    again with its errors and everything typed."""
    viewer = request.viewer
    thread = selectors.thread_or_404(viewer, pk)
    if (response := _post_only(request, thread)) is not None:
        return response
    form = form_class(request.POST)
    status = 400
    if form.is_valid():
        try:
            action(viewer, thread, form.cleaned_data)
        except ValidationError as exc:
            status = errors.onto_form(form, exc)
        else:
            flash.success(request, done)
            return redirect("questions:thread", pk=thread.pk)
    context = _thread_context(request, thread, **{form_key: form})
    return render(request, "questions/thread.html", context, status=status)


@viewer_required
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _client_step(
        request,
        pk,
        ReopenForm,
        "reopen_form",
        lambda viewer, thread, data: services.reopen(
            viewer=viewer, thread=thread, body=data["body"]
        ),
        _("The question is back with the agency."),
    )


@viewer_required
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    return _client_step(
        request,
        pk,
        RateForm,
        "rate_form",
        lambda viewer, thread, data: services.rate(
            viewer=viewer, thread=thread, rating=data["rating"], comment=data["comment"]
        ),
        _("Thank you for the rating."),
    )


@viewer_required
def set_status(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.viewer
    thread = selectors.thread_or_404(viewer, pk)
    if (response := _post_only(request, thread)) is not None:
        return response
    try:
        services.set_waiting(viewer=viewer, thread=thread, status=request.POST.get("status", ""))
    except ValidationError as exc:
        for error in exc.messages:
            flash.error(request, error)
    return redirect("questions:thread", pk=thread.pk)


@viewer_required
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.viewer
    thread = selectors.thread_or_404(viewer, pk)
    if (response := _post_only(request, thread)) is not None:
        return response
    person = selectors.team_member_or_none(viewer, thread, request.POST.get("assignee", ""))
    try:
        if person is None:
            raise ValidationError({"assignee": _("Choose someone from the project team.")})
        services.assign(viewer=viewer, thread=thread, assignee=person)
    except ValidationError as exc:
        for error in exc.messages:
            flash.error(request, error)
    else:
        flash.success(request, _("Assigned to %(name)s.") % {"name": person.full_name})
    return redirect("questions:thread", pk=thread.pk)


@viewer_required
def desk(request: HttpRequest) -> HttpResponse:
    viewer = request.viewer
    require_staff(viewer)
    mine = request.GET.get("mine") == "1"
    page = selectors.desk(viewer, timezone.now(), mine=mine, query=request.GET)
    return render(request, "questions/desk.html", {"rows": page, "page": page, "mine": mine})


@viewer_required
def numbers(request: HttpRequest) -> HttpResponse:
    viewer = request.viewer
    require_manager(viewer)
    form = PeriodForm(request.GET or None, default_days=30)
    start, end = form.days(timezone.localdate(timezone.now(), viewer.agency.calendar().tz))
    total, rows = selectors.numbers(viewer, start, end)
    return render(
        request,
        "questions/numbers.html",
        {
            "form": form,
            "total": total,
            "rows": rows,
            "start": start,
            "end": end,
            # what the person typed stays in the boxes, even when it was wrong
            "start_value": request.GET.get("start") or start.isoformat(),
            "end_value": request.GET.get("end") or end.isoformat(),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@viewer_required
def sla_policies(request: HttpRequest) -> HttpResponse:
    """The head sets the agency's SLA targets per client tier; everyone else gets 404."""
    require_head(request.viewer)
    from kabinet.questions.models import SlaPolicy

    if request.method != "POST":
        policies = SlaPolicy.objects.filter(agency=request.viewer.agency)
        form = SlaPoliciesForm(initial=SlaPoliciesForm.initial_for(policies))
        return render(request, "questions/sla.html", {"form": form})
    form = SlaPoliciesForm(request.POST)
    if form.is_valid():
        try:
            services.save_sla_policies(
                viewer=request.viewer,
                targets=form.targets(),
                version=form.cleaned_data.get("version"),
            )
        except concurrency.EditConflict as exc:
            # Nothing was saved: every target she typed stays in the table, the saved ones above.
            form = concurrency.rebound(SlaPoliciesForm, request.POST, exc)
            context = {"form": form, "conflict": concurrency.conflict_context(exc, form)}
            return render(request, "questions/sla.html", context, status=errors.CONFLICT)
        except ValidationError as exc:
            errors.onto_form(form, exc)
        else:
            flash.success(
                request, _("SLA targets saved; every open question is measured by them now.")
            )
            return redirect("questions:sla")
    return render(request, "questions/sla.html", {"form": form}, status=400)
