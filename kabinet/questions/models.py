"""Client questions: threads, their messages and the agency's SLA policy."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kabinet.clients.models import Tier
from kabinet.core.models import Agency
from kabinet.timeline.models import Visibility

DEFAULT_HOURS = {"first_response_hours": 4, "next_response_hours": 8, "resolution_hours": 40}


class SlaPolicy(models.Model):
    """Business-hour targets of an agency; a row with a tier overrides the default (blank tier)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="sla_policies")
    tier = models.CharField(_("client tier"), max_length=16, choices=Tier.choices, blank=True)
    first_response_hours = models.DecimalField(
        _("first response, business hours"),
        max_digits=6,
        decimal_places=2,
        default=4,
        validators=[MinValueValidator(0.25)],
    )
    next_response_hours = models.DecimalField(
        _("next response, business hours"),
        max_digits=6,
        decimal_places=2,
        default=8,
        validators=[MinValueValidator(0.25)],
    )
    resolution_hours = models.DecimalField(
        _("resolution, business hours"),
        max_digits=6,
        decimal_places=2,
        default=40,
        validators=[MinValueValidator(0.25)],
    )
    # Optimistic concurrency (kabinet.core.concurrency) for the agency's whole set of targets,
    # which one form saves: kept on the default row (blank tier, always there once the targets
    # are saved), one more on every save that changes any tier. Tier rows leave it alone.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        constraints = [
            models.UniqueConstraint(fields=["agency", "tier"], name="one_sla_policy_per_tier")
        ]

    def __str__(self) -> str:
        return f"{self.agency}: {self.get_tier_display() or _('default')}"

    def as_timedeltas(self) -> tuple[timedelta, timedelta, timedelta]:
        return tuple(  # type: ignore[return-value]
            timedelta(hours=float(h))
            for h in (self.first_response_hours, self.next_response_hours, self.resolution_hours)
        )


class Status(models.TextChoices):
    WAITING_AGENCY = "waiting_agency", _("Waiting for the agency")
    # The answer promised more: the agency owes it. On the desk with the promise's due time; the
    # SLA clocks keep running; resolved when the promise is delivered or the client says solved.
    OWED = "owed", _("We owe you")
    WAITING_CLIENT = "waiting_client", _("Waiting for the client")
    RESOLVED = "resolved", _("Resolved")


# The agency's turn: the desk, the SLA warnings.
AGENCY_STATUSES = (Status.WAITING_AGENCY, Status.OWED)


class Thread(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey("clients.Project", on_delete=models.CASCADE, related_name="threads")
    subject = models.CharField(_("subject"), max_length=300)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_threads",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.WAITING_AGENCY
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.TextField(_("comment on the rating"), blank=True)
    # When the most urgent running SLA clock is due (None: no clock runs). Stored by the services
    # on every step of the thread, when the SLA targets or the calendar change, and again by the
    # periodic SLA check, so that the desk sorts and pages in the database instead of recomputing
    # every open thread's clocks in the request.
    sla_due_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["project", "-created_at"]),
            models.Index(fields=["agency", "status", "sla_due_at"], name="thread_desk_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="thread_rating_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return self.subject


class MessageKind(models.TextChoices):
    QUESTION = "question", _("Question")  # the client's opening message or follow-up
    ANSWER = "answer", _("Answer")  # staff reply, visible to the client
    NOTE = "note", _("Internal note")  # staff only
    REOPENED = "reopened", _("I still have questions")
    RESOLVED = "resolved", _("This solved it")
    WAITING_CLIENT = "waiting_client", _("Waiting for the client")
    WAITING_AGENCY = "waiting_agency", _("Waiting for the agency")
    RATING = "rating", _("Rating")
    DELIVERED = "delivered", _("Promise delivered")


class Message(models.Model):
    """One step of a thread. Its chronology event (if any) carries the attachments."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=MessageKind.choices)
    body = models.TextField(_("text (Markdown)"), blank=True)
    # "client" or "internal", like timeline events, so that core scoping can narrow it.
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.CLIENT
    )
    from_client = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    event = models.OneToOneField(
        "timeline.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="question_message",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(visibility=Visibility.INTERNAL, from_client=True),
                name="client_never_writes_internal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.thread}: {self.get_kind_display()}"

    @property
    def internal(self) -> bool:
        return self.visibility == Visibility.INTERNAL
