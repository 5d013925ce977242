"""Every write on client questions: asking, replying, notes, resolving, reopening, rating.

Each client-visible step is also a chronology event written in the same transaction; staff
answers are ANSWER events authored by the staff user with the answer text as body and the
Message as source (the promises app reads them). Internal notes are INTERNAL MESSAGE events.

Every step takes keyword arguments with the acting ``viewer``, checks the role and the project
itself (``PermissionDenied``: a 404), and raises ``ValidationError`` for bad input and
``Conflict`` when the thread has moved on (already resolved, already rated, ...).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kabinet.clients.models import Project
from kabinet.core import concurrency, limits
from kabinet.core.errors import Conflict
from kabinet.core.models import Agency, Role, User
from kabinet.core.scoping import (
    Viewer,
    require_manager,
    require_project,
    require_side,
)
from kabinet.core.services import Notice, audit, notify, notify_many
from kabinet.lib import sla
from kabinet.promises import services as promises
from kabinet.questions.models import (
    AGENCY_STATUSES,
    DEFAULT_HOURS,
    Message,
    MessageKind,
    SlaPolicy,
    Status,
    Thread,
)
from kabinet.timeline.models import Kind, Visibility
from kabinet.timeline.services import attach_staged, record_event

MAX_SUBJECT = limits.TITLE

# --------------------------------------------------------------------------- SLA adapters

_STEP = {
    MessageKind.ANSWER: (sla.Who.AGENCY, sla.Act.MESSAGE),
    MessageKind.REOPENED: (sla.Who.CLIENT, sla.Act.REOPENED),
    MessageKind.RESOLVED: (sla.Who.CLIENT, sla.Act.RESOLVED),
    MessageKind.WAITING_CLIENT: (sla.Who.AGENCY, sla.Act.WAITING_CLIENT),
    MessageKind.WAITING_AGENCY: (sla.Who.AGENCY, sla.Act.WAITING_AGENCY),
    MessageKind.DELIVERED: (sla.Who.AGENCY, sla.Act.RESOLVED),
}


def steps_of(*, messages: Iterable[Message]) -> list[sla.Step]:
    """The thread's history as plain data for kabinet.lib.sla (notes and ratings do not count)."""
    steps: list[sla.Step] = []
    for m in sorted(messages, key=lambda m: (m.created_at, m.pk or 0)):
        if m.kind == MessageKind.QUESTION:
            steps.append(sla.Step(m.created_at, sla.Who.CLIENT, sla.Act.MESSAGE))
        elif m.kind in _STEP:
            who, act = _STEP[m.kind]
            steps.append(sla.Step(m.created_at, who, act))
    return steps


def _hours(value) -> timedelta:
    return timedelta(hours=float(value))


def policy_for(*, project: Project, policies: dict[str, SlaPolicy] | None = None) -> sla.Policy:
    """The project's tier override, else the agency default, else 4/8/40 business hours."""
    if policies is None:
        policies = {p.tier: p for p in SlaPolicy.objects.filter(agency_id=project.agency_id)}
    row = policies.get(project.tier) or policies.get("")
    if row is None:
        return sla.Policy(*(_hours(DEFAULT_HOURS[k]) for k in DEFAULT_HOURS))
    return sla.Policy(*row.as_timedeltas())


def sla_state(
    *,
    thread: Thread,
    now: datetime | None = None,
    calendar=None,
    policy: sla.Policy | None = None,
    messages: Iterable[Message] | None = None,
) -> sla.Result:
    """The thread's SLA clocks, recomputed from its messages in the agency's business calendar."""
    now = now or timezone.now()
    calendar = calendar or thread.project.agency.calendar()
    policy = policy or policy_for(project=thread.project)
    if messages is None:
        messages = thread.messages.all()
    return sla.compute(steps_of(messages=messages), policy, calendar, now)


def store_sla(
    *,
    thread: Thread,
    calendar=None,
    policy: sla.Policy | None = None,
    messages: Iterable[Message] | None = None,
    now: datetime | None = None,
) -> datetime | None:
    """Store when the thread's most urgent running clock is due (None when none runs).

    A running clock's due time does not move with the clock on the wall, only with the thread's
    history, the SLA targets and the calendar: each of those writes calls this."""
    clock = sla_state(
        thread=thread, now=now, calendar=calendar, policy=policy, messages=messages
    ).most_urgent
    due = clock.due_at if clock is not None else None
    if thread.sla_due_at != due:
        Thread.objects.filter(agency_id=thread.agency_id, pk=thread.pk).update(sla_due_at=due)
        thread.sla_due_at = due
    return due


