"""Admin for client companies, projects and their teams — no product page edits these yet.

Every save goes through `clients.services` (checked, audited, told to the client in the
chronology where the client sees it); projects and companies are closed, not deleted.
"""

from __future__ import annotations

from django.contrib import admin

from kabinet.clients import services
from kabinet.clients.models import ClientCompany, Project, ProjectMember
from kabinet.core.admin import TenantAdmin, TenantInline
from kabinet.core.admin_site import acting_viewer, is_platform
from kabinet.core.models import STAFF_ROLES


class ProjectMemberInline(TenantInline):
    model = ProjectMember
    extra = 0
    fields = ["user", "role", "responsibility"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "user":  # the agency's staff, never its clients
            field.queryset = field.queryset.filter(memberships__role__in=STAFF_ROLES).distinct()
        return field


@admin.register(ClientCompany)
class ClientCompanyAdmin(TenantAdmin):
    list_display = ["name", "tier", "language"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_platform(request)

    def save_model(self, request, obj, form, change) -> None:
        agency = obj.agency if obj.agency_id else self.tenant(request)
        services.save_company(
            viewer=acting_viewer(request, agency), company=obj, changed=form.changed_data
        )


@admin.register(Project)
class ProjectAdmin(TenantAdmin):
    list_display = [
        "name",
        "company",
        "service",
        "tier",
        "monthly_budget",
        "status",
        "last_client_update_at",
    ]
    list_filter = ["service", "tier", "status", "company"]
    search_fields = ["name", "company__name"]
    inlines = [ProjectMemberInline]
    readonly_fields = ["last_client_update_at"]  # kept by the chronology services

    def has_delete_permission(self, request, obj=None) -> bool:
        # A head closes a project (its status); the client keeps its history.
        return is_platform(request)

    def save_model(self, request, obj, form, change) -> None:
        agency = obj.company.agency if obj.company_id else self.tenant(request)
        # The form offers only the head's own companies and staff, so the services' checks
        # (another agency's company, a client on the team) are not reachable from this page.
        services.save_project(
            viewer=acting_viewer(request, agency), project=obj, changed=form.changed_data
        )

    def save_formset(self, request, form, formset, change) -> None:
        project = form.instance
        members = formset.save(commit=False)
        services.save_team(
            viewer=acting_viewer(request, project.agency),
            project=project,
            members=members,
            removed=list(formset.deleted_objects),
        )
