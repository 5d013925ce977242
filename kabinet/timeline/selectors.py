"""Every read of the chronology, always scoped to the viewer."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

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


def _day_start(day: date) -> datetime:
    """Midnight of `day` in the active time zone: a bound the (project, …, occurred_at) indexes
    can seek to, where ``occurred_at__date`` would convert every row's time first."""
    return timezone.make_aware(datetime.combine(day, time.min))


def chronology(
    viewer: Viewer, project_id: int, flt: ChronologyFilter | None = None
) -> QuerySet[Event]:
    """One project's events, newest first, with authors and attachments in a fixed number of queries.

    Every filter is a condition of this one query, so the database walks the project's index in
    chronology order and stops at the page: kinds and dates are index ranges, and the search is
    the full-text index joined in (`search.filter_events`), not a list of ids fetched first."""
    return _shown(viewer, _chronology_rows(viewer, project_id, flt))


def attachments(viewer: Viewer) -> Prefetch:
    """The events' files, read in the viewer's agency, in upload order."""
    return Prefetch(
        "attachments", queryset=Attachment.objects.filter(agency=viewer.agency).order_by("pk")
    )


def _shown(viewer: Viewer, qs: QuerySet[Event]) -> QuerySet[Event]:
    """What the chronology shows of each event: its author, its parent and its files."""
    return (
        qs.select_related("author", "parent")
        .prefetch_related(attachments(viewer))
        .order_by("-occurred_at", "-pk")
    )


def _chronology_rows(viewer: Viewer, project_id: int, flt: ChronologyFilter | None) -> QuerySet:
    flt = flt or ChronologyFilter()
    qs = events(viewer).filter(project_id=project_id)
    if flt.kinds:
        qs = qs.filter(kind__in=flt.kinds)
    if flt.start:
        qs = qs.filter(occurred_at__gte=_day_start(flt.start))
    if flt.end:
        qs = qs.filter(occurred_at__lt=_day_start(flt.end + timedelta(days=1)))
    if flt.q.strip():
        # Every word, in any of its Russian or English forms (stemmed full-text search).
        qs = search.filter_events(qs, flt.q)
    return qs.order_by("-occurred_at", "-pk")


@dataclass(frozen=True)
class ChronologyPage:
    """One page of the chronology, cut without counting the history: the page knows whether an
    older one exists (it read one row more than it shows), not how many there are."""

    number: int
    object_list: list[Event] = field(default_factory=list)
    has_next: bool = False

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


def page_number(raw) -> int:
    """The requested page, 1 for anything that is not a page number (as Paginator.get_page)."""
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return number if number >= 1 else 1


def chronology_page(
    viewer: Viewer, project_id: int, flt: ChronologyFilter | None, number: int, size: int
) -> ChronologyPage:
    """Page `number` of the chronology: two queries whatever the history's length.

    The first reads only the ids of the page (and one more, to know that an older page exists)
    from the project's chronology index — the rows skipped before it are index entries, never
    loaded, and nothing is counted; the second loads those rows by id, through the viewer's
    scope again, with their authors (the attachments come in one more)."""
    start = (number - 1) * size
    ids = list(
        _chronology_rows(viewer, project_id, flt).values_list("pk", flat=True)[
            start : start + size + 1
        ]
    )
    # The ids were chosen by the viewer's scope just now; the rows are looked up by primary key
    # within the tenant. (Repeating the project conditions here makes both planners walk the
    # project's index and filter it by id: the history again, not the page.)
    page_ids = ids[:size]
    rows = (
        list(_shown(viewer, Event.objects.filter(agency=viewer.agency, pk__in=page_ids)))
        if ids
        else []
    )
    return ChronologyPage(number=number, object_list=rows, has_next=len(ids) > size)


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


def event_detail(viewer: Viewer, pk: int) -> Event:
    """One event as its page (and the API) shows it: with its files."""
    return get_or_404(
        events(viewer)
        .select_related("project", "project__company", "author")
        .prefetch_related(attachments(viewer)),
        pk=pk,
    )


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
