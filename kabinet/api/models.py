"""Webhook endpoints, their outbox and delivery log, and the secret calendar feeds.

(API tokens live in kabinet.core.models: the API's authentication is core's.)
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kabinet.core.models import Agency


class WebhookEndpoint(models.Model):
    """A URL of the agency's that is sent the events it asked for (registered by the head)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    event_kinds = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    # The signing key ("whsec_" + base64). Kept (an HMAC needs it); shown once, on creation and
    # on rotation. The previous one still signs alongside until `previous_secret_until`.
    secret = models.CharField(max_length=100)
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["pk"]
        indexes = [models.Index(fields=["agency", "is_active"])]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """The outbox: one row per (endpoint, event), written in the transaction of the event."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("given up")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    msg_id = models.CharField(max_length=64, unique=True)  # `webhook-id`: the same on every try
    kind = models.CharField(max_length=40)
    dedupe_key = models.CharField(max_length=200, blank=True)  # one delivery per cause and endpoint
    body = models.TextField()  # the exact JSON bytes that are signed and sent
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["endpoint", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.msg_id}"


class WebhookAttempt(models.Model):
    """One try of a delivery: the delivery log the head reads."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="tries")
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField()
    succeeded = models.BooleanField(default=False)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}"


class CalendarFeed(models.Model):
    """A person's secret iCalendar URL (/feeds/<token>.ics); a new token kills the old URL."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "user"], name="one_calendar_feed_per_person")
        ]

    def __str__(self) -> str:
        return f"calendar of {self.user_id}"
