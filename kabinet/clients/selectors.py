"""Reads of companies and projects, scoped to the viewer."""

from __future__ import annotations

from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from kabinet.clients.models import Project, ProjectMember
from kabinet.core import scoping
from kabinet.core.scoping import Viewer


def _members(viewer: Viewer) -> Prefetch:
    """The projects' teams, read in the viewer's agency (the team rows carry it)."""
    return Prefetch(
        "members",
        queryset=ProjectMember.objects.filter(agency=viewer.agency).select_related("user"),
    )


def project_list(viewer: Viewer) -> QuerySet[Project]:
    """The viewer's projects; for staff the silent-longest first, so nobody is left in a vacuum."""
    qs = scoping.projects(viewer).select_related("company").prefetch_related(_members(viewer))
    if viewer.is_staff:
        return qs.order_by(
            F("last_client_update_at").asc(nulls_first=True), "company__name", "name"
        )
    return qs.order_by("company__name", "name")


def days_of_silence(project: Project, now=None) -> int | None:
    if project.last_client_update_at is None:
        return None
    now = now or timezone.now()
    return max(0, (now - project.last_client_update_at).days)


def project_detail(viewer: Viewer, pk: int) -> Project:
    return scoping.get_or_404(
        scoping.projects(viewer).select_related("company").prefetch_related(_members(viewer)),
        pk=pk,
    )
