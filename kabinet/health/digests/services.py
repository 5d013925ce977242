"""Every write of the weekly digest: drafting, editing, sending, and the client's opt-in.

Drafting is the system's (the weekly job, the demo, a manager's "draft now"): once per project and
ISO week, whatever runs it twice. Editing and sending are the manager's, keyword-only with the
acting `viewer`; both carry the `version` the person was looking at, so a draft that changed (or
was sent) in the meantime is a `Conflict` (409) and nothing is overwritten. Sending writes the
letter into the chronology as a client-visible event of kind `digest` in the same transaction;
the chronology's notices e-mail it to the client's people once it commits.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kabinet.clients.models import ClientCompany, Project, ProjectMember
from kabinet.core import concurrency, scoping
from kabinet.core.models import Agency, User
from kabinet.core.scoping import Viewer
from kabinet.core.services import audit
from kabinet.health.digests import letter
from kabinet.health.digests.selectors import (
    account_managers,
    client_languages,
    companies_sending_as_drafted,
    last_complete_week,
    weeks_items,
)
from kabinet.health.models import Digest, DigestSetting, DigestState
from kabinet.timeline.models import Kind, Visibility
from kabinet.timeline.services import record_event

# The week is drafted on Monday from this hour (agency time), when it has surely ended.
DRAFT_HOUR = 8
MAX_SUBJECT = 300
MAX_BODY = 20_000
BATCH = 200  # projects drafted together: their reads are a constant number of queries


def draft_digest(
    *, project: Project, week_start: date, now: datetime | None = None
) -> tuple[Digest, bool]:
    """The project's digest for the week starting `week_start` (a Monday): drafted from the
    chronology, KPIs, promises and what waits for the client, or the one already drafted.
    Returns (digest, whether it was drafted now)."""
    existing = Digest.objects.filter(
        agency_id=project.agency_id, project=project, week_start=week_start
    ).first()
    if existing is not None:
        return existing, False
    drafted = draft_digests([project], week_start, now)
    if drafted:
        return drafted[0], True
    return Digest.objects.get(
        agency_id=project.agency_id, project=project, week_start=week_start
    ), False


def draft_digests(
    projects: list[Project], week_start: date, now: datetime | None = None
) -> list[Digest]:
    """The digests of many projects of one agency (none drafted yet for the week), read in a
    constant number of queries whatever their number and written in one INSERT. Returns those
    drafted now: a project another run drafted in the meantime keeps that run's letter."""
    if not projects:
        return []
    items = weeks_items(projects, week_start, now)
    languages = client_languages(projects)
    managers = account_managers(projects)
    drafts = []
    for project in projects:
        subject, body = letter.compose(
            items[project.pk], languages[project.pk], managers.get(project.pk)
        )
        drafts.append(
            Digest(
                agency_id=project.agency_id,
                project=project,
                week_start=week_start,
                language=languages[project.pk],
                subject=subject,
                body=body,
                drafted_body=body,
                item_count=items[project.pk].count,
            )
        )
    try:
        with transaction.atomic():
            return Digest.objects.bulk_create(drafts)
    except IntegrityError:  # another run drafted some of them meanwhile: the others one by one
        created = []
        for digest in drafts:
            try:
                with transaction.atomic():
                    digest.save(force_insert=True)
            except IntegrityError:
                continue
            created.append(digest)
        return created


def due_week(*, agency: Agency, now: datetime | None = None) -> date:
    """The Monday of the week the job drafts now: the last one ended by Monday DRAFT_HOUR."""
    return last_complete_week(agency, (now or timezone.now()) - timedelta(hours=DRAFT_HOUR))


