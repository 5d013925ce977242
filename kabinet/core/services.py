"""Writes that belong to no single domain: the audit trail and notifications."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Min, Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import ngettext

from kabinet.core import concurrency, limits
from kabinet.core.models import Agency, ApiToken, AuditEntry, Notification, User
from kabinet.core.notifications import (
    BY_CODE,
    DIGEST_HOUR,
    MAX_WAIT,
    QUIET,
    WHOLE_TEXT_KINDS,
    Delivery,
    delivery_for,
    topic_for,
)
from kabinet.core.scoping import Viewer

EMAIL_MAX_ATTEMPTS = 8


def audit(*, agency: Agency, actor: User | None, verb: str, obj, **data) -> AuditEntry:
    return AuditEntry.objects.create(
        agency=agency,
        actor=actor,
        verb=verb,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        data=data,
    )


def notify(
    *,
    user: User,
    agency: Agency,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str = "",
    project=None,
    action: str = "",
    due_at: datetime | None = None,
) -> Notification | None:
    """Tell a person something, as they chose for this kind (kabinet.core.notifications).

    `project` names the client and project in the e-mail, `action` says what the person needs to
    do and `due_at` by when. With a dedupe_key the same cause notifies once, however often the
    caller runs. Nothing is mailed here: `send_due_emails` (every minute) turns a person's pending
    notifications into one e-mail once they stop coming, `send_digests` sends the daily ones.
    """
    if not user.is_active or not user.notify_in_app and not user.notify_by_email:
        return None
    delivery = delivery_for(user, agency, kind)
    if delivery == Delivery.OFF:
        return None
    if not user.notify_by_email:
        state = Notification.EmailState.NOT_WANTED
    elif delivery == Delivery.DAILY:
        state = Notification.EmailState.DAILY
    else:
        state = Notification.EmailState.PENDING
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                agency=agency,
                user=user,
                kind=kind,
                title=title[:300],
                body=body,
                url=url,
                project=project,
                action=action[:300],
                due_at=due_at,
                dedupe_key=dedupe_key,
                email_state=state,
                read_at=None if user.notify_in_app else timezone.now(),
            )
    except IntegrityError:
        if not dedupe_key:
            raise
        return None  # this cause was already notified
    return notification


@dataclass(frozen=True)
class Notice:
    """One notification for `notify_many`: the arguments of `notify`."""

    user: User
    agency: Agency
    kind: str
    title: str
    body: str = ""
    url: str = ""
    dedupe_key: str = ""
    project: Any = None
    action: str = ""
    due_at: datetime | None = None


NOTIFY_BATCH = 500


def notify_many(*, notices: Iterable[Notice], batch_size: int = NOTIFY_BATCH) -> int:
    """`notify` for many notifications at once, for periodic jobs: the same rules (the person's
    choice per kind, once per dedupe key), in a constant number of queries per batch — the causes
    already notified, the people's choices, one multi-row insert — instead of a few per
    notification. Returns how many notifications were created.

    A cause notified by another run in between is skipped by the unique constraint (the insert
    ignores it); then the count returned may include it.
    """
    created = 0
    batch: list[Notice] = []
    for notice in notices:
        batch.append(notice)
        if len(batch) >= batch_size:
            created += _notify_batch(batch)
            batch = []
    if batch:
        created += _notify_batch(batch)
    return created


def _notify_batch(notices: list[Notice]) -> int:
    from kabinet.core.models import NotificationPreference

    wanted: list[Notice] = []
    seen: set[tuple[int, str]] = set()
    for n in notices:
        if not n.user.is_active or not n.user.notify_in_app and not n.user.notify_by_email:
            continue
        if n.dedupe_key:
            if (n.user.pk, n.dedupe_key) in seen:
                continue
            seen.add((n.user.pk, n.dedupe_key))
        wanted.append(n)
    if not wanted:
        return 0
    user_ids = {n.user.pk for n in wanted}
    if seen:
        done = set(
            Notification.objects.filter(
                agency_id__in={n.agency.pk for n in wanted},
                user_id__in=user_ids,
                dedupe_key__in={key for _u, key in seen},
            ).values_list("user_id", "dedupe_key")
        )
        wanted = [n for n in wanted if not n.dedupe_key or (n.user.pk, n.dedupe_key) not in done]
    topics = {n.kind: topic_for(n.kind) for n in wanted}
    codes = {t.code for t in topics.values() if t is not None}
    chosen: dict[tuple[int, str], str] = {}
    if codes:
        chosen = {
            (user_id, topic): delivery
            for user_id, topic, delivery in NotificationPreference.objects.filter(
                agency_id__in={n.agency.pk for n in wanted}, user_id__in=user_ids, topic__in=codes
            ).values_list("user_id", "topic", "delivery")
        }
    now = timezone.now()
    rows: list[Notification] = []
    for n in wanted:
        topic = topics[n.kind]
        if topic is None:
            delivery = Delivery.IMMEDIATELY
        else:
            delivery = chosen.get((n.user.pk, topic.code)) or topic.default
        if delivery == Delivery.OFF:
            continue
        if not n.user.notify_by_email:
            state = Notification.EmailState.NOT_WANTED
        elif delivery == Delivery.DAILY:
            state = Notification.EmailState.DAILY
        else:
            state = Notification.EmailState.PENDING
        rows.append(
            Notification(
                agency=n.agency,
                user=n.user,
                kind=n.kind,
                title=n.title[:300],
                body=n.body,
                url=n.url,
                project=n.project,
                action=n.action[:300],
                due_at=n.due_at,
                dedupe_key=n.dedupe_key,
                email_state=state,
                read_at=None if n.user.notify_in_app else now,
            )
        )
    if rows:
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def set_preferences(*, viewer: Viewer, choices: dict[str, str]) -> None:
    """Save a person's delivery choice per topic (unknown topics or choices are refused)."""
    user, agency = viewer.user, viewer.agency
    from kabinet.core.models import NotificationPreference

    for topic, delivery in choices.items():
        if topic not in BY_CODE or delivery not in Delivery.values:
            raise ValueError(f"unknown topic or delivery: {topic}={delivery}")
        NotificationPreference.objects.update_or_create(
            agency=agency, user=user, topic=topic, defaults={"delivery": delivery}
        )


