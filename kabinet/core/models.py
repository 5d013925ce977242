"""The tenant (agency), people, their roles, the audit trail and in-app notifications."""

from __future__ import annotations

from datetime import time
from functools import cached_property
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from kabinet.lib.business_calendar import BusinessCalendar


class Agency(models.Model):
    """The tenant. Every tenant-owned row carries a foreign key to it."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    # The same as kabinet.lib.business_calendar.DEFAULT_TIME_ZONE (not imported here: it loads
    # the holidays package, which models do not need).
    timezone = models.CharField(_("time zone"), max_length=64, default="Europe/Moscow")
    country = models.CharField(
        _("country of public holidays"), max_length=8, blank=True, default="RU"
    )
    work_start = models.TimeField(_("working day starts"), default=time(9))
    work_end = models.TimeField(_("working day ends"), default=time(18))
    weekend = models.JSONField(_("weekend days (0 = Monday)"), default=list, blank=True)
    days_off = models.JSONField(_("custom days off"), default=list, blank=True)
    working_days = models.JSONField(_("extra working days"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The version of the settings the head edits here (the calendar): kabinet.core.concurrency.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name

    def calendar(self) -> BusinessCalendar:
        """The agency's business calendar: SLA, promises and schedules are measured in it."""
        from kabinet.lib.business_calendar import from_settings

        return from_settings(
            {
                "tz": self.timezone,
                "start": self.work_start,
                "end": self.work_end,
                "weekend": self.weekend if self.weekend else [5, 6],
                "country": self.country or None,
                "days_off": self.days_off,
                "working_days": self.working_days,
            }
        )


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in by email: agency staff or a client company's user."""

    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="ru"
    )
    notify_in_app = models.BooleanField(_("notify me in Kabinet"), default=True)
    notify_by_email = models.BooleanField(_("notify me by email"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("can use the admin site"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def membership(self) -> Membership | None:
        return self.memberships.select_related("agency", "company").first()


class Visibility(models.TextChoices):
    """Who sees a row: the client's people too, or agency staff only. The one definition, used by
    every model with a visibility (events, messages, tasks, KPIs) and by ``core.scoping``."""

    CLIENT = "client", _("Visible to the client")
    INTERNAL = "internal", _("Internal")


class Role(models.TextChoices):
    HEAD = "head", _("Head of accounts")
    ACCOUNT_MANAGER = "account_manager", _("Account manager")
    SPECIALIST = "specialist", _("Specialist")
    CLIENT = "client", _("Client")


STAFF_ROLES = frozenset({Role.HEAD, Role.ACCOUNT_MANAGER, Role.SPECIALIST})


class Membership(models.Model):
    """A user's place in an agency: the role, and for client users their company."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    company = models.ForeignKey(
        "clients.ClientCompany",
        verbose_name=_("client company"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )
    title = models.CharField(_("job title"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["agency", "user"], name="one_membership_per_agency"),
            models.CheckConstraint(
                condition=(
                    models.Q(role="client", company__isnull=False) | ~models.Q(role="client")
                ),
                name="client_membership_has_company",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.agency}"


class AuditEntry(models.Model):
    """Who changed what, when and why. Written by services, read by the head."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verb = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at"]
        indexes = [models.Index(fields=["agency", "object_type", "object_id"])]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.verb} {self.object_type}#{self.object_id}"
        )


class Notification(models.Model):
    """An in-app notification; when the user wants e-mail, it is also mailed (and retried).

    E-mail goes out in batches (kabinet.core.notifications): PENDING notifications of one person
    become one e-mail a few minutes later, DAILY ones wait for the morning digest.
    """

    class EmailState(models.TextChoices):
        NOT_WANTED = "not_wanted", _("not wanted")
        PENDING = "pending", _("pending")
        DAILY = "daily", _("waiting for the daily digest")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed, will retry")
        GAVE_UP = "gave_up", _("failed permanently")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=64)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    # The client and project it is about, what the person needs to do and by when (for the e-mail).
    project = models.ForeignKey(
        "clients.Project", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=300, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    # One notification per cause: a job that runs twice notifies once.
    dedupe_key = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(
        max_length=16, choices=EmailState.choices, default=EmailState.NOT_WANTED
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_error = models.TextField(blank=True)
    email_next_try_at = models.DateTimeField(null=True, blank=True)
    # The outbox of one e-mail (kabinet.core.services._deliver): the notifications it carries are
    # marked SENDING with the same attempt id (also the e-mail's Message-ID) and committed before
    # the e-mail is sent; an attempt whose sender died is sent again as it was, same Message-ID.
    email_attempt_id = models.CharField(max_length=40, blank=True, default="")
    email_sending_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="one_notification_per_cause",
            )
        ]
        indexes = [
            models.Index(fields=["email_state", "email_next_try_at"]),
            models.Index(fields=["user", "email_state"]),
        ]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """A person's choice for one topic of notifications (kabinet.core.notifications.TOPICS)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    topic = models.CharField(max_length=32)
    delivery = models.CharField(max_length=16)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="one_preference_per_topic")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.topic} = {self.delivery}"


class ApiToken(models.Model):
    """A personal API token. Only a hash is stored; the key is shown once, at creation."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=128, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Written at most once a minute (settings.API_TOKEN_TOUCH_SECONDS), not on every request.
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    # Revoked by its owner, by an operator (`kabinet tokens revoke`), or because the owner's
    # password changed or the owner was deactivated (kabinet.api.tokens). Kept for the record.
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class SubmittedForm(models.Model):
    """One row per submitted form token (`{% form_token %}`): the unique constraint makes a form
    posted twice — a double click, a retried request — create its record once."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    location = models.CharField(max_length=500, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="one_submission_per_form_token")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.token}"


class Draft(models.Model):
    """A long text a person is typing (a report, an answer), saved while typed so that it
    survives a closed tab: one per person and form (`key`, e.g. ``answer:42``), restored when the
    form opens again, emptied when the form is submitted (kabinet.core.drafts)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    fields = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)
    # The digest of the text that was just sent from this form: an autosave of that same text
    # reaching the server after the send (the textarea's "change" fires as the button is
    # clicked) must not bring the sent text back as a draft.
    sent_digest = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_draft_per_form")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
