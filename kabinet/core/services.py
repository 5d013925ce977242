"""Writes that belong to no single domain: the audit trail and notifications."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from kabinet.core.models import Agency, ApiToken, AuditEntry, Notification, User

EMAIL_MAX_ATTEMPTS = 8


def audit(agency: Agency, actor: User | None, verb: str, obj, **data) -> AuditEntry:
    return AuditEntry.objects.create(
        agency=agency,
        actor=actor,
        verb=verb,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        data=data,
    )


def notify(
    user: User,
    *,
    agency: Agency,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str = "",
) -> Notification | None:
    """Tell a person something, in-app and/or by e-mail as they chose in their settings.

    With a dedupe_key the same cause notifies once, however often the caller runs. E-mail is
    sent after the transaction commits by a background job and retried until it goes through.
    """
    if not user.is_active or not (user.notify_in_app or user.notify_by_email):
        return None
    state = (
        Notification.EmailState.PENDING
        if user.notify_by_email
        else Notification.EmailState.NOT_WANTED
    )
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                agency=agency,
                user=user,
                kind=kind,
                title=title[:300],
                body=body,
                url=url,
                dedupe_key=dedupe_key,
                email_state=state,
                read_at=None if user.notify_in_app else timezone.now(),
            )
    except IntegrityError:
        if not dedupe_key:
            raise
        return None  # this cause was already notified
    if state == Notification.EmailState.PENDING:
        from kabinet.core.tasks import send_notification_email

        pk = notification.pk
        transaction.on_commit(lambda: send_notification_email.enqueue(pk))
    return notification


def deliver_email(notification_id: int) -> str:
    """Send one notification's e-mail; on failure schedule a retry with back-off. Idempotent."""
    with transaction.atomic():
        n = (
            Notification.objects.select_for_update()
            .select_related("user")
            .filter(pk=notification_id)
            .first()
        )
        if n is None or n.email_state not in (
            Notification.EmailState.PENDING,
            Notification.EmailState.FAILED,
        ):
            return "skipped"
        link = f"{settings.SITE_URL}{n.url}" if n.url else ""
        with translation.override(n.user.language):
            try:
                send_mail(
                    subject=f"Kabinet: {n.title}",
                    message="\n\n".join(part for part in (n.body, link) if part),
                    from_email=None,
                    recipient_list=[n.user.email],
                )
            except Exception as exc:  # any transport error: keep it and retry later
                n.email_attempts += 1
                n.email_error = f"{type(exc).__name__}: {exc}"[:2000]
                if n.email_attempts >= EMAIL_MAX_ATTEMPTS:
                    n.email_state = Notification.EmailState.GAVE_UP
                else:
                    n.email_state = Notification.EmailState.FAILED
                    n.email_next_try_at = timezone.now() + timedelta(minutes=2**n.email_attempts)
                n.save(
                    update_fields=[
                        "email_attempts",
                        "email_error",
                        "email_state",
                        "email_next_try_at",
                    ]
                )
                return "failed"
        n.email_attempts += 1
        n.email_state = Notification.EmailState.SENT
        n.email_error = ""
        n.save(update_fields=["email_attempts", "email_state", "email_error"])
        return "sent"


def retry_due_emails(now=None) -> int:
    """Re-send e-mails whose retry time has come (run periodically by the scheduler)."""
    now = now or timezone.now()
    due = Notification.objects.filter(
        email_state=Notification.EmailState.FAILED, email_next_try_at__lte=now
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due[:500]):
        deliver_email(pk)
        count += 1
    return count


def mark_read(user: User, ids: list[int] | None = None) -> int:
    qs = user.notifications.filter(read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def create_api_token(user: User, agency: Agency, name: str) -> tuple[ApiToken, str]:
    """Returns the token row and the plain key, which is never stored."""
    import hashlib
    import secrets

    key = "kab_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        agency=agency,
        user=user,
        name=name[:100] or "API",
        prefix=key[:12],
        key_hash=hashlib.sha256(key.encode()).hexdigest(),
    )
    return token, key


def user_for_api_key(key: str) -> User | None:
    import hashlib

    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hashlib.sha256(key.encode()).hexdigest(), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


HEADS_GROUP = "Head of accounts"


def grant_admin_to_head(user: User) -> None:
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


def sync_admin_access(user: User) -> None:
    """Admin follows the role: a head of accounts has it, anyone else loses it (superusers aside).

    Called whenever a person's memberships change, so the staff flag is never set by hand.
    """
    from django.contrib.auth.models import Group

    from kabinet.core.models import Role

    if user.memberships.filter(role=Role.HEAD).exists():
        grant_admin_to_head(user)
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
):
    """The head sets the agency's business calendar: SLA clocks, promise due times and schedules
    are measured in it. Audited; the plan is recomputed in the background (`agency_terms_changed`)."""
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
        before = {f: _plain(getattr(agency, f)) for f in CALENDAR_FIELDS}
        agency.timezone = timezone_name
        agency.country = country
        agency.work_start, agency.work_end = work_start, work_end
        agency.weekend = sorted(set(weekend))
        agency.days_off = sorted({d.isoformat() for d in days_off})
        agency.working_days = sorted({d.isoformat() for d in working_days})
        agency.save(update_fields=list(CALENDAR_FIELDS))
        after = {f: _plain(getattr(agency, f)) for f in CALENDAR_FIELDS}
        changed = {f: [before[f], after[f]] for f in CALENDAR_FIELDS if before[f] != after[f]}
        if changed:
            audit(agency, viewer.user, "agency.calendar_changed", agency, changed=changed)
            agency_id = agency.pk
            transaction.on_commit(
                lambda: signals.agency_terms_changed.send(sender=Agency, agency_id=agency_id)
            )
    return agency


def _plain(value):
    return value.isoformat(timespec="minutes") if hasattr(value, "isoformat") else value
