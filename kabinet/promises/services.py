"""Every write about promises: detection proposals, confirmation, keeping, renegotiation, the clock.

Reminders and breach (see `run_clock`, run periodically):

- "soon": when the business time left until the due time is at most a quarter of the business
  time the promise had from its confirmation (i.e. 75% of the way), clamped to between
  30 business minutes and one business day. Nothing is sent before that.
- "due": once the due time has come.
- breach: one business hour (`BREACH_GRACE`) after the due time, a pending promise becomes
  broken, the chronology says so and the heads of the agency are told, once.

Every notification carries a dedupe key with the due instant, so a job that runs twice notifies
once, and a renegotiated promise is reminded again for its new date.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kabinet.api import webhooks
from kabinet.clients.models import Project, ProjectMember
from kabinet.core import concurrency
from kabinet.core.errors import Conflict
from kabinet.core.formatting import format_due
from kabinet.core.models import Agency, Membership, Role, User
from kabinet.core.scoping import Viewer, require_project, require_staff
from kabinet.core.services import audit, notify
from kabinet.promises.models import (
    PENDING_STATES,
    Origin,
    Promise,
    PromiseProposal,
    PromiseRenegotiation,
    ProposalKind,
    ProposalStatus,
    State,
    TextDetection,
)
from kabinet.timeline.models import Event, Kind, Visibility
from kabinet.timeline.services import record_event

log = logging.getLogger(__name__)

# Kinds of client-visible staff writing in which promises are looked for.
DETECT_KINDS = frozenset(
    {
        Kind.ANSWER,
        Kind.MESSAGE,
        Kind.MEETING,
        Kind.REPORT,
        Kind.PLAN,
        Kind.RECOMMENDATION,
        Kind.WORK_DONE,
    }
)
ORIGIN_BY_KIND = {
    Kind.ANSWER: Origin.ANSWER,
    Kind.MESSAGE: Origin.MESSAGE,
    Kind.MEETING: Origin.MEETING,
}
BREACH_GRACE = timedelta(hours=1)
# A text that yields more than this many promises is not a text of promises: the rest are not proposed.
MAX_PROPOSALS_PER_TEXT = 20
SOON_MIN = timedelta(minutes=30)
SOON_SHARE = 0.25


# ----------------------------------------------------------------------------- formatting


def _in_client_language(project: Project):
    """Chronology text is stored once, in the language the agency speaks with this client."""
    return translation.override(project.company.language or "ru")


def _promise_url(promise: Promise) -> str:
    return reverse("promise", args=[promise.pk])


# ----------------------------------------------------------------------------- detection


def text_of(*, event: Event) -> str:
    """The text the detector reads; proposal offsets point into it."""
    return f"{event.title}\n\n{event.body}" if event.body else event.title


def text_version(*, event: Event) -> str:
    """A fingerprint of the text as written: detection runs once per version of a text."""
    return hashlib.sha256(text_of(event=event).encode("utf-8")).hexdigest()[:32]


def is_staff_writing(*, event: Event) -> bool:
    if (
        event.visibility != Visibility.CLIENT
        or event.kind not in DETECT_KINDS
        or event.author_id is None
    ):
        return False
    return (
        Membership.objects.filter(agency_id=event.agency_id, user_id=event.author_id)
        .exclude(role=Role.CLIENT)
        .exists()
    )


def detect_later(*, event: Event) -> None:
    """Called by the service that wrote a client-visible staff text, inside its transaction:
    once it commits, a background job reads the text for promises (never inline in a request)."""
    if event.visibility != Visibility.CLIENT or event.kind not in DETECT_KINDS:
        return
    pk, version = event.pk, text_version(event=event)

    def enqueue() -> None:
        from kabinet.jobs.outbox import enqueue_or_leave
        from kabinet.promises.tasks import detect_promises

        # A queue outage must not fail the write that already committed: the job is left for
        # the sweep (kabinet.jobs.outbox).
        enqueue_or_leave(detect_promises, event_id=pk, version=version)

    transaction.on_commit(enqueue)


def _team(project: Project) -> list[tuple[str, User]]:
    members = ProjectMember.objects.filter(
        agency_id=project.agency_id, project=project
    ).select_related("user")
    return [(m.user.full_name, m.user) for m in members if m.user.full_name]


def _client_people(project: Project) -> list[tuple[str, User]]:
    users = User.objects.filter(
        memberships__agency_id=project.agency_id,
        memberships__role=Role.CLIENT,
        memberships__company_id=project.company_id,
    ).distinct()
    return [(u.full_name, u) for u in users if u.full_name]


def detect_in_event(*, event_id: int, version: str | None = None) -> list[PromiseProposal]:
    """Store the promises found in a staff text as proposals, once per version of the text.

    A job for an older version (the text changed since) does nothing: the newer one is queued.
    The same promise already proposed on the project (same deliverable and due time, from this
    or another text) is not proposed again. A promise made for a named teammate is owned by
    them; a name on the client's side is the client's promise, not ours.
    """
    from kabinet.lib import person_names, promise_detector
    from kabinet.lib.promise_detector.dedupe import deliverable_key, same_deliverable

    event = (
        Event.objects.select_related("project__agency", "project__company")
        .filter(pk=event_id)
        .first()
    )
    if event is None or not is_staff_writing(event=event):
        return []
    current = text_version(event=event)
    if version is not None and version != current:
        return []
    try:
        with transaction.atomic():
            TextDetection.objects.create(agency_id=event.agency_id, event=event, version=current)
    except IntegrityError:
        return []  # this version has been read already
    project = event.project
    agency = project.agency
    calendar = agency.calendar()
    now = event.occurred_at
    team = _team(project)
    found = promise_detector.detect(
        text_of(event=event),
        now.astimezone(calendar.tz),
        calendar,
        names=[name for name, _u in team],
    )
    created: list[PromiseProposal] = []
    for item in found[:MAX_PROPOSALS_PER_TEXT]:
        if item.due is not None and item.due <= now:
            continue  # about the past: not a promise
        owner_id = event.author_id
        if item.owner:
            member = person_names.match(item.owner, team)
            if member is not None:
                owner_id = member.pk
            elif person_names.match(item.owner, _client_people(project)) is not None:
                continue  # «Марина пришлёт доступы»: the client's promise, not the agency's
        key = deliverable_key(item.quote)
        earlier = PromiseProposal.objects.filter(project=project, kind=item.kind, due_at=item.due)
        if any(same_deliverable(key, k) for k in earlier.values_list("deliverable_key", flat=True)):
            continue  # the same promise, already proposed from this or another text
        try:
            with transaction.atomic():
                created.append(
                    PromiseProposal.objects.create(
                        agency=agency,
                        project=project,
                        source_event=event,
                        author_id=event.author_id,
                        owner_id=owner_id,
                        named=(item.owner or "")[:120],
                        quote=item.quote[:2000],
                        due_at=item.due,
                        start=item.start,
                        end=item.end,
                        rule=item.rule[:64],
                        kind=item.kind,
                        condition=(item.condition or "")[:1000],
                        due_on_day_off="day_off" in item.warnings,
                        deliverable_key=key,
                    )
                )
        except IntegrityError:
            continue  # proposed already
    for proposal in created:
        if proposal.kind == ProposalKind.OUTCOME:
            _check_against_forecast(proposal)
    return created


def _check_against_forecast(proposal: PromiseProposal) -> None:
    """A promised result is compared with the agency's forecast of the KPI it names (an explicit
    import of kabinet.health): the manager sees "outside the forecast range" on the risk."""
    from kabinet.health import outcomes

    by_date = proposal.due_at.date() if proposal.due_at else None
    check = outcomes.check_quote(proposal.project, proposal.quote, by_date=by_date)
    if check is None:
        return
    proposal.forecast_check = outcomes.as_record(check)
    proposal.save(update_fields=["forecast_check"])


def promises_in(*, event: Event | None) -> list:
    """The promises the detector finds in a staff text (about the future only); nothing is saved.
    The question desk asks it whether an answer promises more."""
    from kabinet.lib import promise_detector

    if event is None or not is_staff_writing(event=event):
        return []
    calendar = event.project.agency.calendar()
    now = event.occurred_at
    names = [name for name, _user in _team(event.project)]
    found = promise_detector.detect(
        text_of(event=event), now.astimezone(calendar.tz), calendar, names=names
    )
    # Deliverables only: a promised result (an expectation risk) is not work the agency owes.
    return [item for item in found if item.kind == "deliverable" and item.due and item.due > now]


# ----------------------------------------------------------------------------- creating


def default_what(*, quote: str) -> str:
    """The quote as a promise's wording: without the sentence's closing punctuation."""
    return " ".join(quote.split()).rstrip(".!;,…")[:300]


def _validate_due(project: Project, due_at: datetime | None, now: datetime) -> datetime:
    if due_at is None:
        raise ValidationError({"due_at": _("Give the date and time the promise is due.")})
    if timezone.is_naive(due_at):
        due_at = timezone.make_aware(due_at, ZoneInfo(project.agency.timezone))
    if due_at <= now:
        raise ValidationError(
            {"due_at": _("The due time has already passed: a promise is about the future.")}
        )
    return due_at


def _create_task_for(actor: User, promise: Promise):
    from kabinet.work import services as work

    with translation.override(
        promise.promised_by.language
    ):  # an internal task: the promiser's language
        title = _("Prepare: %(what)s") % {"what": promise.what}
    return work.create_task(
        viewer=actor,
        project=promise.project,
        title=title[:300],
        description=promise.quote,
        assignee=promise.promised_by,
        due_at=promise.due_at,
        visibility="internal",
        source=promise,
    )


def _link_task(project: Project, task) -> None:
    if task is not None and (task.project_id != project.pk or not task.is_open):
        raise ValidationError({"task": _("Choose an open task of this project.")})


@transaction.atomic
def create_promise(
    *,
    viewer: Viewer,
    project: Project,
    what: str,
    due_at: datetime | None,
    promised_by: User | None = None,
    quote: str = "",
    origin: str = Origin.MANUAL,
    source_event: Event | None = None,
    task=None,
    create_task: bool = False,
    now: datetime | None = None,
    condition: str = "",
) -> Promise:
    """A confirmed promise: saved, written into the chronology for the client, optionally with a task."""
    require_staff(viewer)
    require_project(viewer, project)
    now = now or timezone.now()
    what = " ".join((what or "").split())
    if not what:
        raise ValidationError({"what": _("Say what was promised.")})
    due_at = _validate_due(project, due_at, now)
    _link_task(project, task)
    promiser = promised_by or viewer.user
    if (
        not Membership.objects.filter(agency_id=project.agency_id, user=promiser)
        .exclude(role=Role.CLIENT)
        .exists()
    ):
        raise ValidationError({"promised_by": _("Only agency staff make promises to the client.")})
    promise = Promise.objects.create(
        agency_id=project.agency_id,
        project=project,
        promised_by=promiser,
        what=what[:300],
        quote=quote,
        due_at=due_at,
        original_due_at=due_at,
        origin=origin,
        source_event=source_event,
        task=task,
        confirmed_by=viewer.user,
        created_at=now,
        condition=" ".join((condition or "").split())[:1000],
    )
    if task is None and create_task:
        promise.task = _create_task_for(viewer.user, promise)
        promise.save(update_fields=["task"])
    record_event(
        project=project,
        kind=Kind.PROMISE,
        title_key="promise_made",
        title_params={"what": promise.what, "due": format_due(project.agency, due_at, now=now)},
        body=quote,
        author=promiser,
        source=promise,
        occurred_at=now,
    )
    audit(
        agency=project.agency,
        actor=viewer.user,
        verb="promise_confirmed",
        obj=promise,
        due_at=due_at.isoformat(),
        origin=origin,
    )
    return promise


@transaction.atomic
def confirm_proposal(
    *,
    viewer: Viewer,
    proposal: PromiseProposal,
    what: str | None = None,
    due_at: datetime | None = None,
    task=None,
    create_task: bool = True,
    now: datetime | None = None,
) -> Promise:
    """One click: the proposal becomes a promise (with a preparation task unless one is chosen)."""
    require_staff(viewer)
    require_project(viewer, proposal.project_id)
    proposal = PromiseProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.PENDING:
        raise Conflict(_("This proposal has already been handled."))
    if proposal.kind == ProposalKind.OUTCOME:
        raise ValidationError(
            _("A promised result is not a deliverable: reset the client's expectations instead.")
        )
    event = proposal.source_event
    promise = create_promise(
        viewer=viewer,
        project=proposal.project,
        what=what or default_what(quote=proposal.quote),
        due_at=due_at or proposal.due_at,
        promised_by=proposal.owner or proposal.author,
        quote=proposal.quote,
        condition=proposal.condition,
        origin=ORIGIN_BY_KIND.get(event.kind, Origin.DOCUMENT),
        source_event=event,
        task=task,
        create_task=create_task,
        now=now,
    )
    proposal.status = ProposalStatus.CONFIRMED
    proposal.promise = promise
    proposal.decided_by = viewer.user
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "promise", "decided_by", "decided_at"])
    from kabinet.questions.services import promise_confirmed

    promise_confirmed(
        promise=promise
    )  # a promise made in an answer keeps its question on the agency
    return promise


@transaction.atomic
def dismiss_proposal(*, viewer: Viewer, proposal: PromiseProposal) -> None:
    require_staff(viewer)
    require_project(viewer, proposal.project_id)
    updated = PromiseProposal.objects.filter(pk=proposal.pk, status=ProposalStatus.PENDING).update(
        status=ProposalStatus.DISMISSED, decided_by=viewer.user, decided_at=timezone.now()
    )
    if updated:
        audit(
            agency=proposal.agency,
            actor=viewer.user,
            verb="promise_proposal_dismissed",
            obj=proposal,
            quote=proposal.quote,
        )
        from kabinet.questions.services import offer_dismissed

        proposal.refresh_from_db()
        offer_dismissed(proposal=proposal)


# ----------------------------------------------------------------------------- keeping
#
# Kept means delivered: a promise is kept only with evidence the client can see — a client-visible
# message, report, document or attachment the agency published, chosen, or written in the same
# step. A linked task being done is a reason to ask the promiser to deliver, never a kept promise.

# Staff writing the client sees, that can carry what was promised.
EVIDENCE_KINDS = frozenset(DETECT_KINDS | {Kind.MILESTONE, Kind.KPI})


def evidence_candidates(*, promise: Promise):
    """What the agency has published to the client on the project since the promise was made."""
    clients = Membership.objects.filter(agency_id=promise.agency_id, role=Role.CLIENT).values(
        "user_id"
    )
    return (
        Event.objects.filter(
            project_id=promise.project_id,
            visibility=Visibility.CLIENT,
            kind__in=EVIDENCE_KINDS,
            author__isnull=False,
            occurred_at__gte=promise.created_at - timedelta(days=1),
        )
        .exclude(author_id__in=clients)
        .order_by("-occurred_at", "-pk")
    )


def _check_evidence(promise: Promise, evidence: Event) -> None:
    if not evidence_candidates(promise=promise).filter(pk=evidence.pk).exists():
        raise ValidationError(
            {
                "evidence": _(
                    "Choose something the client can see on this project, published since the promise was made."
                )
            }
        )


def _keep(
    actor: User | None,
    promise: Promise,
    *,
    evidence: Event | None,
    message: str,
    at: datetime,
    attachment_ids=(),
    viewer: Viewer | None = None,
    note: str = "",
) -> bool:
    """Pending → kept, once, with its evidence; the client's chronology says what she received."""
    if not Promise.objects.filter(pk=promise.pk, state__in=PENDING_STATES).exists():
        return False
    project = promise.project
    if evidence is None:
        # Delivered right here: the message (and its files) is the evidence.
        event = record_event(
            project=project,
            kind=Kind.PROMISE,
            title_key="promise_kept",
            title_params={"what": promise.what},
            body=message,
            author=actor,
            source=promise,
            occurred_at=at,
        )
        if viewer is not None and attachment_ids:
            from kabinet.timeline.services import attach_staged

            attach_staged(viewer=viewer, ids=list(attachment_ids), event=event)
        evidence = event
    else:
        record_event(
            project=project,
            kind=Kind.PROMISE,
            title_key="promise_delivered",
            title_params={"what": promise.what, "evidence": evidence.title},
            author=actor,
            source=promise,
            occurred_at=at,
        )
    Promise.objects.filter(pk=promise.pk, state__in=PENDING_STATES).update(
        state=State.KEPT,
        kept_at=at,
        kept_by=actor,
        kept_note=note[:300],
        evidence_event=evidence,
        version=F("version") + 1,
    )
    promise.refresh_from_db()
    audit(
        agency=project.agency,
        actor=actor,
        verb="promise_kept",
        obj=promise,
        evidence=evidence.pk,
        on_time=promise.kept_on_time,
    )
    _complete_preparation(actor, promise)
    from kabinet.questions.services import promise_delivered

    promise_delivered(promise=promise)  # a question owed on this promise is resolved
    return True