def absolute_url(*, url: str) -> str:
    """A link for an e-mail: SITE_URL + the path (an absolute URL is kept as it is)."""
    if not url or "://" in url:
        return url
    return settings.SITE_URL.rstrip("/") + "/" + url.lstrip("/")


def sending_lease() -> timedelta:
    """How long an e-mail may take to send before its attempt is taken for dead and sent again
    (several SMTP timeouts: a live sender is never doubled by a slow server)."""
    return timedelta(seconds=settings.EMAIL_SENDING_LEASE_SECONDS)


def _ready_users(agency_id: int, now: datetime) -> list[int]:
    """The people of one agency whose pending notifications have stopped coming (or waited long
    enough), whose failed e-mail is due for another try, or whose e-mail's sender died while
    sending it. One query, whatever the number of notifications: the agency's notifications in
    those three states grouped by person and state (found through the index on the state)."""
    E = Notification.EmailState
    lease = timezone.now() - sending_lease()
    rows = (
        Notification.objects.filter(
            agency_id=agency_id, email_state__in=[E.PENDING, E.FAILED, E.SENDING]
        )
        .values("user_id", "email_state")
        .annotate(
            first=Min("created_at"),
            last=Max("created_at"),
            next_try=Min("email_next_try_at"),
            sending_since=Min("email_sending_at"),
        )
        .order_by()
    )
    ready = set()
    for row in rows:
        state = row["email_state"]
        if state == E.PENDING:
            due = row["last"] <= now - QUIET or row["first"] <= now - MAX_WAIT
        elif state == E.FAILED:
            due = row["next_try"] is not None and row["next_try"] <= now
        else:
            due = row["sending_since"] is not None and row["sending_since"] < lease
        if due:
            ready.add(row["user_id"])
    return sorted(ready)


def send_due_emails(*, now: datetime | None = None) -> int:
    """Send each person one e-mail with everything pending for them (run every minute).

    One agency at a time (the agencies are a reference table): one query finds the agency's
    people who are due, then one `_deliver` each. Returns the number of e-mails sent. A
    notification is mailed once; see `_deliver` for the one window in which a killed sender
    mails it twice, under the same Message-ID.
    """
    now = now or timezone.now()
    sent = 0
    states = [Notification.EmailState.PENDING, Notification.EmailState.FAILED]
    for agency_id in Agency.objects.order_by("pk").values_list("pk", flat=True):
        for user_id in _ready_users(agency_id, now):
            if _deliver(agency_id, user_id, states, now, digest=False) == "sent":
                sent += 1
    return sent


