"""Who is told when something lands in the chronology, and reminders for decisions that wait.

The chronology is the spine: every client-visible thing is an Event written by the service that
caused it. Once that transaction commits, `tell_about_event` tells the people it concerns:

- the client's people: a report or plan published, a recommendation waiting for their decision,
  a deadline moved, a promise kept or given a new date, the weekly digest (e-mailed whole) (answers to questions are told by the
  questions app, which knows who asked);
- the project's account manager: the client decided on a recommendation.

Each notification is written in its reader's language and says what is needed and by when.
`remind_pending_decisions` (hourly) reminds the client of a recommendation still waiting for a
decision — after 3, 7 and 14 days and then every fortnight — and tells the manager from a week on.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kabinet.core.formatting import format_due
from kabinet.core.models import Agency, Role, User
from kabinet.core.services import Notice, notify, notify_many
from kabinet.timeline.models import Decision, Event, Kind, Visibility

# A recommendation is answered within this many business days (what the client is asked for).
DECISION_BUSINESS_DAYS = 5
# Reminders while a decision waits: days after publication; then every REMIND_EVERY days.
REMIND_AFTER_DAYS = (3, 7, 14)
REMIND_EVERY = 14
TELL_MANAGER_FROM_DAYS = 7
BATCH = 200  # events per batch of the reminder job


def clients_of(project) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__agency_id=project.agency_id,
            memberships__role=Role.CLIENT,
            memberships__company_id=project.company_id,
        )
    )


def managers_of(project) -> list[User]:
    from kabinet.clients.models import ProjectMember

    return list(
        User.objects.filter(
            is_active=True,
            project_memberships__project=project,
            project_memberships__role=ProjectMember.ProjectRole.ACCOUNT_MANAGER,
        )
    )


def clients_of_many(projects) -> dict[tuple[int, int], list[User]]:
    """`clients_of` for many projects in one query, by (agency id, company id)."""
    from kabinet.core.models import Membership

    found: dict[tuple[int, int], list[User]] = {}
    rows = (
        Membership.objects.filter(
            agency_id__in={p.agency_id for p in projects},
            role=Role.CLIENT,
            company_id__in={p.company_id for p in projects},
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user_id")
    )
    for m in rows:
        people = found.setdefault((m.agency_id, m.company_id), [])
        if all(u.pk != m.user_id for u in people):
            people.append(m.user)
    return found


def managers_of_many(projects) -> dict[int, list[User]]:
    """`managers_of` for many projects in one query, by project id."""
    from kabinet.clients.models import ProjectMember

    found: dict[int, list[User]] = {}
    rows = (
        ProjectMember.objects.filter(
            agency_id__in={p.agency_id for p in projects},
            project_id__in={p.pk for p in projects},
            role=ProjectMember.ProjectRole.ACCOUNT_MANAGER,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user_id")
    )
    for m in rows:
        people = found.setdefault(m.project_id, [])
        if all(u.pk != m.user_id for u in people):
            people.append(m.user)
    return found


def decision_due(event: Event) -> datetime:
    """The end of the DECISION_BUSINESS_DAYS-th business day after publication."""
    calendar = event.project.agency.calendar()
    day = calendar.add_business_days(
        timezone.localtime(event.occurred_at, calendar.tz).date(), DECISION_BUSINESS_DAYS
    )
    return calendar.closing_of(day)


def shown_title(event: Event) -> str:
    """The event's title in the active language (generated titles are rendered per reader)."""
    return str(getattr(event, "shown_title", event.title))


def excerpt(text: str, limit: int = 400) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def on_event_saved(sender, instance: Event, created: bool, **kwargs) -> None:
    if created and instance.visibility == Visibility.CLIENT:
        pk = instance.pk
        transaction.on_commit(lambda: tell_about_event(pk))