def _complete_preparation(actor: User | None, promise: Promise) -> None:
    """The task Kabinet made to prepare a promise is done once the client has the promised thing:
    left open, it went overdue in the person's queue and on the at-risk board, weighted as work
    for a promise that was already kept. A task the manager linked is her own and stays as it is."""
    from kabinet.work import services as work

    work.complete_task_made_for(actor=actor, source=promise, task_id=promise.task_id)


@transaction.atomic
def keep(
    *,
    viewer: Viewer,
    promise: Promise,
    evidence: Event | None = None,
    message: str = "",
    attachment_ids=(),
    note: str = "",
    at: datetime | None = None,
) -> Promise:
    """Mark a pending promise kept, with what delivered it to the client.

    Either `evidence` (a client-visible item the agency published since the promise was made) or
    `message` (written now: it goes to the client's chronology, with the staged `attachment_ids`).
    `note` is an internal remark; it is never shown to the client.
    """
    require_staff(viewer)
    require_project(viewer, promise.project_id)
    now = timezone.now()
    at = at or now
    promise = (
        Promise.objects.select_for_update()
        .select_related("project__company", "project__agency")
        .get(pk=promise.pk)
    )
    message = (message or "").strip()
    if not promise.is_pending:
        raise Conflict(_("This promise is no longer open."))
    if at > now:
        raise ValidationError({"kept_at": _("A promise cannot be kept in the future.")})
    if at < promise.created_at - timedelta(days=1):
        raise ValidationError({"kept_at": _("That is before the promise was made.")})
    if evidence is not None and message:
        raise ValidationError(
            {
                "message": _(
                    "Either choose what already delivered it, or write the message now — not both."
                )
            }
        )
    if evidence is None and not message:
        raise ValidationError(
            {
                "evidence": _(
                    "A promise is kept when the client has it: choose the message, report or document that "
                    "delivered it, or write the message to the client now."
                )
            }
        )
    if evidence is not None:
        _check_evidence(promise, evidence)
    _keep(
        viewer.user,
        promise,
        evidence=evidence,
        message=message,
        at=at,
        attachment_ids=attachment_ids,
        viewer=viewer,
        note=note.strip(),
    )
    return promise


