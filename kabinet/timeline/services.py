"""Every write to the chronology goes through here (views, API and other apps alike).

The services a person calls (``publish``, ``decide``, ``stage_upload``) take keyword arguments
with the acting ``viewer``, check the permission themselves and raise the domain errors of
``kabinet.core.errors``. ``record_event`` is the building block other apps' services call inside
their own transaction, after their own checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from kabinet.clients.models import Project
from kabinet.core import limits
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


def _stored_bytes(**lookup) -> int:
    """Bytes of attachments (on events and staged) matching `lookup`."""
    return Attachment.objects.filter(**lookup).aggregate(total=Sum("size"))["total"] or 0


def check_quota(*, viewer: Viewer, name: str, size: int) -> None:
    """Refuse a file that would take the uploader or the agency past its storage quota
    (``STORAGE_QUOTA_USER_MB``, ``STORAGE_QUOTA_AGENCY_MB``; attached and staged files count)."""
    mb = 1024 * 1024
    for used, quota, text in (
        (
            _stored_bytes(agency=viewer.agency, uploaded_by=viewer.user),
            settings.STORAGE_QUOTA_USER_MB * mb,
            _(
                "“%(name)s” was not attached: your files would take more than your %(quota)s "
                "(%(used)s used). Remove files you no longer need or ask the agency's head."
            ),
        ),
        (
            _stored_bytes(agency=viewer.agency),
            settings.STORAGE_QUOTA_AGENCY_MB * mb,
            _(
                "“%(name)s” was not attached: the agency's files would take more than its "
                "%(quota)s (%(used)s used). Ask the agency's head to make room."
            ),
        ),
    ):
        if used + size > quota:
            raise ValidationError(
                text % {"name": name, "quota": filesizeformat(quota), "used": filesizeformat(used)},
                code="quota",
            )


def stage_upload(*, viewer: Viewer, upload: UploadedFile) -> Attachment:
    """Store a valid file before its event exists, so a failed form never loses it.

    The staged file belongs to the uploader and expires after ``STAGED_UPLOAD_HOURS``: a form
    that succeeds attaches it (``attach_staged``); otherwise ``purge_staged_uploads`` deletes it.
    """
    validate_upload(upload=upload)
    name = PurePath(upload.name).name[:255]
    check_quota(viewer=viewer, name=name, size=upload.size or 0)
    now = timezone.now()
    return Attachment.objects.create(
        agency=viewer.agency,
        file=upload,
        name=name,
        size=upload.size or 0,
        content_type=(getattr(upload, "content_type", "") or "")[:120],
        uploaded_by=viewer.user,
        uploaded_at=now,
        staged_until=now + timedelta(hours=settings.STAGED_UPLOAD_HOURS),
    )


def staged_attachments(*, viewer: Viewer, ids: list[int]):
    """Staged files of this uploader only, not yet expired — an id from anyone else is ignored."""
    return Attachment.objects.filter(
        Q(staged_until__isnull=True) | Q(staged_until__gt=timezone.now()),
        agency=viewer.agency,
        uploaded_by=viewer.user,
        event__isnull=True,
        pk__in=ids,
    )


def attach_staged(*, viewer: Viewer, ids: list[int], event: Event) -> int:
    """Attach the viewer's staged files to `event`: they are kept from now on."""
    return staged_attachments(viewer=viewer, ids=list(ids)).update(event=event, staged_until=None)


def purge_staged_uploads(*, now: datetime | None = None) -> int:
    """Delete staged files whose form never succeeded, once they expire (file and row).

    Rows staged before expiries existed (no `staged_until`) expire STAGED_UPLOAD_HOURS after
    their upload. Returns how many were deleted."""
    from kabinet.core.models import Agency

    now = now or timezone.now()
    expired = Q(staged_until__lte=now) | Q(
        staged_until__isnull=True,
        uploaded_at__lte=now - timedelta(hours=settings.STAGED_UPLOAD_HOURS),
    )
    count = 0
    for agency in Agency.objects.order_by("pk"):  # one agency's staged files at a time
        staged = Attachment.objects.filter(agency=agency, event__isnull=True)
        for attachment in staged.filter(expired).iterator():
            attachment.file.delete(save=False)
            Attachment.objects.filter(agency=agency, pk=attachment.pk).delete()
            count += 1
    return count


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
    # The last line of defence for every writer (pages, API, jobs): no unbounded text is stored.
    limits.check_length("body", body, limits.DOCUMENT, _("The text"))
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
        Project.objects.filter(pk=project.pk, agency_id=project.agency_id).filter(
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
    if draft.visibility not in Visibility.values:
        raise ValidationError({"visibility": _("Choose who sees it.")})
    title = limits.single_line("title", draft.title, _("The title"))
    if not title:
        raise ValidationError({"title": _("Give it a title.")})
    limits.check_length("title", title, limits.TITLE, _("The title"))
    limits.check_length("body", draft.body, limits.DOCUMENT, _("The text"))
    if draft.kind in PERIOD_KINDS and not (draft.period_start and draft.period_end):
        raise ValidationError(
            {"period_start": _("Reports and plans cover a period: give its start and end.")}
        )
    limits.check_date("period_start", draft.period_start)
    limits.check_date("period_end", draft.period_end)
    if draft.period_start and draft.period_end and draft.period_start > draft.period_end:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    event = record_event(
        project=project,
        kind=draft.kind,
        title=title,
        body=draft.body,
        author=viewer.user,
        visibility=draft.visibility,
        occurred_at=draft.occurred_at,
        period_start=draft.period_start if draft.kind in PERIOD_KINDS else None,
        period_end=draft.period_end if draft.kind in PERIOD_KINDS else None,
        decision=Decision.PENDING if draft.kind == Kind.RECOMMENDATION else "",
    )
    attach_staged(viewer=viewer, ids=draft.attachment_ids, event=event)
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
    limits.check_length("comment", comment, limits.MESSAGE, _("The comment"))
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
