from __future__ import annotations

from django.contrib import admin

from kabinet.clients.models import ClientCompany, Project, ProjectMember
from kabinet.core.admin import TenantAdmin


class ProjectMemberInline(admin.TabularInline):
    model = ProjectMember
    extra = 0
    exclude = ["agency"]


@admin.register(ClientCompany)
class ClientCompanyAdmin(TenantAdmin):
    list_display = ["name", "tier", "language"]
    search_fields = ["name"]
    exclude = ["agency"]


@admin.register(Project)
class ProjectAdmin(TenantAdmin):
    list_display = ["name", "company", "service", "tier", "monthly_budget", "status", "last_client_update_at"]
    list_filter = ["service", "tier", "status"]
    search_fields = ["name", "company__name"]
    exclude = ["agency"]
    inlines = [ProjectMemberInline]

    def save_formset(self, request, form, formset, change):
        for obj in formset.save(commit=False):
            obj.agency_id = form.instance.agency_id
            obj.save()
        formset.save_m2m()