def store_sla_of_open_threads(*, agency_id: int | None = None, now: datetime | None = None) -> int:
    """Store the SLA due times of every thread waiting for the agency (of one agency, or all),
    and clear them on the others; returns the number of threads whose stored time changed."""
    now = now or timezone.now()
    others = Thread.objects.exclude(status__in=AGENCY_STATUSES).exclude(sla_due_at=None)
    threads = Thread.objects.filter(status__in=AGENCY_STATUSES)
    if agency_id is not None:
        others, threads = others.filter(agency_id=agency_id), threads.filter(agency_id=agency_id)
    changed = others.update(sla_due_at=None)
    calendars: dict[int, object] = {}
    policies: dict[int, dict[str, SlaPolicy]] = {}
    for thread in (
        threads.select_related("project", "project__agency")
        .prefetch_related("messages")
        .iterator(chunk_size=200)
    ):
        aid = thread.agency_id
        if aid not in calendars:
            calendars[aid] = thread.project.agency.calendar()
            policies[aid] = {p.tier: p for p in SlaPolicy.objects.filter(agency_id=aid)}
        before = thread.sla_due_at
        store_sla(
            thread=thread,
            now=now,
            calendar=calendars[aid],
            policy=policy_for(project=thread.project, policies=policies[aid]),
            messages=list(thread.messages.all()),
        )
        changed += before != thread.sla_due_at
    return changed


# --------------------------------------------------------------------------- helpers


def _thread_url(thread: Thread) -> str:
    return reverse("questions:thread", args=[thread.pk])


def _tell(
    user: User | None, thread: Thread, kind: str, title: str, body: str = "", key: str = ""
) -> None:
    if user is None:
        return
    notify(
        user=user,
        agency=thread.agency,
        kind=kind,
        title=title,
        body=body,
        url=_thread_url(thread),
        dedupe_key=key,
    )


def _in_language(user: User | None, text_fn) -> str:
    with translation.override(user.language if user else None):
        return str(text_fn())


def _message(
    thread: Thread,
    author: User | None,
    kind: str,
    body: str = "",
    *,
    internal: bool = False,
    from_client: bool = False,
    at: datetime | None = None,
) -> Message:
    limits.check_length(
        "comment" if kind == MessageKind.RATING else "body",
        body,
        limits.MESSAGE,
        _("The comment") if kind == MessageKind.RATING else _("The text"),
    )
    message = Message.objects.create(
        agency_id=thread.agency_id,
        thread=thread,
        author=author,
        kind=kind,
        body=body,
        visibility=Visibility.INTERNAL if internal else Visibility.CLIENT,
        from_client=from_client,
        created_at=at or timezone.now(),
    )
    store_sla(thread=thread)  # a step of the thread moves its clocks
    return message


def _attach(viewer: Viewer, message: Message, attachment_ids: Iterable[int]) -> None:
    ids = list(attachment_ids)
    if ids and message.event_id:
        attach_staged(viewer=viewer, ids=ids, event=message.event)


def _clean_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


# --------------------------------------------------------------------------- client steps


@transaction.atomic
def ask(
    *,
    viewer: Viewer,
    project: Project,
    subject: str,
    body: str,
    attachment_ids: Iterable[int] = (),
    at: datetime | None = None,
) -> Thread:
    """A client user asks a question on one of their company's projects."""
    require_side(viewer, "ask")
    require_project(viewer, project)
    subject = _clean_text(subject, "subject", _("Give your question a short subject."))
    subject = limits.single_line("subject", subject, _("The subject"))
    body = _clean_text(body, "body", _("Describe your question."))
    if len(subject) > MAX_SUBJECT:
        raise ValidationError({"subject": _("The subject is too long (300 characters at most).")})
    limits.check_length("body", body, limits.MESSAGE, _("The text"))
    at = at or timezone.now()
    thread = Thread.objects.create(
        agency_id=project.agency_id,
        project=project,
        subject=subject,
        asked_by=viewer.user,
        assignee=project.account_manager,
        status=Status.WAITING_AGENCY,
        created_at=at,
    )
    message = _message(thread, viewer.user, MessageKind.QUESTION, body, from_client=True, at=at)
    message.event = record_event(
        project=project,
        kind=Kind.QUESTION,
        title=subject,
        body=body,
        author=viewer.user,
        visibility=Visibility.CLIENT,
        occurred_at=at,
        source=message,
    )
    message.save(update_fields=["event"])
    _attach(viewer, message, attachment_ids)
    audit(agency=viewer.agency, actor=viewer.user, verb="question_asked", obj=thread)
    _tell(
        thread.assignee,
        thread,
        "question_asked",
        _in_language(
            thread.assignee, lambda: _("New question: %(subject)s") % {"subject": subject}
        ),
        body,
        key=f"question:{thread.pk}:asked",
    )
    return thread


