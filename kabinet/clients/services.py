"""Writes to client companies, projects and project teams.

The head edits these in the admin today (there is no product page for them); the admin calls these
services, so every change is checked, audited, and — where the client sees it (a project paused,
resumed or closed; someone joining or leaving the team) — written into the project's chronology.
A change the plan depends on (tier, budget, status, team) asks for a new plan.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from kabinet.clients.models import ClientCompany, Project, ProjectMember
from kabinet.core import signals
from kabinet.core.models import STAFF_ROLES, Membership
from kabinet.core.scoping import Viewer, require_head
from kabinet.core.services import audit

PLAN_FIELDS = ("tier", "monthly_budget", "status")


def save_company(*, viewer: Viewer, company: ClientCompany, changed: list[str]) -> ClientCompany:
    require_head(viewer)
    created = company.pk is None
    if created:
        company.agency = viewer.agency
    elif company.agency_id != viewer.agency.pk:
        raise PermissionDenied
    company.save()
    verb = "company.created" if created else "company.changed"
    if created or changed:
        audit(
            agency=viewer.agency, actor=viewer.user, verb=verb, obj=company, fields=sorted(changed)
        )
    return company


def save_project(*, viewer: Viewer, project: Project, changed: list[str]) -> Project:
    """Create or change a project; a change of status is told to the client in the chronology."""
    require_head(viewer)
    created = project.pk is None
    if created:
        project.agency = viewer.agency
    elif project.agency_id != viewer.agency.pk:
        raise PermissionDenied
    if project.company.agency_id != viewer.agency.pk:
        raise ValidationError({"company": _("Choose a client company of your agency.")})
    before = None if created else Project.objects.filter(pk=project.pk).values(*PLAN_FIELDS).first()
    with transaction.atomic():
        project.save()
        data = {
            f: [str(before[f]), str(getattr(project, f))]
            for f in PLAN_FIELDS
            if before and str(before[f]) != str(getattr(project, f))
        }
        if created or changed:
            verb = "project.created" if created else "project.changed"
            audit(
                agency=viewer.agency,
                actor=viewer.user,
                verb=verb,
                obj=project,
                fields=sorted(changed),
                **data,
            )
        if before and before["status"] != project.status:
            _tell_client(project, viewer, _status_title(project))
        if created or data:
            _plan_inputs_changed(project)
    return project


def save_team(
    *,
    viewer: Viewer,
    project: Project,
    members: list[ProjectMember],
    removed: list[ProjectMember],
) -> None:
    """Seat or change team members and take others off; the client sees who joined and who left."""
    require_head(viewer)
    if project.agency_id != viewer.agency.pk:
        raise PermissionDenied
    staff = set(
        Membership.objects.filter(agency=viewer.agency, role__in=STAFF_ROLES).values_list(
            "user_id", flat=True
        )
    )
    strangers = [m.user for m in members if m.user_id not in staff]
    if strangers:
        raise ValidationError(
            _("Only the agency's staff can be on a project team: %(names)s.")
            % {"names": ", ".join(str(u) for u in strangers)}
        )
    with transaction.atomic():
        for member in removed:
            if member.project_id != project.pk:
                raise PermissionDenied
            audit(
                agency=viewer.agency,
                actor=viewer.user,
                verb="team.left",
                obj=member,
                user=member.user_id,
            )
            _tell_client(project, viewer, _left_title(member))
            member.delete()
        for member in members:
            joined = member.pk is None
            member.agency_id = project.agency_id
            member.project = project
            member.save()
            audit(
                agency=viewer.agency,
                actor=viewer.user,
                verb="team.joined" if joined else "team.changed",
                obj=member,
                user=member.user_id,
                role=member.role,
                responsibility=member.responsibility,
            )
            _tell_client(
                project, viewer, _joined_title(member) if joined else _changed_title(member)
            )
        if members or removed:
            _plan_inputs_changed(project)
            # The head's page groups the clients by the account manager stored on the latest
            # snapshot: it follows the team at once, not at the next daily run.
            from kabinet.health.understanding import store_managers

            store_managers(project.agency, [project.company_id])


def _tell_client(project: Project, viewer: Viewer, title: str) -> None:
    from kabinet.timeline.models import Kind
    from kabinet.timeline.services import record_event

    record_event(project=project, kind=Kind.MILESTONE, title=title, author=viewer.user)


def _in_client_language(project: Project):
    return translation.override(project.company.language)


def _status_title(project: Project) -> str:
    with _in_client_language(project):
        if project.status == Project.Status.PAUSED:
            return _("Work on the project is paused")
        if project.status == Project.Status.CLOSED:
            return _("The project is closed")
        return _("Work on the project is resumed")


def _joined_title(member: ProjectMember) -> str:
    with _in_client_language(member.project):
        return _("%(name)s joined the team: %(role)s") % {
            "name": member.user,
            "role": member.get_role_display(),
        } + (f" — {member.responsibility}" if member.responsibility else "")


def _changed_title(member: ProjectMember) -> str:
    with _in_client_language(member.project):
        return _("%(name)s on the team: now %(role)s") % {
            "name": member.user,
            "role": member.get_role_display(),
        } + (f" — {member.responsibility}" if member.responsibility else "")


def _left_title(member: ProjectMember) -> str:
    with _in_client_language(member.project):
        return _("%(name)s left the project team") % {"name": member.user}


def _plan_inputs_changed(project: Project) -> None:
    agency_id = project.agency_id
    transaction.on_commit(
        lambda: signals.agency_terms_changed.send(sender=Project, agency_id=agency_id)
    )