def draft_due_digests(*, now: datetime | None = None, agencies=None) -> dict[str, int]:
    """The weekly job: for every active project, the digest of the last ended week (once), from
    Monday DRAFT_HOUR agency time. An agency's projects are drafted BATCH at a time, each batch
    in a constant number of queries (`draft_digests`). A company that opted in gets a non-empty
    draft sent at once (one by one: each is a chronology event and e-mails); every other draft
    waits for the manager."""
    now = now or timezone.now()
    drafted = sent = 0
    for agency in Agency.objects.all() if agencies is None else agencies:
        week = due_week(agency=agency, now=now)
        projects = list(
            Project.objects.filter(
                agency=agency,
                status=Project.Status.ACTIVE,
                start_date__lte=week + timedelta(days=6),
            )
            .exclude(digests__week_start=week)
            .select_related("company", "agency")
            .order_by("pk")
        )
        for i in range(0, len(projects), BATCH):
            digests = draft_digests(projects[i : i + BATCH], week, now)
            drafted += len(digests)
            to_send = [d for d in digests if not d.is_empty]
            opted_in = companies_sending_as_drafted(
                agency.pk, {d.project.company_id for d in to_send}
            )
            for digest in to_send:
                if digest.project.company_id in opted_in:
                    with transaction.atomic():
                        locked = _locked(digest)
                        if not locked.is_sent:
                            _deliver(locked, by=None, automatically=True)
                            sent += 1
    return {"drafted": drafted, "sent": sent}


def draft_now(*, viewer: Viewer, project: Project, week_start: date | None = None) -> Digest:
    """A manager drafts a project's digest before the job has (the last ended week by default)."""
    scoping.require_manager(viewer)
    scoping.require_project(viewer, project)
    week = week_start or last_complete_week(project.agency)
    if week.weekday() != 0:
        raise ValidationError({"week": _("A week starts on a Monday.")})
    digest, _created = draft_digest(project=project, week_start=week)
    return digest


# ----------------------------------------------------------------------------- the manager


def _locked(digest: Digest) -> Digest:
    return (
        Digest.objects.select_for_update(of=("self",))
        .select_related("project__company", "project__agency", "edited_by", "sent_by")
        .get(pk=digest.pk, agency_id=digest.agency_id)
    )


def _who(user: User | None) -> str:
    return (user.full_name or user.email) if user is not None else _("Kabinet")


def _at(value: datetime | None, agency: Agency) -> str:
    from zoneinfo import ZoneInfo

    if value is None:
        return ""
    return formats.date_format(value.astimezone(ZoneInfo(agency.timezone)), "d.m.Y H:i")


def describe_digest(*, digest: Digest) -> dict[str, tuple[str, str]]:
    """The letter as stored, in the fields of the digest form (the conflict panel)."""
    return {
        "subject": (_("Subject"), digest.subject),
        "body": (_("Letter (Markdown)"), digest.body.rstrip("\n")),
    }


def _check_fresh(current: Digest, version: int) -> None:
    """The shared optimistic check (kabinet.core.concurrency); a sent letter is final."""
    agency = current.project.agency
    if current.is_sent:
        raise concurrency.EditConflict(
            _("This digest was already sent (%(when)s, %(who)s); nothing was changed.")
            % {"when": _at(current.sent_at, agency), "who": _who(current.sent_by)},
            saved=describe_digest(digest=current),
            by=_who(current.sent_by),
            at=current.sent_at,
            code="sent",
        )
    concurrency.check(
        current,
        version,
        saved=lambda: describe_digest(digest=current),
        by=_who(current.edited_by),
        at=current.edited_at,
    )


def _clean(subject: str, body: str) -> tuple[str, str]:
    subject, body = (subject or "").strip(), (body or "").strip()
    problems: dict[str, str] = {}
    if not subject:
        problems["subject"] = _("Write the subject of the letter.")
    elif len(subject) > MAX_SUBJECT:
        problems["subject"] = _("The subject is at most %(n)d characters.") % {"n": MAX_SUBJECT}
    if not body:
        problems["body"] = _("The letter is empty: write what the client should read.")
    elif len(body) > MAX_BODY:
        problems["body"] = _("The letter is at most %(n)d characters.") % {"n": MAX_BODY}
    if problems:
        raise ValidationError(problems)
    return subject, body + "\n"


def _require(viewer: Viewer, digest: Digest) -> None:
    scoping.require_manager(viewer)
    scoping.require_project(viewer, digest.project_id)


