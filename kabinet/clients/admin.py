"""Admin for client companies, projects and their teams (no product page edits these yet)."""

from __future__ import annotations

from django.contrib import admin

from kabinet.clients.models import ClientCompany, Project, ProjectMember
from kabinet.core.admin import TenantAdmin, TenantInline


class ProjectMemberInline(TenantInline):
    model = ProjectMember
    extra = 0


@admin.register(ClientCompany)
class ClientCompanyAdmin(TenantAdmin):
    list_display = ["name", "tier", "language"]
    search_fields = ["name"]


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