def complete_task(*, viewer: Viewer, task) -> list[Promise]:
    """The task-page form: complete the task. Its pending promises are *not* kept by this:
    the promiser is asked to deliver them (see `on_task_completed`). Returns those promises."""
    from kabinet.work import services as work

    require_staff(viewer)
    require_project(viewer, task.project_id)
    with transaction.atomic():
        if task.is_open:
            work.complete_task(viewer=viewer.user, task=task)
    return list(Promise.objects.filter(task=task, state__in=PENDING_STATES))


def on_task_completed(*, sender, task, actor=None, **kwargs) -> None:
    """A linked task is done: ask the promiser to deliver the promise to the client, once."""
    now = timezone.now()
    for promise in Promise.objects.select_related(
        "promised_by", "project__agency", "project__company"
    ).filter(task_id=task.pk, state__in=PENDING_STATES, keep_offered_at__isnull=True):
        Promise.objects.filter(pk=promise.pk).update(keep_offered_at=now)
        project = promise.project
        with translation.override(promise.promised_by.language):
            notify(
                user=promise.promised_by,
                agency=project.agency,
                kind="promise_keep_offer",
                title=_("Ready to deliver: «%(what)s» (%(client)s)")
                % {
                    "what": promise.what,
                    "client": project.company.name,
                },
                body=_(
                    "The task is done. The promise is kept when the client has it: send it to the client "
                    "(a message, report or file) from the promise page, by %(due)s."
                )
                % {
                    "due": format_due(project.agency, promise.due_at, now=now),
                },
                url=_promise_url(promise),
                dedupe_key=f"promise:{promise.pk}:keep-offer",
            )