def send_digests(*, now: datetime | None = None) -> int:
    """Each morning (DIGEST_HOUR, agency time) one e-mail with the day's DAILY notifications.

    One agency at a time: one query per agency reads who has DAILY notifications waiting and
    since when."""
    now = now or timezone.now()
    sent = 0
    for agency_id, tz in Agency.objects.order_by("pk").values_list("pk", "timezone"):
        local = now.astimezone(ZoneInfo(tz))
        boundary = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
        if boundary > local:
            boundary -= timedelta(days=1)
        waiting = (
            Notification.objects.filter(
                agency_id=agency_id, email_state=Notification.EmailState.DAILY
            )
            .values("user_id")
            .annotate(first=Min("created_at"))
            .order_by("user_id")
        )
        for row in waiting:
            if (
                row["first"] < boundary
                and _deliver(
                    agency_id, row["user_id"], [Notification.EmailState.DAILY], now, digest=True
                )
                == "sent"
            ):
                sent += 1
    return sent


DIGEST_ATTEMPT = "d"  # first letter of a digest's attempt id (a re-sent digest stays a digest)


def _deliver(
    agency_id: int, user_id: int, states: list[str], now: datetime, *, digest: bool
) -> str:
    """One e-mail with the person's notifications (in one agency) in `states`, sent through an
    outbox.

    1. In one transaction the notifications are marked SENDING under a new attempt id, which
       commits before anything is sent (a kill here loses nothing: they wait in SENDING).
    2. The e-mail is sent outside any transaction, with Message-ID derived from the attempt id.
    3. The attempt's notifications are marked SENT (a transport error: FAILED, retried with
       back-off; a digest stays a digest and is retried at the next run).

    An attempt left in SENDING longer than `sending_lease()` — its sender was killed or lost the
    database — is sent again as it was: the same notifications, the same Message-ID. The one
    window left is a kill after the server accepted the e-mail and before step 3 committed
    (one UPDATE): the person then receives a second copy with the same Message-ID, which mail
    clients file as the same message. SMTP gives no way to ask whether a message arrived, so
    this at-least-once window cannot be closed from this side; it is bounded by one copy per
    kill that lands in it.
    """
    lease = timezone.now() - sending_lease()
    sending = Notification.EmailState.SENDING
    with transaction.atomic():
        mine = Notification.objects.select_for_update(of=("self",)).filter(
            agency_id=agency_id, user_id=user_id
        )
        in_flight = list(
            mine.filter(email_state=sending).values_list("email_attempt_id", "email_sending_at")
        )
        stale = sorted({a for a, at in in_flight if at is None or at < lease})
        if stale:
            attempt = stale[0]  # resend the abandoned attempt, unchanged
            items = list(mine.filter(email_state=sending, email_attempt_id=attempt))
            digest = attempt.startswith(DIGEST_ATTEMPT)
        elif in_flight:
            return "skipped"  # another sender is at it
        else:
            items = list(
                mine.filter(email_state__in=states, created_at__lte=now).filter(
                    ~Q(email_state=Notification.EmailState.FAILED) | Q(email_next_try_at__lte=now)
                )
            )
            attempt = (DIGEST_ATTEMPT if digest else "n") + uuid.uuid4().hex
        if not items:
            return "skipped"
        ids = [n.pk for n in items]
        Notification.objects.filter(agency_id=agency_id, pk__in=ids).update(
            email_state=sending, email_attempt_id=attempt, email_sending_at=timezone.now()
        )
    items = list(
        Notification.objects.select_related("user", "agency", "project__company")
        .filter(agency_id=agency_id, pk__in=ids)
        .order_by("created_at", "pk")
    )
    user = items[0].user
    try:
        if user.is_active:
            _send(user, items, digest=digest, message_id=_message_id(attempt))
    except Exception as exc:  # any transport error: keep them and retry later
        error = f"{type(exc).__name__}: {exc}"[:2000]
        for n in items:
            n.email_attempts += 1
            n.email_error = error
            n.email_attempt_id = ""
            if digest:
                n.email_state = Notification.EmailState.DAILY
            elif n.email_attempts >= EMAIL_MAX_ATTEMPTS:
                n.email_state = Notification.EmailState.GAVE_UP
            else:
                n.email_state = Notification.EmailState.FAILED
                n.email_next_try_at = now + timedelta(minutes=2**n.email_attempts)
        for n in items:  # rare (a transport error): one UPDATE per notification, in its agency
            Notification.objects.filter(agency_id=agency_id, pk=n.pk).update(
                email_attempts=n.email_attempts,
                email_error=n.email_error,
                email_state=n.email_state,
                email_next_try_at=n.email_next_try_at,
                email_attempt_id=n.email_attempt_id,
            )
        return "failed"
    Notification.objects.filter(
        agency_id=agency_id, pk__in=ids, email_state=sending, email_attempt_id=attempt
    ).update(
        email_state=Notification.EmailState.SENT,
        email_attempts=F("email_attempts") + 1,
        email_error="",
    )
    return "sent"