def tell_about_event(event_id: int) -> int:
    """Tell the people a committed chronology event concerns. Returns how many were told."""
    event = (
        Event.objects.select_related("project__company", "project__agency", "author", "parent")
        .filter(pk=event_id, visibility=Visibility.CLIENT)
        .first()
    )
    if event is None:
        return 0
    from_client = (
        event.author_id is not None and event.author.memberships.filter(role=Role.CLIENT).exists()
    )
    if from_client:
        return _tell_manager_about_decision(event) if event.kind == Kind.DECISION else 0
    if event.kind in (Kind.REPORT, Kind.PLAN):
        return _tell_clients(
            event, "document_published", _document_title(event), action=_nothing_needed
        )
    if event.kind == Kind.RECOMMENDATION and event.decision == Decision.PENDING:
        due = decision_due(event)
        return _tell_clients(
            event,
            "decision_requested",
            lambda: _("Your decision is needed: %(title)s") % {"title": event.title},
            action=lambda: _("Approve it, decline it or comment on it in Kabinet."),
            due_at=due,
        )
    if event.kind == Kind.DEADLINE:
        return _tell_clients(
            event,
            "deadline_moved",
            lambda: shown_title(event),
            action=_nothing_needed,
            due_at=_task_due(event),
        )
    if event.kind == Kind.PROMISE:
        return _tell_about_promise(event)
    if event.kind == Kind.DIGEST:
        # The letter is the message: e-mailed whole, under its own subject.
        return _tell_clients(
            event,
            "weekly_digest",
            lambda: event.title,
            action=_nothing_needed,
            body=event.body,
        )
    return 0


def _nothing_needed() -> str:
    return _("Nothing is needed from you; ask us on the project if anything is unclear.")


def _document_title(event: Event):
    def title() -> str:
        if event.kind == Kind.REPORT:
            return _("New report: %(title)s") % {"title": event.title}
        return _("New plan: %(title)s") % {"title": event.title}

    return title


def _tell_clients(
    event: Event,
    kind: str,
    title,
    *,
    action,
    due_at: datetime | None = None,
    url: str = "",
    dedupe: str = "",
    body: str | None = None,
) -> int:
    told = 0
    for user in clients_of(event.project):
        with translation.override(user.language):
            if notify(
                user=user,
                agency=event.project.agency,
                kind=kind,
                title=str(title()),
                body=excerpt(event.body) if body is None else body,
                url=url or reverse("event", args=[event.pk]),
                project=event.project,
                action=str(action()),
                due_at=due_at,
                dedupe_key=dedupe or f"event:{event.pk}:{kind}",
            ):
                told += 1
    return told


def _task_due(event: Event) -> datetime | None:
    if event.source_type != "work.task":
        return None
    from kabinet.work.models import Task

    return Task.objects.filter(pk=event.source_id).values_list("due_at", flat=True).first()


def _tell_about_promise(event: Event) -> int:
    """A promise kept or given a new date (its making and breaking are told by other means)."""
    from kabinet.promises.models import Promise, PromiseRenegotiation, State

    if event.source_type != "promises.promise":
        return 0
    promise = Promise.objects.filter(pk=event.source_id).first()
    if promise is None:
        return 0
    key = getattr(event, "title_key", "")
    moved = (
        key == "promise_moved" or PromiseRenegotiation.objects.filter(message_event=event).exists()
    )
    # Without a title key: the keeping event is the one written at the moment it was kept.
    kept = key in ("promise_kept", "promise_delivered") or (
        not key
        and not moved
        and promise.state == State.KEPT
        and promise.kept_at == event.occurred_at
    )
    if moved:
        return _tell_clients(
            event,
            "promise_renegotiated",
            lambda: (
                _("New date for our promise «%(what)s»: %(due)s")
                % {"what": promise.what, "due": _when(event, promise.due_at)}
            ),
            action=_nothing_needed,
            due_at=promise.due_at,
        )
    if kept:
        return _tell_clients(
            event,
            "promise_kept",
            lambda: _("Promise kept: %(what)s") % {"what": promise.what},
            action=_nothing_needed,
        )
    return 0


def _when(event: Event, at: datetime) -> str:
    return format_due(event.project.agency, at, long=True)