@transaction.atomic
def client_message(
    *, viewer: Viewer, thread: Thread, body: str, attachment_ids: Iterable[int] = ()
) -> Message:
    """The client adds to the thread; on a resolved thread this reopens it."""
    require_side(viewer, "client_message")
    require_project(viewer, thread.project_id)
    thread = _locked(thread)
    if thread.status == Status.RESOLVED:
        return _reopen(viewer, thread, body, attachment_ids)
    body = _clean_text(body, "body", _("Write your message."))
    message = _message(thread, viewer.user, MessageKind.QUESTION, body, from_client=True)
    message.event = record_event(
        project=thread.project,
        kind=Kind.QUESTION,
        title_key="follow_up",
        title_params={"subject": thread.subject},
        body=body,
        author=viewer.user,
        occurred_at=message.created_at,
        source=message,
    )
    message.save(update_fields=["event"])
    _attach(viewer, message, attachment_ids)
    _set_status(thread, Status.WAITING_AGENCY)
    _tell(
        thread.assignee,
        thread,
        "question_followup",
        _in_language(
            thread.assignee, lambda: _("New message in: %(subject)s") % {"subject": thread.subject}
        ),
        body,
        key=f"question:{thread.pk}:message:{message.pk}",
    )
    return message


@transaction.atomic
def reopen(
    *, viewer: Viewer, thread: Thread, body: str = "", attachment_ids: Iterable[int] = ()
) -> Message:
    """ "I still have questions": the thread goes back to the agency."""
    require_side(viewer, "reopen")
    require_project(viewer, thread.project_id)
    thread = _locked(thread)
    if thread.status == Status.WAITING_AGENCY:
        raise Conflict({"body": _("This question is already waiting for the agency's answer.")})
    return _reopen(viewer, thread, body, attachment_ids)


def _reopen(viewer: Viewer, thread: Thread, body: str, attachment_ids: Iterable[int]) -> Message:
    # From "we owe you" too: the client may still have questions about the answer given.
    body = (body or "").strip()
    message = _message(thread, viewer.user, MessageKind.REOPENED, body, from_client=True)
    message.event = record_event(
        project=thread.project,
        kind=Kind.QUESTION,
        title_key="still_questions",
        title_params={"subject": thread.subject},
        body=body,
        author=viewer.user,
        occurred_at=message.created_at,
        source=message,
    )
    message.save(update_fields=["event"])
    _attach(viewer, message, attachment_ids)
    thread.resolved_at = None
    _set_status(thread, Status.WAITING_AGENCY, extra=["resolved_at"])
    audit(agency=viewer.agency, actor=viewer.user, verb="question_reopened", obj=thread)
    _tell(
        thread.assignee,
        thread,
        "question_reopened",
        _in_language(
            thread.assignee, lambda: _("Reopened: %(subject)s") % {"subject": thread.subject}
        ),
        body,
        key=f"question:{thread.pk}:reopened:{message.pk}",
    )
    return message


