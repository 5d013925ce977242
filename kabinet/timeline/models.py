"""The chronology: every client-visible thing that happens on a project, and internal notes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kabinet.core.models import Agency, Visibility


class Kind(models.TextChoices):
    REPORT = "report", _("Report")
    PLAN = "plan", _("Plan")
    RECOMMENDATION = "recommendation", _("Recommendation / technical spec")
    WORK_DONE = "work_done", _("Completed work")
    MEETING = "meeting", _("Meeting notes")
    MESSAGE = "message", _("Message")
    MILESTONE = "milestone", _("Milestone")
    DECISION = "decision", _("Client's decision")
    QUESTION = "question", _("Question")
    ANSWER = "answer", _("Answer")
    PROMISE = "promise", _("Promise")
    TASK = "task", _("Task")
    DEADLINE = "deadline", _("Deadline change")
    KPI = "kpi", _("KPI")
    DIGEST = "digest", _("Weekly digest")


# What staff may publish from the project composer; the rest is written by other services.
COMPOSER_KINDS = [
    Kind.REPORT,
    Kind.PLAN,
    Kind.RECOMMENDATION,
    Kind.WORK_DONE,
    Kind.MEETING,
    Kind.MESSAGE,
    Kind.MILESTONE,
]
PERIOD_KINDS = {Kind.REPORT, Kind.PLAN}
DOCUMENT_KINDS = [Kind.REPORT, Kind.PLAN, Kind.RECOMMENDATION]


class Decision(models.TextChoices):
    PENDING = "pending", _("Awaiting the client's decision")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    COMMENTED = "commented", _("Commented")


class Event(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey("clients.Project", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    # A title Kabinet wrote itself: its key in kabinet.timeline.titles and the words put into it,
    # rendered in the reader's language (`shown_title`); `title` keeps the client's-language text.
    title_key = models.CharField(max_length=32, blank=True)
    title_params = models.JSONField(default=dict, blank=True)
    body = models.TextField(_("text (Markdown)"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    occurred_at = models.DateTimeField(_("time"), default=timezone.now)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.CLIENT
    )
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    # Recommendations carry the client's current decision; decision events point to their parent.
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    # The object in another app that caused this event (question, promise, task...).
    source_type = models.CharField(max_length=64, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chronology event")
        verbose_name_plural = _("chronology")
        ordering = ["-occurred_at", "-pk"]
        # The chronology's page is read from an index in its own order, (occurred_at, id), after
        # the equality columns of its conditions: the project, the tenant (the scope filters by
        # it, so a page's ids are read from the index alone), the client's visibility, a kind.
        # A page deep in the history skips index entries, never rows.
        indexes = [
            models.Index(fields=["project", "-occurred_at"]),
            models.Index(
                fields=["project", "agency", "occurred_at", "id"], name="event_chronology"
            ),
            models.Index(
                fields=["project", "agency", "visibility", "occurred_at", "id"],
                name="event_chronology_client",
            ),
            # The kind indexes carry `decision` last: SQLite never chooses the partial index of
            # pending recommendations below (a parameter cannot prove its condition when the
            # statement is prepared) and walks these instead; with the decision in the index it
            # skips the project's decided recommendations without reading their rows.
            models.Index(
                fields=["project", "agency", "kind", "occurred_at", "id", "decision"],
                name="event_chronology_kind",
            ),
            models.Index(
                fields=["project", "agency", "visibility", "kind", "occurred_at", "id", "decision"],
                name="event_chronology_client_kind",
            ),
            models.Index(fields=["source_type", "source_id"]),
            # The client's home reads what waits for her decision and this or next month's plan:
            # a few rows among a project's hundreds of recommendations and plans, found here
            # instead of by filtering every event of the project.
            models.Index(
                fields=["project", "agency", "occurred_at"],
                condition=models.Q(kind=Kind.RECOMMENDATION, decision=Decision.PENDING),
                name="event_pending_recommendation",
            ),
            models.Index(
                fields=["project", "agency", "period_end"],
                condition=models.Q(kind=Kind.PLAN),
                name="event_plan_period",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__isnull=True)
                | models.Q(period_end__isnull=True)
                | models.Q(period_start__lte=models.F("period_end")),
                name="event_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.shown_title

    @property
    def shown_title(self) -> str:
        """The title in the active language (a generated title is rendered, a typed one as typed)."""
        if self.title_key:
            from kabinet.timeline.titles import render

            try:
                return render(self.title_key, self.title_params)
            except (KeyError, TypeError, ValueError):
                return self.title
        return self.title

    @property
    def is_client_visible(self) -> bool:
        return self.visibility == Visibility.CLIENT


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"agency-{instance.agency_id}/attachments/{timezone.now():%Y/%m}/{filename}"


class Attachment(models.Model):
    """A file on an event. `event` is empty while the upload is staged (kept across a failed form):
    a staged file belongs to `uploaded_by` and is deleted after `staged_until` unless a form that
    succeeds attaches it first (the periodic job ``timeline.purge_staged_uploads``)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=500)
    name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=120, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    staged_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]
        indexes = [models.Index(fields=["event", "staged_until"], name="attachment_staged")]

    def __str__(self) -> str:
        return self.name
