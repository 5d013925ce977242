from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from kabinet.core.models import Agency, AuditEntry, Membership, Notification, User


class TenantAdmin(admin.ModelAdmin):
    """The head manages their own agency only; a superuser sees every agency."""

    agency_field = "agency"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        membership = request.user.membership
        if membership is None:
            return qs.none()
        return qs.filter(**{self.agency_field: membership.agency})

    def save_model(self, request, obj, form, change):
        if not change and hasattr(obj, "agency_id") and obj.agency_id is None and request.user.membership:
            obj.agency = request.user.membership.agency
        super().save_model(request, obj, form, change)


@admin.register(Agency)
class AgencyAdmin(TenantAdmin):
    agency_field = "pk"
    list_display = ["name", "timezone", "country", "work_start", "work_end"]

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return qs
        membership = request.user.membership
        return qs.filter(pk=membership.agency_id) if membership else qs.none()


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["company"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "language", "is_active"]
    search_fields = ["email", "full_name"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "language", "notify_in_app", "notify_by_email")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        membership = request.user.membership
        return qs.filter(memberships__agency_id=membership.agency_id) if membership else qs.none()


@admin.register(AuditEntry)
class AuditEntryAdmin(TenantAdmin):
    list_display = ["at", "actor", "verb", "object_type", "object_id"]
    list_filter = ["verb", "object_type"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]


@admin.register(Notification)
class NotificationAdmin(TenantAdmin):
    list_display = ["created_at", "user", "kind", "title", "email_state", "email_attempts"]
    list_filter = ["kind", "email_state"]