# ----------------------------------------------------------------------------- renegotiation


def draft_message(*, promise: Promise, new_due: datetime | None, reason: str) -> str:
    """The message to the client, in the client's language; staff edit it before sending."""
    project = promise.project
    with _in_client_language(project):
        text = _(
            "Hello! We have to move the date of our promise «%(what)s»: instead of %(old)s "
            "it will be ready by %(new)s."
        ) % {
            "what": promise.what,
            "old": format_due(project.agency, promise.due_at),
            "new": format_due(project.agency, new_due) if new_due else "…",
        }
        reason = reason.strip()
        if reason:
            text += " " + _("Reason: %(reason)s") % {"reason": reason}
            text += "" if reason[-1] in ".!?…" else "."
        text += " " + _("Sorry for the change.")
    return text


def describe_promise(*, promise: Promise) -> dict[str, tuple[str, str]]:
    """The promise as stored, in the fields of the renegotiation form (the conflict panel)."""
    last = (
        PromiseRenegotiation.objects.filter(promise=promise)
        .select_related("message_event")
        .order_by("-created_at", "-pk")
        .first()
    )
    tz = ZoneInfo(promise.project.agency.timezone)
    return {
        "state": (_("State"), str(promise.get_state_display())),
        "new_due": (_("Due date"), promise.due_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")),
        "reason": (_("Reason"), last.reason if last else "—"),
        "message": (
            _("Message to the client"),
            last.message_event.body if last and last.message_event_id else "—",
        ),
    }


@transaction.atomic
def renegotiate(
    *,
    viewer: Viewer,
    promise: Promise,
    new_due: datetime | None,
    reason: str,
    message: str,
    now: datetime | None = None,
    version: int | None = None,
) -> PromiseRenegotiation:
    """Move a promise: the client gets the message in the chronology; told before the old date or late.

    `version` is the promise as the person saw it (kabinet.core.concurrency): two people moving
    one promise at once give the client one date; the second gets ``EditConflict`` with the first.
    """
    require_staff(viewer)
    require_project(viewer, promise.project_id)
    now = now or timezone.now()
    promise = (
        Promise.objects.select_for_update()
        .select_related("project__company", "project__agency")
        .get(pk=promise.pk)
    )
    errors: dict[str, str] = {}
    concurrency.check(promise, version, saved=lambda: describe_promise(promise=promise))
    if promise.state == State.KEPT:
        raise Conflict(_("This promise has been kept; there is nothing to move."))
    try:
        new_due = _validate_due(promise.project, new_due, now)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    else:
        if new_due == promise.due_at:
            errors["due_at"] = _("The new date is the same as the current one.")
    if not reason.strip():
        errors["reason"] = _("Give the reason for the new date.")
    if not message.strip():
        errors["message"] = _("Write the message to the client: a new date is always told to them.")
    if errors:
        raise ValidationError(errors)
    project = promise.project
    told_before = now < promise.due_at and promise.broken_at is None
    event = record_event(
        project=project,
        kind=Kind.PROMISE,
        title_key="promise_moved",
        title_params={"what": promise.what, "due": format_due(project.agency, new_due, now=now)},
        body=message.strip(),
        author=viewer.user,
        source=promise,
        occurred_at=now,
    )
    renegotiation = PromiseRenegotiation.objects.create(
        agency_id=promise.agency_id,
        promise=promise,
        old_due=promise.due_at,
        new_due=new_due,
        reason=reason.strip(),
        message_event=event,
        told_before_due=told_before,
        by=viewer.user,
        created_at=now,
    )
    promise.due_at = new_due
    promise.state = State.RENEGOTIATED
    promise.save(update_fields=["due_at", "state", *concurrency.bump(promise)])
    if (
        promise.task_id
        and promise.task.is_open
        and promise.task.due_at
        and promise.task.due_at < new_due
    ):
        _move_task(viewer.user, promise.task, new_due, reason.strip())
    audit(
        agency=project.agency,
        actor=viewer.user,
        verb="promise_renegotiated",
        obj=promise,
        old_due=renegotiation.old_due.isoformat(),
        new_due=new_due.isoformat(),
        told_before_due=told_before,
    )
    return renegotiation


def _move_task(actor: User, task, due_at: datetime, reason: str) -> None:
    """Keep the preparation task in step with the promise (its change record keeps the reason)."""
    from kabinet.work import services as work

    work.change_task(viewer=actor, task=task, due_at=due_at, reason=reason)


# ----------------------------------------------------------------------------- the clock


@dataclass
class ClockResult:
    soon: int = 0
    due: int = 0
    broken: int = 0


def soon_threshold(*, calendar, promise: Promise) -> timedelta:
    span = calendar.between(promise.created_at, promise.due_at)
    one_day = timedelta(hours=calendar.hours_per_day)
    return min(max(span * SOON_SHARE, SOON_MIN), one_day)


def _remind(promise: Promise, kind: str, title: str, body: str) -> bool:
    user = promise.promised_by
    return (
        notify(
            user=user,
            agency=promise.project.agency,
            kind=f"promise_{kind}",
            title=title,
            body=body,
            url=_promise_url(promise),
            dedupe_key=f"promise:{promise.pk}:{kind}:{promise.due_at.isoformat()}",
        )
        is not None
    )


def _break(promise: Promise, now: datetime) -> bool:
    """Pending → broken, once (a conditional update decides who wins), chronology and escalation."""
    with transaction.atomic():
        updated = Promise.objects.filter(
            agency_id=promise.agency_id,
            pk=promise.pk,
            state__in=PENDING_STATES,
            due_at=promise.due_at,
        ).update(state=State.BROKEN, broken_at=now)
        if not updated:
            return False
        project = promise.project
        record_event(
            project=project,
            kind=Kind.PROMISE,
            title_key="promise_broken",
            title_params={
                "what": promise.what,
                "due": format_due(project.agency, promise.due_at, now=now),
            },
            source=promise,
            occurred_at=now,
        )
        audit(
            agency=project.agency,
            actor=None,
            verb="promise_broken",
            obj=promise,
            due_at=promise.due_at.isoformat(),
        )
        heads = User.objects.filter(
            memberships__agency_id=promise.agency_id, memberships__role=Role.HEAD, is_active=True
        )
        for head in heads:
            with translation.override(head.language):
                notify(
                    user=head,
                    agency=project.agency,
                    kind="promise_broken",
                    title=_("Broken promise: %(client)s — %(what)s")
                    % {"client": project.company.name, "what": promise.what},
                    body=_("%(who)s promised it by %(due)s; it was neither kept nor renegotiated.")
                    % {
                        "who": promise.promised_by.full_name,
                        "due": format_due(project.agency, promise.due_at, now=now),
                    },
                    url=_promise_url(promise),
                    dedupe_key=f"promise:{promise.pk}:broken",
                )
        with translation.override(promise.promised_by.language):
            notify(
                user=promise.promised_by,
                agency=project.agency,
                kind="promise_broken",
                title=_("Your promise «%(what)s» is now broken") % {"what": promise.what},
                body=_("Tell the client the new date: renegotiate it."),
                url=_promise_url(promise),
                dedupe_key=f"promise:{promise.pk}:broken",
            )
    return True


def run_clock(*, now: datetime | None = None) -> ClockResult:
    """Reminders before and at the due time; breach and escalation after the grace period. Idempotent."""
    now = now or timezone.now()
    result = ClockResult()
    calendars: dict[int, object] = {}
    for agency in Agency.objects.order_by("pk"):
        pending = (
            # "Soon" is at most one business day before the due time, which a long holiday can
            # stretch to many calendar days: look a fortnight ahead.
            Promise.objects.filter(
                agency=agency, state__in=PENDING_STATES, due_at__lte=now + timedelta(days=15)
            )
            .select_related("promised_by", "project__agency", "project__company")
            .order_by("due_at")
        )
        for promise in pending.iterator(chunk_size=500):
            project = promise.project
            calendar = calendars.get(project.agency_id) or calendars.setdefault(
                project.agency_id, project.agency.calendar()
            )
            with translation.override(promise.promised_by.language):
                due_text = format_due(project.agency, promise.due_at, now=now)
                if now >= calendar.add(promise.due_at, BREACH_GRACE):
                    result.broken += _break(promise, now)
                elif now >= promise.due_at:
                    result.due += _remind(
                        promise,
                        "due",
                        _("Due now: %(what)s (%(client)s)")
                        % {"what": promise.what, "client": project.company.name},
                        _(
                            "Mark it kept, or renegotiate it with the client before it counts as broken."
                        ),
                    )
                    webhooks.promise_due(promise=promise, now=now)  # the agency's endpoints, once
                elif calendar.between(now, promise.due_at) <= soon_threshold(
                    calendar=calendar, promise=promise
                ):
                    result.soon += _remind(
                        promise,
                        "soon",
                        _("Due %(due)s: %(what)s (%(client)s)")
                        % {
                            "due": due_text,
                            "what": promise.what,
                            "client": project.company.name,
                        },
                        _("You promised this to the client. If it will be late, renegotiate now."),
                    )
    return result


# ----------------------------------------------------------------------------- escalation


def escalate_unconfirmed_proposals(*, now: datetime | None = None) -> int:
    """Proposals nobody confirmed or dismissed within one business day go to the project's account
    manager (the heads when it has none), once: a conditional update on `escalated_at` decides,
    and the notification's dedupe key holds if two runs race. Returns how many were escalated."""
    now = now or timezone.now()
    calendars: dict[int, object] = {}
    escalated = 0
    for agency in Agency.objects.order_by("pk"):
        candidates = (
            PromiseProposal.objects.filter(
                agency=agency,
                status=ProposalStatus.PENDING,
                escalated_at__isnull=True,
                # A business day is at least nine hours: nothing younger can be due yet.
                created_at__lte=now - timedelta(hours=9),
            )
            .select_related("project__agency", "project__company", "owner", "author")
            .prefetch_related(
                Prefetch(
                    "project__members",
                    queryset=ProjectMember.objects.filter(agency=agency).select_related("user"),
                )
            )
            .order_by("created_at")
        )
        for proposal in candidates.iterator(chunk_size=500):
            project = proposal.project
            calendar = calendars.get(project.agency_id) or calendars.setdefault(
                project.agency_id, project.agency.calendar()
            )
            if calendar.between(proposal.created_at, now) < timedelta(hours=calendar.hours_per_day):
                continue
            with transaction.atomic():
                won = PromiseProposal.objects.filter(
                    agency=agency,
                    pk=proposal.pk,
                    status=ProposalStatus.PENDING,
                    escalated_at__isnull=True,
                ).update(escalated_at=now)
                if not won:
                    continue
                manager = project.account_manager
                recipients = (
                    [manager]
                    if manager is not None
                    else list(
                        User.objects.filter(
                            memberships__agency_id=project.agency_id,
                            memberships__role=Role.HEAD,
                            is_active=True,
                        )
                    )
                )
                who = (proposal.owner or proposal.author).full_name
                for recipient in recipients:
                    with translation.override(recipient.language):
                        if proposal.kind == ProposalKind.OUTCOME:
                            title = _("Unanswered expectation risk: %(client)s") % {
                                "client": project.company.name
                            }
                        else:
                            title = _("Promise not confirmed for a business day: %(client)s") % {
                                "client": project.company.name
                            }
                        notify(
                            user=recipient,
                            agency=project.agency,
                            kind="promise_proposal_escalated",
                            title=title,
                            body=_(
                                "%(who)s wrote «%(quote)s»; nobody has confirmed or dismissed it."
                            )
                            % {"who": who, "quote": proposal.quote[:300]},
                            url=reverse("project_promises", args=[project.pk]),
                            dedupe_key=f"promise-proposal:{proposal.pk}:escalated",
                        )
                audit(
                    agency=project.agency,
                    actor=None,
                    verb="promise_proposal_escalated",
                    obj=proposal,
                )
                escalated += 1
    return escalated