@transaction.atomic
def resolve(*, viewer: Viewer, thread: Thread) -> Message:
    """ "This solved it"."""
    require_side(viewer, "resolve")
    require_project(viewer, thread.project_id)
    thread = _locked(thread)
    if thread.status == Status.RESOLVED:
        raise Conflict({"__all__": _("This question is already resolved.")})
    if not thread.messages.filter(kind=MessageKind.ANSWER).exists():
        raise Conflict({"__all__": _("There is no answer yet to mark as the solution.")})
    message = _message(thread, viewer.user, MessageKind.RESOLVED, from_client=True)
    message.event = record_event(
        project=thread.project,
        kind=Kind.MESSAGE,
        title_key="question_resolved",
        title_params={"subject": thread.subject},
        author=viewer.user,
        occurred_at=message.created_at,
        source=message,
    )
    message.save(update_fields=["event"])
    thread.resolved_at = message.created_at
    _set_status(thread, Status.RESOLVED, extra=["resolved_at"])
    audit(agency=viewer.agency, actor=viewer.user, verb="question_resolved", obj=thread)
    _tell(
        thread.assignee,
        thread,
        "question_resolved",
        _in_language(
            thread.assignee, lambda: _("Solved: %(subject)s") % {"subject": thread.subject}
        ),
        key=f"question:{thread.pk}:resolved:{message.pk}",
    )
    return message


@transaction.atomic
def rate(*, viewer: Viewer, thread: Thread, rating: int, comment: str = "") -> Message:
    """The client rates the answer 1–5 (once, after marking the question solved)."""
    require_side(viewer, "rate")
    require_project(viewer, thread.project_id)
    thread = _locked(thread)
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Choose a rating from 1 to 5.")})
    if thread.status != Status.RESOLVED:
        raise Conflict({"rating": _("Mark the question as solved before rating the answer.")})
    if thread.rating is not None:
        raise Conflict({"rating": _("You have already rated this answer.")})
    comment = (comment or "").strip()
    thread.rating, thread.rating_comment = rating, comment
    thread.save(update_fields=["rating", "rating_comment"])
    message = _message(thread, viewer.user, MessageKind.RATING, comment, from_client=True)
    message.event = record_event(
        project=thread.project,
        kind=Kind.MESSAGE,
        title_key="answer_rated",
        title_params={"rating": rating, "subject": thread.subject},
        body=comment,
        author=viewer.user,
        occurred_at=message.created_at,
        source=message,
    )
    message.save(update_fields=["event"])
    audit(agency=viewer.agency, actor=viewer.user, verb="question_rated", obj=thread, rating=rating)
    _tell(
        thread.assignee,
        thread,
        "question_rated",
        _in_language(
            thread.assignee,
            lambda: (
                _("Rated %(rating)s/5: %(subject)s") % {"rating": rating, "subject": thread.subject}
            ),
        ),
        comment,
        key=f"question:{thread.pk}:rated",
    )
    return message


# --------------------------------------------------------------------------- staff steps


@transaction.atomic
def reply(
    *,
    viewer: Viewer,
    thread: Thread,
    body: str,
    internal: bool = False,
    keep_waiting: bool = False,
    attachment_ids: Iterable[int] = (),
) -> Message:
    """Staff answer the client (ANSWER event) or leave an internal note (never client-visible)."""
    require_side(viewer, "reply")
    require_project(viewer, thread.project_id)
    thread = _locked(thread)
    body = _clean_text(
        body, "body", _("Write the answer.") if not internal else _("Write the note.")
    )
    if internal:
        message = _message(thread, viewer.user, MessageKind.NOTE, body, internal=True)
        message.event = record_event(
            project=thread.project,
            kind=Kind.MESSAGE,
            title_key="internal_note",
            title_params={"subject": thread.subject},
            body=body,
            author=viewer.user,
            visibility=Visibility.INTERNAL,
            occurred_at=message.created_at,
            source=message,
        )
        message.save(update_fields=["event"])
        _attach(viewer, message, attachment_ids)
        return message
    if thread.status == Status.RESOLVED:
        raise Conflict(
            {
                "body": _(
                    "The client marked this question as solved; it cannot be answered "
                    "until the client reopens it. Leave an internal note instead."
                )
            }
        )
    message = _message(thread, viewer.user, MessageKind.ANSWER, body)
    message.event = record_event(
        project=thread.project,
        kind=Kind.ANSWER,
        title_key="answer",
        title_params={"subject": thread.subject},
        body=body,
        author=viewer.user,
        visibility=Visibility.CLIENT,
        occurred_at=message.created_at,
        source=message,
    )
    message.save(update_fields=["event"])
    _attach(viewer, message, attachment_ids)
    promises.detect_later(event=message.event)  # read for promises by a background job after commit
    if keep_waiting or _promises_more(thread, message):
        # An interim answer, or one that promises more: the first response is given, but the
        # agency still owes the solution — the clocks keep running.
        _message(
            thread, viewer.user, MessageKind.WAITING_AGENCY, internal=True, at=message.created_at
        )
        _set_status(thread, Status.WAITING_AGENCY if keep_waiting else Status.OWED)
    else:
        _set_status(thread, Status.WAITING_CLIENT)
    audit(
        agency=viewer.agency,
        actor=viewer.user,
        verb="question_answered",
        obj=thread,
        message=message.pk,
    )
    for recipient in _client_recipients(thread):
        _tell(
            recipient,
            thread,
            "question_answered",
            _in_language(
                recipient,
                lambda: _("Answer to your question: %(subject)s") % {"subject": thread.subject},
            ),
            body,
            key=f"question:{thread.pk}:answer:{message.pk}",
        )
    return message