def _apply(viewer: Viewer, current: Digest, subject: str, body: str) -> bool:
    if current.subject == subject and current.body == body:
        return False
    current.subject, current.body = subject, body
    concurrency.bump(current)
    current.edited_by, current.edited_at = viewer.user, timezone.now()
    current.save(update_fields=["subject", "body", "version", "edited_by", "edited_at"])
    audit(
        agency=viewer.agency,
        actor=viewer.user,
        verb="digest_edited",
        obj=current,
        version=current.version,
    )
    return True


@transaction.atomic
def save_digest(*, viewer: Viewer, digest: Digest, subject: str, body: str, version: int) -> Digest:
    """The manager saves her edit of a draft made from `version`."""
    _require(viewer, digest)
    subject, body = _clean(subject, body)
    current = _locked(digest)
    _check_fresh(current, version)
    _apply(viewer, current, subject, body)
    return current


@transaction.atomic
def send_digest(*, viewer: Viewer, digest: Digest, subject: str, body: str, version: int) -> Digest:
    """The manager sends the letter as she sees it (her edit of `version` is saved first)."""
    _require(viewer, digest)
    subject, body = _clean(subject, body)
    current = _locked(digest)
    _check_fresh(current, version)
    _apply(viewer, current, subject, body)
    _deliver(current, by=viewer.user, automatically=False)
    return current


def _account_manager(project: Project) -> User | None:
    """The project's account manager (the first by name), read through the agency's own rows."""
    seat = (
        ProjectMember.objects.filter(
            agency_id=project.agency_id,
            project=project,
            role=ProjectMember.ProjectRole.ACCOUNT_MANAGER,
        )
        .select_related("user")
        .first()
    )
    return seat.user if seat is not None else None


def _deliver(digest: Digest, *, by: User | None, automatically: bool) -> None:
    """The letter becomes a client-visible chronology event (which e-mails the client's people
    once the transaction commits) and counts as the agency's update."""
    project = digest.project
    author = by or _account_manager(project)
    event = record_event(
        project=project,
        kind=Kind.DIGEST,
        title=digest.subject,
        body=digest.body,
        author=author,
        visibility=Visibility.CLIENT,
        source=digest,
    )
    if author is None:  # nobody runs the project: the letter is still the agency's update
        Project.objects.filter(pk=project.pk, agency_id=project.agency_id).filter(
            Q(last_client_update_at__isnull=True) | Q(last_client_update_at__lt=event.occurred_at)
        ).update(last_client_update_at=event.occurred_at)
    sent = {
        "state": DigestState.SENT,
        "sent_at": event.occurred_at,
        "sent_by": by,
        "sent_automatically": automatically,
        "event": event,
    }
    Digest.objects.filter(pk=digest.pk, agency_id=digest.agency_id).update(**sent)
    for field_name, value in sent.items():
        setattr(digest, field_name, value)
    audit(
        agency=project.agency,
        actor=by,
        verb="digest_sent",
        obj=digest,
        automatically=automatically,
        event=event.pk,
        week=digest.iso_week,
    )


# ----------------------------------------------------------------------------- the client's choice


@transaction.atomic
def set_send_as_drafted(*, viewer: Viewer, company: ClientCompany, enabled: bool) -> DigestSetting:
    """The client (for her own company), or a manager on her behalf, chooses whether the weekly
    digest goes out as drafted. Recorded in the audit trail with who did it."""
    if company.agency_id != viewer.agency.pk:
        raise PermissionDenied
    if viewer.is_client:
        if viewer.company_id != company.pk:
            raise PermissionDenied
    else:
        scoping.require_manager(viewer)
        if not scoping.projects(viewer).filter(company=company).exists():
            raise PermissionDenied
    setting, _created = DigestSetting.objects.select_for_update().get_or_create(
        company=company, defaults={"agency_id": company.agency_id}
    )
    before = setting.send_as_drafted
    setting.send_as_drafted = bool(enabled)
    setting.changed_by = viewer.user
    setting.changed_at = timezone.now()
    setting.save()
    audit(
        agency=viewer.agency,
        actor=viewer.user,
        verb="digest_send_as_drafted_on" if enabled else "digest_send_as_drafted_off",
        obj=company,
        before=before,
        on_behalf_of_client=not viewer.is_client,
    )
    return setting