def _message_id(attempt: str) -> str:
    """The Message-ID of one e-mail attempt: the same on every re-send of that attempt."""
    domain = urlsplit(settings.SITE_URL).hostname or "kabinet.localhost"
    return f"<{attempt}@{domain}>"


def _send(user: User, items: list[Notification], *, digest: bool, message_id: str) -> None:
    """Render the e-mail in the person's language and send it."""
    from django.core.mail import EmailMultiAlternatives
    from django.template.loader import render_to_string

    with translation.override(user.language):
        context = {
            "user": user,
            "items": [_email_item(n) for n in items],
            "digest": digest,
            "settings_url": absolute_url(url=reverse("settings")) + "#notifications",
        }
        if digest:
            subject = ngettext(
                "Kabinet: your daily digest — %(count)d update",
                "Kabinet: your daily digest — %(count)d updates",
                len(items),
            ) % {"count": len(items)}
        elif len(items) == 1:
            subject = f"Kabinet: {items[0].title}"
            if items[0].project_id:
                subject += f" ({items[0].project.company.name})"
        else:
            names = list(dict.fromkeys(n.project.company.name for n in items if n.project_id))
            subject = ngettext(
                "Kabinet: %(count)d update", "Kabinet: %(count)d updates", len(items)
            ) % {"count": len(items)}
            if names:
                subject += " — " + ", ".join(names[:3]) + ("…" if len(names) > 3 else "")
        text = render_to_string("core/email/notifications.txt", context)
        html = render_to_string("core/email/notifications.html", context)
    # A header is one line: a stored title with a line break must not stop the e-mail.
    subject = limits.one_line(subject)[:250]
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=[user.email], headers={"Message-ID": message_id}
    )
    message.attach_alternative(html, "text/html")
    message.send()


def _email_item(n: Notification) -> dict:
    tz = ZoneInfo(n.agency.timezone)
    due = None
    if n.due_at is not None:
        due = formats.date_format(n.due_at.astimezone(tz), "j E Y, H:i")
    return {
        "client": n.project.company.name if n.project_id else "",
        "project": n.project.name if n.project_id else "",
        "title": n.title,
        "body": n.body
        if len(n.body) <= 800 or n.kind in WHOLE_TEXT_KINDS
        else n.body[:800].rstrip() + "…",
        "action": n.action,
        "markdown": n.kind in WHOLE_TEXT_KINDS,  # a letter written in Markdown: rendered in HTML
        "due": due,
        "link": absolute_url(url=n.url),
    }


def mark_read(*, viewer: Viewer, ids: list[int] | None = None) -> int:
    """Mark the viewer's unread notifications (all, or those ids) read."""
    qs = Notification.objects.filter(agency=viewer.agency, user=viewer.user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def create_api_token(
    *, viewer: Viewer, name: str, expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """A token of the viewer in the viewer's agency: the row and the plain key, which is never
    stored (kabinet.api.tokens)."""
    from kabinet.api.tokens import create_token

    return create_token(
        user=viewer.user, agency=viewer.agency, name=name, expires_in_days=expires_in_days
    )


HEADS_GROUP = "Head of accounts"


def grant_admin_to_head(*, user: User) -> None:
    """The head of accounts manages their agency in Django admin (TenantAdmin keeps it to that agency)."""
    from django.contrib.auth.models import Group, Permission

    heads, _created = Group.objects.get_or_create(name=HEADS_GROUP)
    from django.apps import apps

    # Every Kabinet app; TenantAdmin keeps each of them to the head's own agency.
    labels = [c.label for c in apps.get_app_configs() if c.name.startswith("kabinet.")]
    heads.permissions.set(Permission.objects.filter(content_type__app_label__in=labels))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.groups.add(heads)


def sync_admin_access(*, user: User) -> None:
    """Admin follows the role: a head of accounts has it, anyone else loses it (superusers aside).

    Called whenever a person's memberships change, so the staff flag is never set by hand.
    """
    from django.contrib.auth.models import Group

    from kabinet.core.models import Role

    if user.memberships.filter(role=Role.HEAD).exists():
        grant_admin_to_head(user=user)
        return
    user.groups.remove(*Group.objects.filter(name=HEADS_GROUP))
    if user.is_staff and not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])