@transaction.atomic
def set_waiting(*, viewer: Viewer, thread: Thread, status: str) -> Message:
    """Staff say whose turn it is without writing an answer (pauses or restarts the clocks)."""
    require_side(viewer, "set_waiting")
    require_project(viewer, thread.project_id)
    thread = _locked(thread)
    if status not in (Status.WAITING_CLIENT, Status.WAITING_AGENCY):
        raise ValidationError({"status": _("Choose who the question is waiting for.")})
    if thread.status == Status.RESOLVED:
        raise Conflict({"status": _("The question is resolved; only the client can reopen it.")})
    if thread.status == status:
        raise Conflict({"status": _("The question is already in this state.")})
    kind = (
        MessageKind.WAITING_CLIENT
        if status == Status.WAITING_CLIENT
        else MessageKind.WAITING_AGENCY
    )
    message = _message(thread, viewer.user, kind, internal=True)
    if thread.status == Status.OWED and status == Status.WAITING_CLIENT:
        raise ValidationError(
            {
                "status": _(
                    "The answer promised more: the question waits for the agency until the promise is delivered."
                )
            }
        )
    _set_status(thread, status)
    audit(
        agency=viewer.agency, actor=viewer.user, verb="question_status", obj=thread, status=status
    )
    return message


@transaction.atomic
def assign(*, viewer: Viewer, thread: Thread, assignee: User) -> Thread:
    """Managers hand a thread to another staff member of the project."""
    require_manager(viewer)
    require_project(viewer, thread.project_id)
    if not thread.project.members.filter(user=assignee).exists():
        raise ValidationError({"assignee": _("Choose someone from the project team.")})
    thread.assignee = assignee
    thread.save(update_fields=["assignee"])
    audit(
        agency=viewer.agency,
        actor=viewer.user,
        verb="question_assigned",
        obj=thread,
        assignee=assignee.pk,
    )
    _tell(
        assignee,
        thread,
        "question_assigned",
        _in_language(
            assignee,
            lambda: _("Question assigned to you: %(subject)s") % {"subject": thread.subject},
        ),
        key=f"question:{thread.pk}:assigned:{assignee.pk}:{timezone.now():%Y%m%d%H%M%S}",
    )
    return thread


def _client_recipients(thread: Thread) -> list[User]:
    """Who on the client side hears about an answer: the person who asked."""
    if (
        thread.asked_by is not None
        and thread.asked_by.memberships.filter(
            agency_id=thread.agency_id, role=Role.CLIENT, company_id=thread.project.company_id
        ).exists()
    ):
        return [thread.asked_by]
    return []


def _locked(thread: Thread) -> Thread:
    """Re-read the thread under a row lock so two clicks do not interleave."""
    fresh = (
        Thread.objects.select_for_update()
        .select_related("project", "project__agency", "project__company")
        .get(pk=thread.pk)
    )
    return fresh


def _set_status(thread: Thread, status: str, extra: list[str] | None = None) -> None:
    thread.status = status
    thread.save(update_fields=["status", *(extra or [])])


# --------------------------------------------------------------------------- "we owe you"
#
# An answer that promises something keeps the question on the agency. The thread is OWED while a
# promise made in one of its answers is pending (or still offered for confirmation); the promise
# delivered resolves it, a dismissed offer (it was not a promise) hands it back to the client.


def _answer_events(thread: Thread) -> list[int]:
    return list(
        thread.messages.filter(kind=MessageKind.ANSWER)
        .exclude(event_id=None)
        .values_list("event_id", flat=True)
    )


