"""Secret calendar feeds: each person's deadlines, promises and meetings as one iCalendar URL.

`/feeds/<token>.ics` needs no login (calendar apps cannot sign in): the random token in the URL is
the key, so it is long (43 characters from `secrets.token_urlsafe(32)`) and a new one kills the old
URL at once. What the feed holds is read through the same selectors as the pages, as the feed's
owner:

- staff: open tasks given to them that have a due date, pending promises they made, and meeting
  notes of the projects they work on (the head: every project of the agency);
- a client: client-visible open tasks with a due date, pending promises and client-visible meeting
  notes of her company's projects — nothing internal.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

import icalendar
from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kabinet.api.models import CalendarFeed
from kabinet.core.models import Membership
from kabinet.core.scoping import Viewer

# Meetings this far back are in the feed (older ones are history, not a calendar).
MEETINGS_SINCE = timedelta(days=90)
MEETING_LENGTH = timedelta(hours=1)
TOKEN_BYTES = 32
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")  # what secrets.token_urlsafe(32) makes


def feed_of(*, viewer: Viewer) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(agency=viewer.agency, user=viewer.user).first()


def feed_url(*, feed: CalendarFeed) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("hooks:calendar_feed", args=[feed.token])


@transaction.atomic
def rotate_feed(*, viewer: Viewer) -> CalendarFeed:
    """Give the viewer a calendar URL, or a new one: the old URL answers 404 from now on."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(
        agency=viewer.agency,
        user=viewer.user,
        defaults={"token": secrets.token_urlsafe(TOKEN_BYTES)},
    )
    if not created:
        feed.token = secrets.token_urlsafe(TOKEN_BYTES)
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
    from kabinet.core.services import audit

    audit(
        agency=viewer.agency,
        actor=viewer.user,
        verb="calendar_feed_created" if created else "calendar_feed_rotated",
        obj=feed,
    )
    return feed


def viewer_of_token(token: str) -> Viewer:
    """The feed's owner as a viewer; 404 for an unknown token or a person who left the agency."""
    # Anything not shaped like a token is refused before the database sees it (a NUL byte in a
    # PostgreSQL query is an error, not a miss).
    feed = (
        CalendarFeed.objects.select_related("user", "agency").filter(token=token).first()
        if TOKEN_SHAPE.fullmatch(token or "")
        else None
    )
    if feed is None or not feed.user.is_active:
        raise Http404
    membership = Membership.objects.filter(agency=feed.agency, user=feed.user).first()
    if membership is None:
        raise Http404
    return Viewer(
        user=feed.user,
        agency=feed.agency,
        role=membership.role,
        company_id=membership.company_id,
    )


def items(*, viewer: Viewer, now: datetime | None = None) -> dict[str, list]:
    """What the viewer's calendar holds: deadlines (tasks), promises and meetings."""
    from kabinet.promises import selectors as promises
    from kabinet.promises.models import PENDING_STATES
    from kabinet.timeline import selectors as timeline
    from kabinet.timeline.models import Kind
    from kabinet.work import selectors as work

    now = now or timezone.now()
    tasks = work.open_tasks(viewer).filter(due_at__isnull=False)
    pending = promises.promises(viewer).filter(state__in=PENDING_STATES)
    if viewer.is_staff:
        tasks = tasks.filter(assignee=viewer.user)
        pending = pending.filter(promised_by=viewer.user)
    meetings = (
        timeline.events(viewer)
        .filter(kind=Kind.MEETING, occurred_at__gte=now - MEETINGS_SINCE)
        .select_related("project__company")
    )
    return {
        "tasks": list(tasks.order_by("due_at", "pk")),
        "promises": list(pending.order_by("due_at", "pk")),
        "meetings": list(meetings.order_by("occurred_at", "pk")),
    }


def _host() -> str:
    return settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0] or "kabinet"


def ics(*, viewer: Viewer, now: datetime | None = None) -> bytes:
    """The viewer's calendar, RFC 5545, in the viewer's language."""
    now = now or timezone.now()
    site = settings.SITE_URL.rstrip("/")
    host = _host()
    found = items(viewer=viewer, now=now)
    with translation.override(viewer.user.language):
        cal = icalendar.Calendar()
        cal.add("prodid", "-//Kabinet//Calendar feed//EN")
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("x-wr-calname", _("Kabinet: %(name)s") % {"name": viewer.user.full_name})
        cal.add("x-wr-timezone", settings.TIME_ZONE)

        def add(uid: str, summary: str, start: datetime, url: str, description: str = "", end=None):
            event = icalendar.Event()
            event.add("uid", f"{uid}@{host}")
            event.add("dtstamp", now)
            event.add("dtstart", start)
            event.add("dtend", end or start)
            event.add("summary", summary)
            if description:
                event.add("description", description)
            event.add("url", site + url)
            cal.add_component(event)

        for task in found["tasks"]:
            add(
                f"task-{task.pk}",
                _("Deadline: %(title)s") % {"title": task.title},
                task.due_at,
                reverse("work:task", args=[task.pk]),
                task.project.company.name,
            )
        for promise in found["promises"]:
            add(
                f"promise-{promise.pk}",
                _("Promise: %(what)s") % {"what": promise.what},
                promise.due_at,
                reverse("promise", args=[promise.pk]),
                promise.project.company.name,
            )
        for event in found["meetings"]:
            add(
                f"meeting-{event.pk}",
                _("Meeting: %(title)s") % {"title": event.shown_title},
                event.occurred_at,
                reverse("event", args=[event.pk]),
                event.project.company.name,
                end=event.occurred_at + MEETING_LENGTH,
            )
        return cal.to_ical()
