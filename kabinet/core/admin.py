"""Admin for the agency and its people. The scoping rules live in `core/admin_site.py`.

A head of accounts manages the people of their own agency here: names, languages, whether they
may log in, and their role (which decides who gets this admin — never a checkbox). Superuser,
staff, group and permission fields exist for platform superusers only. The audit trail is read-only.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from kabinet.core.admin_site import (
    ReadOnlyTenantAdmin,
    SuperuserOnlyAdmin,
    TenantAdmin,
    TenantInline,
    is_platform,
)
from kabinet.core.models import Agency, AuditEntry, Membership, User
from kabinet.core.services import audit, sync_admin_access

__all__ = ["ReadOnlyTenantAdmin", "SuperuserOnlyAdmin", "TenantAdmin", "TenantInline"]


@admin.register(Agency)
class AgencyAdmin(TenantAdmin):
    """The calendar is edited by the head on its product page (audited, replans); here it is shown."""

    list_display = ["name", "timezone", "country", "work_start", "work_end"]
    calendar_fields = (
        "timezone",
        "country",
        "work_start",
        "work_end",
        "weekend",
        "days_off",
        "working_days",
    )

    def has_add_permission(self, request) -> bool:
        return is_platform(request)  # agencies are created by the platform, not by a head

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_platform(request)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()  # a new agency starts from the defaults its head then adjusts
        fixed = () if is_platform(request) else ("slug",)
        return (*fixed, *self.calendar_fields, "calendar_page")

    @admin.display(description=_("Working calendar"))
    def calendar_page(self, obj) -> str:
        from django.urls import reverse
        from django.utils.html import format_html

        return format_html(
            '<a href="{}">{}</a>',
            reverse("calendar"),
            _("Edited by the head of accounts on the calendar page"),
        )


class MembershipInline(TenantInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["company"]

    def get_fields(self, request, obj=None):
        fields = ["role", "company", "title"]
        return ["agency", *fields] if is_platform(request) else fields

    def get_min_num(self, request, obj=None, **kwargs):
        return 0 if is_platform(request) else 1  # a head adds people to their agency, with a role

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("validate_min", not is_platform(request))
        return super().get_formset(request, obj, **kwargs)

    def get_max_num(self, request, obj=None, **kwargs):
        return None if is_platform(request) else 1

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_platform(request) and super().has_delete_permission(request, obj)


HEAD_FIELDSETS = (
    (None, {"fields": ("email", "password")}),
    (_("Person"), {"fields": ("full_name", "language", "notify_in_app", "notify_by_email")}),
    (_("Access"), {"fields": ("is_active",)}),
)
PLATFORM_FIELDSETS = (
    *HEAD_FIELDSETS[:2],
    (
        _("Permissions"),
        {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
    ),
)


@admin.register(User)
class UserAdmin(TenantAdmin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "language", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["email", "full_name"]
    inlines = [MembershipInline]
    fieldsets = PLATFORM_FIELDSETS
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        return PLATFORM_FIELDSETS if is_platform(request) else HEAD_FIELDSETS

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if is_platform(request):
            return qs
        # Not a superuser, and nobody who also belongs to another agency: their password and
        # name are not this head's to change.
        agency = self.tenant(request)
        return qs.exclude(is_superuser=True).exclude(
            pk__in=Membership.objects.exclude(agency=agency).values("user")
        )

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        user = form.instance
        for formset in formsets:
            for membership in [
                *formset.new_objects,
                *(obj for obj, _changed in formset.changed_objects),
            ]:
                audit(
                    agency=membership.agency,
                    actor=request.user,
                    verb="membership.saved",
                    obj=membership,
                    role=membership.role,
                    company=membership.company_id,
                )
        sync_admin_access(user=user)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyTenantAdmin):
    """The trail is written by services; nobody edits or deletes it."""

    list_display = ["at", "actor", "verb", "object_type", "object_id"]
    list_filter = ["verb", "object_type"]
