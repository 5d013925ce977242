"""Pages of the api app: the head's webhook endpoints and each person's calendar feed."""

from __future__ import annotations

from django.urls import path

from kabinet.api import pages

app_name = "hooks"

urlpatterns = [
    path("agency/webhooks/", pages.webhooks, name="webhooks"),
    path("agency/webhooks/<int:pk>/", pages.webhook, name="webhook"),
    path("settings/calendar/", pages.calendar_feed_rotate, name="calendar_feed_rotate"),
    path("feeds/<str:token>.ics", pages.calendar_feed, name="calendar_feed"),
]