CALENDAR_FIELDS = (
    "timezone",
    "country",
    "work_start",
    "work_end",
    "weekend",
    "days_off",
    "working_days",
)


def save_calendar(
    *,
    viewer,
    timezone_name: str,
    country: str,
    work_start,
    work_end,
    weekend: list[int],
    days_off: list,
    working_days: list,
    version: int | None = None,
):
    """The head sets the agency's business calendar: SLA clocks, promise due times and schedules
    are measured in it. Audited; the plan is recomputed in the background (`agency_terms_changed`).
    `version` is the calendar as the head saw it: saved since by someone else, ``EditConflict``."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from kabinet.core import signals
    from kabinet.core.scoping import require_head
    from kabinet.lib.business_calendar import from_settings

    require_head(viewer)
    errors: dict[str, str] = {}
    if work_start is not None and work_end is not None and work_end <= work_start:
        errors["work_end"] = _("The working day must end after it starts.")
    if len(set(weekend)) >= 7:
        errors["weekend"] = _("At least one day of the week must be a working day.")
    both = sorted(set(days_off) & set(working_days))
    if both:
        errors["working_days"] = _(
            "A date cannot be both a day off and a working day: %(days)s."
        ) % {"days": ", ".join(d.isoformat() for d in both)}
    if not errors:
        try:
            from_settings(
                {
                    "tz": timezone_name,
                    "start": work_start,
                    "end": work_end,
                    "weekend": weekend,
                    "country": country or None,
                    "days_off": days_off,
                    "working_days": working_days,
                }
            )
        except Exception as exc:  # the engine names what is wrong (zone, country)
            errors["__all__"] = _("This calendar cannot be used: %(reason)s") % {"reason": exc}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=viewer.agency.pk)
        concurrency.check(agency, version, saved=lambda: describe_calendar(agency=agency))
        before = {f: _plain(getattr(agency, f)) for f in CALENDAR_FIELDS}
        agency.timezone = timezone_name
        agency.country = country
        agency.work_start, agency.work_end = work_start, work_end
        agency.weekend = sorted(set(weekend))
        agency.days_off = sorted({d.isoformat() for d in days_off})
        agency.working_days = sorted({d.isoformat() for d in working_days})
        after = {f: _plain(getattr(agency, f)) for f in CALENDAR_FIELDS}
        changed = {f: [before[f], after[f]] for f in CALENDAR_FIELDS if before[f] != after[f]}
        bumped = concurrency.bump(agency) if changed else []
        agency.save(update_fields=[*CALENDAR_FIELDS, *bumped])
        if changed:
            audit(
                agency=agency,
                actor=viewer.user,
                verb="agency.calendar_changed",
                obj=agency,
                changed=changed,
            )
            agency_id = agency.pk
            transaction.on_commit(
                lambda: signals.agency_terms_changed.send(sender=Agency, agency_id=agency_id)
            )
    return agency


def describe_calendar(*, agency: Agency) -> dict[str, tuple[str, str]]:
    """The calendar as stored, in the fields of the calendar form (the conflict panel)."""
    from django.utils.dates import WEEKDAYS
    from django.utils.translation import gettext as _

    weekend = agency.weekend if agency.weekend else [5, 6]
    return {
        "timezone": (_("Time zone"), agency.timezone),
        "country": (_("Country of public holidays"), agency.country or "—"),
        "work_start": (_("Working day starts"), agency.work_start.strftime("%H:%M")),
        "work_end": (_("Working day ends"), agency.work_end.strftime("%H:%M")),
        "weekend": (_("Weekend days"), ", ".join(str(WEEKDAYS[n]) for n in sorted(weekend))),
        "days_off": (_("Custom days off"), "\n".join(agency.days_off) or "—"),
        "working_days": (_("Extra working days"), "\n".join(agency.working_days) or "—"),
    }


def _plain(value):
    return value.isoformat(timespec="minutes") if hasattr(value, "isoformat") else value