def owed_promises(*, thread: Thread):
    """Pending promises made in this thread's answers."""
    from kabinet.promises.models import PENDING_STATES, Promise

    return Promise.objects.filter(
        source_event_id__in=_answer_events(thread), state__in=PENDING_STATES
    )


def owed_offers(*, thread: Thread):
    """Promises found in this thread's answers, still waiting for a person to confirm them."""
    from kabinet.promises.models import PromiseProposal, ProposalStatus

    return PromiseProposal.objects.filter(
        source_event_id__in=_answer_events(thread), status=ProposalStatus.PENDING
    )


def owed_due(*, thread: Thread) -> datetime | None:
    """When the agency owes it: the earliest due time of what its answers promised."""
    dues = [p.due_at for p in owed_promises(thread=thread)] + [
        p.due_at for p in owed_offers(thread=thread)
    ]
    return min(dues) if dues else None


def _promises_more(thread: Thread, message: Message) -> bool:
    """This answer promises something (the detector finds a promise with a future due time), or
    an earlier answer's promise is still owed."""
    from kabinet.promises.services import promises_in

    return (
        bool(promises_in(event=message.event))
        or owed_promises(thread=thread).exists()
        or owed_offers(thread=thread).exists()
    )


def _thread_of_event(event_id: int | None) -> Thread | None:
    if event_id is None:
        return None
    message = (
        Message.objects.filter(event_id=event_id, kind=MessageKind.ANSWER)
        .select_related("thread")
        .first()
    )
    return message.thread if message else None


def promise_confirmed(*, promise) -> None:
    """A promise made in an answer was confirmed: its question is owed (if the client has not
    already said it is solved)."""
    thread = _thread_of_event(promise.source_event_id)
    if thread is None:
        return
    thread = _locked(thread)
    if thread.status == Status.WAITING_CLIENT:
        _message(thread, promise.confirmed_by, MessageKind.WAITING_AGENCY, internal=True)
        _set_status(thread, Status.OWED)


def _anything_else_owed(thread: Thread) -> bool:
    """A question stays owed while any promise or detected offer from its answers is open."""
    return owed_promises(thread=thread).exists() or owed_offers(thread=thread).exists()


def offer_dismissed(*, proposal) -> None:
    """ "Not a promise": if nothing else is owed on the question, it waits for the client again."""
    thread = _thread_of_event(proposal.source_event_id)
    if thread is None:
        return
    thread = _locked(thread)
    if thread.status == Status.OWED and not _anything_else_owed(thread):
        _message(thread, proposal.decided_by, MessageKind.WAITING_CLIENT, internal=True)
        _set_status(thread, Status.WAITING_CLIENT)


def promise_delivered(*, promise) -> None:
    """The promise made in an answer is delivered: once nothing else is owed, the question is resolved."""
    thread = _thread_of_event(promise.source_event_id)
    if thread is None:
        return
    thread = _locked(thread)
    if thread.status != Status.OWED or _anything_else_owed(thread):
        return
    body = promise.what
    if promise.evidence_event_id:
        body = f"[{promise.what}]({reverse('event', args=[promise.evidence_event_id])})"
    at = promise.kept_at or timezone.now()
    _message(thread, promise.kept_by, MessageKind.DELIVERED, body, at=at)
    thread.resolved_at = at
    _set_status(thread, Status.RESOLVED, extra=["resolved_at"])
    audit(
        agency=thread.agency,
        actor=promise.kept_by,
        verb="question_delivered",
        obj=thread,
        promise=promise.pk,
    )
    for recipient in _client_recipients(thread):
        _tell(
            recipient,
            thread,
            "question_answered",
            _in_language(
                recipient,
                lambda: (
                    _("Delivered: %(what)s (%(subject)s)")
                    % {"what": promise.what, "subject": thread.subject}
                ),
            ),
            key=f"question:{thread.pk}:delivered:{promise.pk}",
        )


# --------------------------------------------------------------------------- SLA warnings


