from __future__ import annotations

from django.contrib import admin

from kabinet.core.admin import TenantAdmin
from kabinet.questions.models import Message, SlaPolicy, Thread


@admin.register(SlaPolicy)
class SlaPolicyAdmin(TenantAdmin):
    """The head sets the agency's SLA targets (blank tier = default) in business hours."""

    list_display = ("__str__", "tier", "first_response_hours", "next_response_hours", "resolution_hours")

    def get_exclude(self, request, obj=None):
        # The head's own agency is filled in by TenantAdmin; a superuser picks one.
        return () if request.user.is_superuser else ("agency",)


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    can_delete = False
    fields = ("created_at", "kind", "author", "visibility", "body")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # history is written by the services only: the SLA is derived from it


@admin.register(Thread)
class ThreadAdmin(TenantAdmin):
    list_display = ("subject", "project", "status", "assignee", "created_at", "rating")
    list_filter = ("status",)
    search_fields = ("subject", "project__name", "project__company__name")
    readonly_fields = ("agency", "project", "asked_by", "status", "created_at", "resolved_at", "rating", "rating_comment")
    raw_id_fields = ("assignee",)
    inlines = [MessageInline]

    def has_add_permission(self, request) -> bool:
        return False  # questions are asked by clients, through the services
