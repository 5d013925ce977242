"""The one place that decides what a viewer may see.

Every selector and every API handler goes through here. The agency is the tenant key; inside an
agency the client company is the security boundary:

- the head sees every project of the agency;
- account managers and specialists see the projects whose team they are on;
- a client user sees only their company's projects, and in them only client-visible items.

Anything outside that is a 404 — never a 403, so nobody learns what exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from kabinet.core.models import STAFF_ROLES, Agency, Membership, Role, User, Visibility

if TYPE_CHECKING:
    from kabinet.clients.models import Project

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Viewer:
    user: User
    agency: Agency
    role: str
    company_id: int | None

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)

    @property
    def is_client(self) -> bool:
        return self.role == Role.CLIENT

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_head(self) -> bool:
        return self.role == Role.HEAD

    @property
    def is_manager(self) -> bool:
        return self.role in (Role.HEAD, Role.ACCOUNT_MANAGER)


def viewer_for(user: User | None) -> Viewer | None:
    """The viewer behind a request user, or None for anonymous users and users with no agency."""
    if user is None or not user.is_authenticated:
        return None
    membership: Membership | None = user.membership
    if membership is None:
        return None
    return Viewer(
        user=user, agency=membership.agency, role=membership.role, company_id=membership.company_id
    )


def projects(viewer: Viewer) -> QuerySet[Project]:
    """Projects the viewer may open."""
    from kabinet.clients.models import Project

    qs = Project.objects.filter(agency=viewer.agency)
    if viewer.is_head:
        return qs
    if viewer.is_client:
        return qs.filter(company_id=viewer.company_id)
    return qs.filter(members__user=viewer.user).distinct()


def project_ids(viewer: Viewer) -> QuerySet:
    return projects(viewer).values("pk")


def scoped(
    viewer: Viewer,
    qs: QuerySet[M],
    *,
    project_field: str = "project",
    visibility_field: str | None = "visibility",
) -> QuerySet[M]:
    """Narrow any project-owned queryset to what the viewer may see.

    `project_field` is the path from the model to its Project; `visibility_field` the path to
    its client/internal flag (None when the model has no internal items).
    """
    qs = qs.filter(agency=viewer.agency, **{f"{project_field}__in": project_ids(viewer)})
    if viewer.is_client and visibility_field:
        qs = qs.filter(**{visibility_field: Visibility.CLIENT})
    return qs


def scoped_to_project(
    viewer: Viewer,
    qs: QuerySet[M],
    project: Project,
    *,
    project_field: str = "project",
    visibility_field: str | None = "visibility",
) -> QuerySet[M]:
    """`scoped(viewer, qs)` narrowed to one project: the same rows, in one filter.

    When the project itself shows that it is one of the viewer's (the head's agency, a client's
    company) the subquery of the viewer's projects is left out — it could only repeat that; for
    anyone else (or a project of another agency or company) it stays, exactly as in `scoped`. A
    page reads a project's rows many times: each subquery left out is one less to build.
    """
    lookups: dict = {"agency": viewer.agency, project_field: project}
    own = project.agency_id == viewer.agency.pk and (
        viewer.is_head or (viewer.is_client and project.company_id == viewer.company_id)
    )
    if not own:
        lookups[f"{project_field}__in"] = project_ids(viewer)
    if viewer.is_client and visibility_field:
        lookups[visibility_field] = Visibility.CLIENT
    return qs.filter(**lookups)


def in_agency(qs: QuerySet[M], agency: Agency) -> QuerySet[M]:
    """Narrow a queryset of any model to one agency's rows (used where there is no project to go by).

    Agencies: that agency; people: its members; tenant rows: `agency` is theirs; anything else
    (groups, permissions, platform tables) belongs to no agency and comes back empty.
    """
    model = qs.model
    if model is Agency:
        return qs.filter(pk=agency.pk)
    if model is User:
        return qs.filter(pk__in=Membership.objects.filter(agency=agency).values("user"))
    if any(f.name == "agency" and f.is_relation for f in model._meta.get_fields()):
        return qs.filter(agency=agency)
    return qs.none()


def get_or_404(qs: QuerySet[M], **lookup) -> M:
    try:
        return qs.get(**lookup)
    except qs.model.DoesNotExist as exc:
        raise Http404 from exc


def project_or_404(viewer: Viewer, pk: int) -> Project:
    return get_or_404(projects(viewer).select_related("company"), pk=pk)


def staff_project_or_404(viewer: Viewer, pk: int) -> Project:
    """A project the viewer works on; clients get 404 (they cannot act as staff)."""
    if not viewer.is_staff:
        raise Http404
    return project_or_404(viewer, pk)


# The one set of role checks, for services, selectors and views alike. They raise Django's
# PermissionDenied, which ``kabinet.core.errors`` answers with a 404 everywhere.


def require_staff(viewer: Viewer) -> None:
    if not viewer.is_staff:
        raise PermissionDenied


def require_manager(viewer: Viewer) -> None:
    """Account managers and the head."""
    if not viewer.is_manager:
        raise PermissionDenied


def require_head(viewer: Viewer) -> None:
    if not viewer.is_head:
        raise PermissionDenied


def require_client(viewer: Viewer) -> None:
    """Only the client's own people (staff cannot speak or decide for the client)."""
    if not viewer.is_client:
        raise PermissionDenied


class Side(StrEnum):
    """Who an action belongs to: the client's people or the agency's staff."""

    CLIENT = "client"
    AGENCY = "agency"


# The one rule of sides: every action that belongs to one side is refused to the other. Services
# call ``require_side`` (so the page, the API and any other caller are refused alike) and views
# call ``may`` to decide what to offer. An action missing here is a KeyError, never a silent yes.
ACTION_SIDES: dict[str, Side] = {
    # the client's voice
    "decide": Side.CLIENT,
    "ask": Side.CLIENT,
    "client_message": Side.CLIENT,
    "reopen": Side.CLIENT,
    "resolve": Side.CLIENT,
    "rate": Side.CLIENT,
    # the agency's voice
    "publish": Side.AGENCY,
    "reply": Side.AGENCY,
    "set_waiting": Side.AGENCY,
}


def side_of(action: str) -> Side:
    return ACTION_SIDES[action]


def may(viewer: Viewer, action: str) -> bool:
    """The viewer is on the side the action belongs to."""
    side = side_of(action)
    return viewer.is_client if side == Side.CLIENT else viewer.is_staff


def require_side(viewer: Viewer, action: str) -> None:
    """Refuse (404 everywhere) an action that belongs to the other side."""
    if not may(viewer, action):
        raise PermissionDenied


def require_project(viewer: Viewer, project: Project | int) -> None:
    """The viewer may open this project (its agency, its company, its team)."""
    pk = project if isinstance(project, int) else project.pk
    if not projects(viewer).filter(pk=pk).exists():
        raise PermissionDenied