def check_sla(*, now: datetime | None = None) -> int:
    """Warn at 75 % and at breach of each running clock (assignee; at breach also the heads).

    Once per cause: the dedupe key names the thread, the target, its cycle and the threshold,
    so the job can run as often as it likes. Returns the number of notifications created.
    Set-based: threads and their messages are read 200 at a time, and the warnings are written
    by `notify_many`, which skips the causes already notified in one query per batch.
    """
    now = now or timezone.now()
    calendars: dict[int, object] = {}
    policies: dict[int, dict[str, SlaPolicy]] = {}
    heads: dict[int, list[User]] = {}
    notices: list[Notice] = []
    for agency in Agency.objects.order_by("pk"):
        threads = (
            Thread.objects.filter(agency=agency, status__in=AGENCY_STATUSES)
            .select_related("project", "project__agency", "assignee", "agency")
            .prefetch_related(Prefetch("messages", queryset=Message.objects.filter(agency=agency)))
        )
        for thread in threads.iterator(chunk_size=200):
            aid = thread.agency_id
            if aid not in calendars:
                calendars[aid] = thread.project.agency.calendar()
                policies[aid] = {p.tier: p for p in SlaPolicy.objects.filter(agency_id=aid)}
                heads[aid] = list(
                    User.objects.filter(memberships__agency_id=aid, memberships__role=Role.HEAD)
                )
            result = sla_state(
                thread=thread,
                now=now,
                calendar=calendars[aid],
                policy=policy_for(project=thread.project, policies=policies[aid]),
                messages=list(thread.messages.all()),
            )
            most_urgent = result.most_urgent
            due = most_urgent.due_at if most_urgent is not None else None
            if thread.sla_due_at != due:  # keeps the desk's stored order true, whatever changed
                Thread.objects.filter(agency_id=aid, pk=thread.pk).update(sla_due_at=due)
            for clock in result.clocks:
                if not clock.running:
                    continue
                if clock.state == sla.State.BREACHED:
                    recipients = [thread.assignee, *heads[aid]]
                    threshold = "100"
                elif clock.state == sla.State.WARNING:
                    recipients = [thread.assignee]
                    threshold = "75"
                else:
                    continue
                key = f"sla:{thread.pk}:{clock.target.value}:{threshold}:{clock.cycle}"
                for user in {u.pk: u for u in recipients if u is not None}.values():
                    title = _in_language(
                        user, lambda th=thread, c=clock, t=threshold: _sla_title(th, c, t)
                    )
                    notices.append(
                        Notice(
                            user=user,
                            agency=thread.agency,
                            kind=f"sla_{'breach' if threshold == '100' else 'warning'}",
                            title=title,
                            url=_thread_url(thread),
                            dedupe_key=key,
                        )
                    )
    return notify_many(notices=notices)


def _sla_title(thread: Thread, clock: sla.Clock, threshold: str) -> str:
    names = {
        sla.Target.FIRST_RESPONSE: _("first response"),
        sla.Target.NEXT_RESPONSE: _("next response"),
        sla.Target.RESOLUTION: _("resolution"),
    }
    if threshold == "100":
        return _("SLA breached (%(target)s): %(subject)s") % {
            "target": names[clock.target],
            "subject": thread.subject,
        }
    return _("75%% of the SLA used (%(target)s): %(subject)s") % {
        "target": names[clock.target],
        "subject": thread.subject,
    }


SLA_TARGETS = ("first_response_hours", "next_response_hours", "resolution_hours")


def sla_version(*, policies: Iterable[SlaPolicy]) -> int:
    """The version of an agency's set of SLA targets: the default row's (0 before any is saved)."""
    default = next((p for p in policies if p.tier == ""), None)
    return default.version if default is not None else 0


def describe_sla_policies(*, policies: Iterable[SlaPolicy]) -> dict[str, tuple[str, str]]:
    """The targets as stored, in the fields of the SLA form (the conflict panel): every tier's
    three targets, "—" for a tier that follows the default."""
    from kabinet.questions.forms import SlaPoliciesForm

    by_tier = {p.tier: p for p in policies}
    saved: dict[str, tuple[str, str]] = {}
    for tier, tier_label in SlaPoliciesForm.tier_choices():
        policy = by_tier.get(tier)
        for name, label in SlaPoliciesForm.TARGETS:
            shown = f"{getattr(policy, name).normalize():f}" if policy is not None else "—"
            saved[f"{tier or 'default'}_{name}"] = (
                _("%(tier)s: %(target)s") % {"tier": tier_label, "target": label},
                shown,
            )
    return saved


def _stored_hours(value) -> str:
    from decimal import Decimal

    return str(Decimal(value).quantize(Decimal("0.01")))


