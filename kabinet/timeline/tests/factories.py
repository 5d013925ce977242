"""Small builders for chronology tests."""

from __future__ import annotations

from django.core.files.base import ContentFile

from kabinet.timeline.models import Attachment, Event, Kind, Visibility
from kabinet.timeline.services import record_event


def event(
    project,
    *,
    kind=Kind.MESSAGE,
    title="Событие",
    body="",
    author=None,
    visibility=Visibility.CLIENT,
    **extra,
) -> Event:
    return record_event(
        project=project,
        kind=kind,
        title=title,
        body=body,
        author=author,
        visibility=visibility,
        **extra,
    )


def attachment(
    ev: Event, name: str = "report.pdf", content: bytes = b"%PDF-1.4 demo"
) -> Attachment:
    a = Attachment(
        agency_id=ev.agency_id,
        event=ev,
        name=name,
        size=len(content),
        content_type="application/pdf",
    )
    a.file.save(name, ContentFile(content), save=True)
    return a
