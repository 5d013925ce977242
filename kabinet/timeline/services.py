"""Every write to the chronology goes through here (views, API and other apps alike).

The services a person calls (``publish``, ``decide``, ``stage_upload``) take keyword arguments
with the acting ``viewer``, check the permission themselves and raise the domain errors of
``kabinet.core.errors``. ``record_event`` is the building block other apps' services call inside
their own transaction, after their own checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from kabinet.clients.models import Project
from kabinet.core.models import Membership, Role, User
from kabinet.core.scoping import Viewer, require_project, require_side
from kabinet.core.services import audit
from kabinet.timeline.models import (
    COMPOSER_KINDS,
    PERIOD_KINDS,
    Attachment,
    Decision,
    Event,
    Kind,
    Visibility,
)


def validate_upload(*, upload: UploadedFile) -> None:
    """A clear message for a refused file: too big, or of a type we do not accept."""
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in settings.ALLOWED_UPLOAD_EXTENSIONS:
        raise ValidationError(
            _(
                "“%(name)s” was not attached: files of type “%(ext)s” are not accepted. Allowed: %(allowed)s."
            )
            % {
                "name": upload.name,
                "ext": extension or "?",
                "allowed": ", ".join(settings.ALLOWED_UPLOAD_EXTENSIONS),
            },
            code="type",
        )
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("“%(name)s” was not attached: it is %(size)s, the limit is %(limit)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            },
            code="size",
        )


def stage_upload(*, viewer: Viewer, upload: UploadedFile) -> Attachment:
    """Store a valid file before its event exists, so a failed form never loses it."""
    validate_upload(upload=upload)
    return Attachment.objects.create(
        agency=viewer.agency,
        file=upload,
        name=PurePath(upload.name).name[:255],
        size=upload.size or 0,
        content_type=(getattr(upload, "content_type", "") or "")[:120],
        uploaded_by=viewer.user,
    )


def staged_attachments(*, viewer: Viewer, ids: list[int]):
    """Staged files of this uploader only — an id from anyone else is ignored."""
    return Attachment.objects.filter(
        agency=viewer.agency, uploaded_by=viewer.user, event__isnull=True, pk__in=ids
    )


@dataclass
class EventDraft:
    kind: str
    title: str
    body: str = ""
    visibility: str = Visibility.CLIENT
    occurred_at: datetime | None = None
    period_start: date | None = None
    period_end: date | None = None
    attachment_ids: list[int] = field(default_factory=list)


def is_agency_author(*, project: Project, author: User | None) -> bool:
    """Written by the agency's people (not by the client, not by the system)."""
    if author is None:
        return False
    return not Membership.objects.filter(
        agency_id=project.agency_id, user=author, role=Role.CLIENT
    ).exists()


def record_event(
    *,
    project: Project,
    kind: str,
    title: str = "",
    title_key: str = "",
    title_params: dict | None = None,
    body: str = "",
    author: User | None = None,
    visibility: str = Visibility.CLIENT,
    occurred_at: datetime | None = None,
    period_start: date | None = None,
    period_end: date | None = None,
    parent: Event | None = None,
    decision: str = "",
    source: object | None = None,
) -> Event:
    """Write one chronology event. Other apps call this inside their own transaction.

    A title Kabinet writes itself is given as `title_key` + `title_params` (kabinet.timeline.titles):
    each reader then gets it in their own language. `title` is for words a person typed.
    """
    if title_key:
        from kabinet.timeline.titles import stored

        title = stored(title_key, title_params or {}, project.company.language)
    event = Event.objects.create(
        agency_id=project.agency_id,
        project=project,
        kind=kind,
        title=title[:300],
        title_key=title_key,
        title_params=title_params or {},
        body=body,
        author=author,
        visibility=visibility,
        occurred_at=occurred_at or timezone.now(),
        period_start=period_start,
        period_end=period_end,
        parent=parent,
        decision=decision,
        source_type=source._meta.label_lower if source is not None else "",
        source_id=str(source.pk) if source is not None else "",
    )
    if visibility == Visibility.CLIENT and is_agency_author(project=project, author=author):
        # The agency's silence: only what the agency's people publish ends it (the client's own
        # questions, ratings and decisions do not). Only ever moves forward, so back-dated
        # events do not hide a silence.
        Project.objects.filter(pk=project.pk).filter(
            Q(last_client_update_at__isnull=True) | Q(last_client_update_at__lt=event.occurred_at)
        ).update(last_client_update_at=event.occurred_at)
    from kabinet.timeline.search import index_event

    index_event(event)  # full-text index (SQLite FTS5; PostgreSQL indexes the column itself)
    return event


@transaction.atomic
def publish(*, viewer: Viewer, project: Project, draft: EventDraft) -> Event:
    """Staff publish a report, plan, recommendation, completed work, meeting notes or message."""
    require_side(viewer, "publish")
    require_project(viewer, project)
    if draft.kind not in COMPOSER_KINDS:
        raise ValidationError({"kind": _("Choose what you are publishing.")})
    if draft.kind in PERIOD_KINDS and not (draft.period_start and draft.period_end):
        raise ValidationError(
            {"period_start": _("Reports and plans cover a period: give its start and end.")}
        )
    if draft.period_start and draft.period_end and draft.period_start > draft.period_end:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    event = record_event(
        project=project,
        kind=draft.kind,
        title=draft.title.strip(),
        body=draft.body,
        author=viewer.user,
        visibility=draft.visibility,
        occurred_at=draft.occurred_at,
        period_start=draft.period_start if draft.kind in PERIOD_KINDS else None,
        period_end=draft.period_end if draft.kind in PERIOD_KINDS else None,
        decision=Decision.PENDING if draft.kind == Kind.RECOMMENDATION else "",
    )
    staged_attachments(viewer=viewer, ids=draft.attachment_ids).update(event=event)
    from kabinet.promises.services import detect_later  # promises imports this module

    detect_later(event=event)  # read for promises by a background job once this commits
    audit(
        agency=viewer.agency,
        actor=viewer.user,
        verb="published",
        obj=event,
        kind=draft.kind,
        visibility=draft.visibility,
    )
    return event


@transaction.atomic
def decide(*, viewer: Viewer, recommendation: Event, decision: str, comment: str = "") -> Event:
    """The client approves, declines or comments on a recommendation; the decision is an event."""
    require_side(viewer, "decide")
    require_project(viewer, recommendation.project)
    if recommendation.kind != Kind.RECOMMENDATION or recommendation.visibility != Visibility.CLIENT:
        raise PermissionDenied
    if decision not in (Decision.APPROVED, Decision.DECLINED, Decision.COMMENTED):
        raise ValidationError({"decision": _("Choose approve, decline or comment.")})
    if decision == Decision.COMMENTED and not comment.strip():
        raise ValidationError({"comment": _("Write your comment.")})
    event = record_event(
        project=recommendation.project,
        kind=Kind.DECISION,
        title_key=str(decision),
        title_params={"title": recommendation.title},
        body=comment,
        author=viewer.user,
        parent=recommendation,
        decision=decision,
    )
    if decision != Decision.COMMENTED:
        recommendation.decision = decision
        recommendation.save(update_fields=["decision"])
    audit(
        agency=viewer.agency,
        actor=viewer.user,
        verb=f"recommendation_{decision}",
        obj=recommendation,
        comment=comment,
    )
    return event