def _sla_last_saved(agency: Agency) -> tuple[str, datetime | None]:
    """Who last changed any of the agency's targets and when (from the audit trail)."""
    from kabinet.core.models import AuditEntry

    entry = (
        AuditEntry.objects.filter(agency=agency, object_type=SlaPolicy._meta.label_lower)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
    return (concurrency.who(entry.actor), entry.at) if entry is not None else ("", None)


def save_sla_policies(
    *, viewer: Viewer, targets: dict[str, dict | None], version: int | None = None
) -> list[SlaPolicy]:
    """The head sets the agency's SLA targets in business hours.

    `targets` maps a tier ("" = the default every tier falls back to) to its three targets, or to
    None to drop that tier's own targets. Audited; the open threads' stored due times are
    recomputed with the new targets (the clocks are derived from the policy and the history).
    `version` is the set of targets as the head saw it (`sla_version`: one form saves every tier,
    so the set has one version, kept on the default row): changed since by someone else,
    ``EditConflict`` (kabinet.core.concurrency) and nothing is written.
    """
    from decimal import Decimal, InvalidOperation

    from kabinet.clients.models import Tier
    from kabinet.core.scoping import require_head

    require_head(viewer)
    tiers = {"", *Tier.values}
    errors: dict[str, str] = {}
    clean: dict[str, dict[str, Decimal] | None] = {}
    for tier, values in targets.items():
        if tier not in tiers:
            errors["__all__"] = _("Unknown client tier: %(tier)s.") % {"tier": tier}
            continue
        if values is None:
            if tier == "":
                errors["__all__"] = _("The default targets are required.")
            clean[tier] = None
            continue
        row: dict[str, Decimal] = {}
        for name in SLA_TARGETS:
            key = f"{tier or 'default'}_{name}"
            try:
                hours = Decimal(str(values.get(name, "")).replace(",", ".").strip())
                if not hours.is_finite():
                    raise InvalidOperation
            except (InvalidOperation, ValueError):
                errors[key] = _("Give the hours as a number, e.g. 4 or 1.5.")
                continue
            if not Decimal("0.25") <= hours <= Decimal("2000"):
                errors[key] = _("From 0.25 to 2000 business hours.")
                continue
            row[name] = hours
        clean[tier] = row
    if errors:
        raise ValidationError(errors)
    saved = []
    changed = False
    with transaction.atomic():
        # The agency row is the lock of the whole set: before the first save there is no policy
        # row to lock, and two first saves would both create the default row.
        Agency.objects.select_for_update().only("pk").get(pk=viewer.agency.pk)
        existing = {
            p.tier: p for p in SlaPolicy.objects.select_for_update().filter(agency=viewer.agency)
        }
        current = sla_version(policies=existing.values())
        if version is not None and version != current:
            by, at = _sla_last_saved(viewer.agency)
            concurrency.check(  # raises: the set moved on since the head loaded the form
                SlaPolicy(version=current),
                version,
                saved=lambda: describe_sla_policies(policies=existing.values()),
                by=by,
                at=at,
            )
        for tier, row in clean.items():
            policy = existing.get(tier)
            if row is None:
                if policy is not None:
                    changed = True
                    audit(
                        agency=viewer.agency,
                        actor=viewer.user,
                        verb="sla_policy.removed",
                        obj=policy,
                        tier=tier,
                    )
                    policy.delete()
                continue
            # As stored (two decimals): "40" typed over a stored "40.00" is no change.
            before = {n: _stored_hours(getattr(policy, n)) for n in SLA_TARGETS} if policy else None
            if policy is None:
                # A new default row starts the set's version at 0 (what the form showed), +1 below.
                policy = SlaPolicy(agency=viewer.agency, tier=tier, version=0 if not tier else 1)
            for name, hours in row.items():
                setattr(policy, name, hours)
            policy.save()
            after = {n: _stored_hours(getattr(policy, n)) for n in SLA_TARGETS}
            if before != after:
                changed = True
                audit(
                    agency=viewer.agency,
                    actor=viewer.user,
                    verb="sla_policy.saved",
                    obj=policy,
                    tier=tier,
                    before=before,
                    after=after,
                )
            saved.append(policy)
        default = next(p for p in saved if p.tier == "")  # the default row is required
        if changed:
            default.save(update_fields=concurrency.bump(default))
        store_sla_of_open_threads(agency_id=viewer.agency.pk)  # the stored due times follow
    return saved