def _tell_manager_about_decision(event: Event) -> int:
    recommendation = event.parent
    if recommendation is None:
        return 0
    project = event.project
    people = {u.pk: u for u in managers_of(project)}
    if recommendation.author_id and recommendation.author_id not in people:
        author = recommendation.author
        if author.is_active and not author.memberships.filter(role=Role.CLIENT).exists():
            people[author.pk] = author
    client = event.author.full_name or event.author.email
    told = 0
    for user in people.values():
        with translation.override(user.language):
            if event.decision == Decision.APPROVED:
                title = _("%(client)s approved «%(title)s»")
                action = _("Plan the work and tell the client when it starts.")
            elif event.decision == Decision.DECLINED:
                title = _("%(client)s declined «%(title)s»")
                action = _("Read the reason and agree the next step with the client.")
            else:
                title = _("%(client)s commented on «%(title)s»")
                action = _("Answer the comment in the chronology.")
            if notify(
                user=user,
                agency=project.agency,
                kind="client_decided",
                title=title % {"client": client, "title": recommendation.title},
                body=excerpt(event.body),
                url=reverse("event", args=[recommendation.pk]),
                project=project,
                action=action,
                dedupe_key=f"event:{event.pk}:client_decided",
            ):
                told += 1
    return told


# ----------------------------------------------------------------------------- reminders


def reminder_number(age: timedelta) -> int:
    """How many reminder points `age` has passed (0: none yet)."""
    days = age.days
    passed = sum(1 for d in REMIND_AFTER_DAYS if days >= d)
    if days >= REMIND_AFTER_DAYS[-1]:
        passed += (days - REMIND_AFTER_DAYS[-1]) // REMIND_EVERY
    return passed


def remind_pending_decisions(now: datetime | None = None) -> int:
    """Remind clients of recommendations still waiting for their decision; tell the manager from a
    week on. Once per reminder point (a job that runs twice reminds once). Returns notifications.

    Set-based: each agency's waiting events are read 200 at a time with their projects' clients and
    managers (one query each per batch), and `notify_many` skips the reminders already sent."""
    from kabinet.clients.models import Project

    now = now or timezone.now()
    told = 0
    for agency in Agency.objects.order_by("pk"):  # one agency's waiting events at a time
        waiting = list(
            Event.objects.filter(
                agency=agency,
                kind=Kind.RECOMMENDATION,
                visibility=Visibility.CLIENT,
                decision=Decision.PENDING,
                occurred_at__lte=now - timedelta(days=REMIND_AFTER_DAYS[0]),
                project__status=Project.Status.ACTIVE,
            )
            .select_related("project__company", "project__agency")
            .order_by("pk")
        )
        for start in range(0, len(waiting), BATCH):
            batch = waiting[start : start + BATCH]
            projects = {e.project_id: e.project for e in batch}.values()
            clients = clients_of_many(projects)
            managers = managers_of_many(projects)
            notices: list[Notice] = []
            for event in batch:
                number = reminder_number(now - event.occurred_at)
                days = (now - event.occurred_at).days
                since = _when(event, event.occurred_at)
                url = reverse("event", args=[event.pk])
                for user in clients.get((event.project.agency_id, event.project.company_id), []):
                    with translation.override(user.language):
                        notices.append(
                            Notice(
                                user=user,
                                agency=event.project.agency,
                                kind="decision_reminder",
                                title=_("Still waiting for your decision: %(title)s")
                                % {"title": event.title},
                                body=_(
                                    "We sent this recommendation on %(since)s (%(days)d days ago); the work waits for your answer."
                                )
                                % {"since": since, "days": days},
                                url=url,
                                project=event.project,
                                action=_("Approve it, decline it or comment on it in Kabinet."),
                                dedupe_key=f"event:{event.pk}:decision_reminder:{number}",
                            )
                        )
                if days < TELL_MANAGER_FROM_DAYS:
                    continue
                for user in managers.get(event.project_id, []):
                    with translation.override(user.language):
                        notices.append(
                            Notice(
                                user=user,
                                agency=event.project.agency,
                                kind="decision_waiting",
                                title=_(
                                    "%(client)s has not decided on «%(title)s» for %(days)d days"
                                )
                                % {
                                    "client": event.project.company.name,
                                    "title": event.title,
                                    "days": days,
                                },
                                url=url,
                                project=event.project,
                                action=_(
                                    "Call the client: agree a decision, or withdraw the recommendation."
                                ),
                                dedupe_key=f"event:{event.pk}:decision_waiting:{number}",
                            )
                        )
            told += notify_many(notices=notices)
    return told
