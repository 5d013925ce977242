"""Promises made by the agency to its clients, and the detector's proposals waiting for a person.

Life cycle of a Promise:

    open ──kept──▶ kept
      │  └─due + grace passed──▶ broken ──(late renegotiation)──▶ renegotiated (broken_at stays)
      └─renegotiated before the due time──▶ renegotiated (a new due time; still pending)

"open" and "renegotiated" are both pending: reminders and the breach check run on the current
`due_at`. `original_due_at` never changes; each move is a PromiseRenegotiation row. Once a
promise has been broken, `broken_at` stays on the record whatever happens next, so the numbers
never count it as kept on time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kabinet.core.models import Agency


class State(models.TextChoices):
    OPEN = "open", _("open")
    KEPT = "kept", _("kept")
    BROKEN = "broken", _("broken")
    RENEGOTIATED = "renegotiated", _("renegotiated")


PENDING_STATES = (State.OPEN, State.RENEGOTIATED)


class Origin(models.TextChoices):
    MESSAGE = "message", _("a message")
    ANSWER = "answer", _("an answer to a question")
    MEETING = "meeting", _("meeting notes")
    DOCUMENT = "document", _("a report, plan or recommendation")
    MANUAL = "manual", _("entered by hand")


class Promise(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(
        "clients.Project", on_delete=models.CASCADE, related_name="promises"
    )
    promised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("promised by"),
        on_delete=models.PROTECT,
        related_name="promises_made",
    )
    what = models.CharField(_("what was promised"), max_length=300)
    quote = models.TextField(_("the words used"), blank=True)
    due_at = models.DateTimeField(_("due"), db_index=True)
    original_due_at = models.DateTimeField(_("originally due"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    origin = models.CharField(
        _("made in"), max_length=16, choices=Origin.choices, default=Origin.MANUAL
    )
    source_event = models.ForeignKey(
        "timeline.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    task = models.ForeignKey(
        "work.Task",
        verbose_name=_("task"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="promises",
    )
    # The client's condition the promise depends on («если вы согласуете макеты до среды»).
    condition = models.TextField(_("on the client's condition"), blank=True)
    kept_at = models.DateTimeField(_("kept at"), null=True, blank=True)
    kept_note = models.CharField(_("internal note on keeping"), max_length=300, blank=True)
    kept_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What delivered it: the client-visible item (message, report, document, files) she received.
    evidence_event = models.ForeignKey(
        "timeline.Event",
        verbose_name=_("delivered in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    broken_at = models.DateTimeField(_("broken at"), null=True, blank=True)
    # Set when the linked task was completed elsewhere: the promiser is offered to mark it kept.
    keep_offered_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Optimistic concurrency (kabinet.core.concurrency): one more on every move or keeping.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("promise")
        verbose_name_plural = _("promises")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["agency", "state", "due_at"]),
            models.Index(fields=["promised_by", "state", "due_at"]),
            models.Index(fields=["project", "state"]),
        ]

    def __str__(self) -> str:
        return self.what

    @property
    def is_pending(self) -> bool:
        return self.state in PENDING_STATES

    @property
    def kept_on_time(self) -> bool:
        return (
            self.state == State.KEPT
            and self.broken_at is None
            and self.kept_at is not None
            and self.kept_at <= self.due_at
        )

    def is_overdue(self, now=None) -> bool:
        return self.is_pending and self.due_at < (now or timezone.now())


class PromiseRenegotiation(models.Model):
    """A promise moved to a new date, with the reason and the message the client received."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="renegotiations")
    old_due = models.DateTimeField(_("old due"))
    new_due = models.DateTimeField(_("new due"))
    reason = models.TextField(_("reason"))
    message_event = models.ForeignKey(
        "timeline.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    told_before_due = models.BooleanField(_("the client was told before the old date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("renegotiation")
        verbose_name_plural = _("renegotiations")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.promise_id}: {self.old_due:%Y-%m-%d %H:%M} → {self.new_due:%Y-%m-%d %H:%M}"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("waiting for confirmation")
    CONFIRMED = "confirmed", _("confirmed")
    DISMISSED = "dismissed", _("dismissed")


class ProposalKind(models.TextChoices):
    DELIVERABLE = "deliverable", _("a deliverable")
    OUTCOME = "outcome", _("a promised result (expectation risk)")


class PromiseProposal(models.Model):
    """A promise the detector found in a staff text; nothing exists until a person confirms it.

    `owner` is who promises: the writer, or the teammate the text names («Сергей подготовит …»;
    `named` keeps the name as written). An *outcome* ("we'll double your leads") is not a
    deliverable: it is shown to the manager as an expectation risk and is never confirmed into a
    promise. `deliverable_key` (with the due time) makes one promise written in several texts one
    proposal. Unanswered for a business day, a proposal is escalated to the project's manager once
    (`escalated_at`).
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey("clients.Project", on_delete=models.CASCADE, related_name="+")
    source_event = models.ForeignKey(
        "timeline.Event", on_delete=models.CASCADE, related_name="promise_proposals"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    named = models.CharField(max_length=120, blank=True)
    quote = models.TextField()
    # None only for an outcome promised without a time.
    due_at = models.DateTimeField(null=True, blank=True)
    kind = models.CharField(
        max_length=16, choices=ProposalKind.choices, default=ProposalKind.DELIVERABLE
    )
    condition = models.TextField(blank=True)
    due_on_day_off = models.BooleanField(default=False)
    deliverable_key = models.CharField(max_length=300, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # An outcome checked against the agency's forecast of the KPI it names
    # (kabinet.health.outcomes.as_record): {"metric", "target", "low", "high", "by", "outside",
    # "beyond"}; empty when it names no KPI with a forecast, or no figure.
    forecast_check = models.JSONField(default=dict, blank=True)
    # Offsets of the quote in the event's text (title, blank line, body) and the detector's rule.
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    rule = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    promise = models.ForeignKey(
        Promise, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "start"]
        constraints = [
            models.UniqueConstraint(fields=["source_event", "start"], name="one_proposal_per_quote")
        ]
        indexes = [
            models.Index(fields=["project", "status"]),
            models.Index(fields=["project", "deliverable_key"]),
            models.Index(fields=["status", "escalated_at", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.quote


class TextDetection(models.Model):
    """One version of one staff text has been read for promises (the job is idempotent on it)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey("timeline.Event", on_delete=models.CASCADE, related_name="+")
    version = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "version"], name="one_detection_per_text_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id}@{self.version[:8]}"
