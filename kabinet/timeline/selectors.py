"""Every read of the chronology, always scoped to the viewer."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet

from kabinet.core.scoping import Viewer, get_or_404, scoped
from kabinet.timeline import search
from kabinet.timeline.models import DOCUMENT_KINDS, Attachment, Decision, Event, Kind


@dataclass(frozen=True)
class ChronologyFilter:
    kinds: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None
    q: str = ""


def events(viewer: Viewer) -> QuerySet[Event]:
    return scoped(viewer, Event.objects.all())


def chronology(
    viewer: Viewer, project_id: int, flt: ChronologyFilter | None = None
) -> QuerySet[Event]:
    """One project's events, newest first, with authors and attachments in a fixed number of queries."""
    flt = flt or ChronologyFilter()
    qs = events(viewer).filter(project_id=project_id)
    if flt.kinds:
        qs = qs.filter(kind__in=flt.kinds)
    if flt.start:
        qs = qs.filter(occurred_at__date__gte=flt.start)
    if flt.end:
        qs = qs.filter(occurred_at__date__lte=flt.end)
    if flt.q.strip():
        # Every word, in any of its Russian or English forms (stemmed full-text search).
        qs = search.filter_events(qs, flt.q)
    return (
        qs.select_related("author", "parent")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
        .order_by("-occurred_at", "-pk")
    )


def documents(viewer: Viewer, project_id: int) -> QuerySet[Event]:
    return chronology(viewer, project_id, ChronologyFilter(kinds=tuple(DOCUMENT_KINDS)))


def awaiting_decision(viewer: Viewer, project_id: int) -> list[Event]:
    """Recommendations the client has not decided on yet (shown to the client first)."""
    return list(
        events(viewer)
        .filter(project_id=project_id, kind=Kind.RECOMMENDATION, decision=Decision.PENDING)
        .order_by("occurred_at")[:10]
    )


def event_or_404(viewer: Viewer, pk: int) -> Event:
    return get_or_404(events(viewer).select_related("project", "project__company", "author"), pk=pk)


# Types a browser would run or render as a page of ours if it opened them: never served as such.
ACTIVE_CONTENT_TYPES = {
    "text/html",
    "application/xhtml+xml",
    "image/svg+xml",
    "text/xml",
    "application/xml",
    "text/javascript",
    "application/javascript",
    "application/x-javascript",
}


def download_content_type(attachment: Attachment) -> str:
    """The content type Kabinet serves a file with, decided from its name, never the uploader's
    claim (a browser trusts the header, and `report.pdf` claimed as text/html would run as a
    page of ours). Anything that could run in the browser goes out as plain bytes."""
    guessed = mimetypes.guess_type(attachment.name, strict=False)[0] or ""
    if not guessed or guessed in ACTIVE_CONTENT_TYPES:
        return "application/octet-stream"
    return guessed


def attachment_or_404(viewer: Viewer, pk: int) -> Attachment:
    """A file is reachable only through an event the viewer may see."""
    qs = scoped(
        viewer,
        Attachment.objects.filter(event__isnull=False),
        project_field="event__project",
        visibility_field="event__visibility",
    )
    return get_or_404(qs, pk=pk)
