"""The admin site, and the one place that keeps it to a head's own agency.

Django admin is for two kinds of people: the platform's superusers (every agency) and each
agency's head of accounts (their agency only). It must never be a second, weaker way into another
agency, so:

- every model is registered with a `TenantAdmin` (rows, form choices, raw-id labels, list filters
  and autocomplete all go through `scoping.in_agency`, new rows get the head's agency) or with a
  `SuperuserOnlyAdmin`; `KabinetAdminSite.register` refuses anything else from Kabinet and turns
  third-party registrations (auth groups, task results) into superuser-only ones;
- a row outside the head's agency is a 404, like everywhere else in Kabinet;
- a person with the staff flag but no head role opens nothing.

`kabinet/core/tests/test_admin_scoping_walks_every_registered_model.py` walks the registry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.contrib.admin.widgets import ForeignKeyRawIdWidget, ManyToManyRawIdWidget
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.http import Http404
from django.urls import path

from kabinet.core.scoping import in_agency

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from kabinet.core.models import Agency


def is_platform(request) -> bool:
    """A superuser administers the platform: every agency."""
    return request.user.is_active and request.user.is_superuser


def head_agency(request) -> Agency | None:
    """The agency whose head is making the request, or None (not a head: no tenant admin at all)."""
    from kabinet.core.models import Role

    user = request.user
    if not user.is_active or not user.is_staff:
        return None
    membership = user.membership
    return membership.agency if membership is not None and membership.role == Role.HEAD else None


def acting_viewer(request, agency: Agency):
    """The Viewer an admin edit is made as: the head themselves, or a superuser acting as the head
    of the row's agency — so admin edits go through the same services as the product pages."""
    from kabinet.core.models import Role
    from kabinet.core.scoping import Viewer, viewer_for

    if is_platform(request):
        return Viewer(user=request.user, agency=agency, role=Role.HEAD, company_id=None)
    viewer = viewer_for(request.user)
    if viewer is None or not viewer.is_head or viewer.agency.pk != agency.pk:
        raise Http404
    return viewer


def has_agency_field(model) -> bool:
    try:
        return model._meta.get_field("agency").is_relation
    except FieldDoesNotExist:
        return False


class ScopedRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id box that prints the label of an object only when the head may see it."""

    def __init__(self, rel, admin_site, *, queryset: QuerySet, **kwargs) -> None:
        super().__init__(rel, admin_site, **kwargs)
        self.queryset = queryset

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        try:
            self.queryset.get(**{key: value})
        except Exception:  # not theirs, or not a valid id: show nothing
            return "", ""
        return super().label_and_url_for_value(value)


class TenantScoped:
    """Shared by TenantAdmin and TenantInline: rows, choices, raw ids and `agency` for heads."""

    def tenant(self, request) -> Agency | None:
        return head_agency(request)

    def may_use(self, request) -> bool:
        return is_platform(request) or self.tenant(request) is not None

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if is_platform(request):
            return qs
        agency = self.tenant(request)
        return in_agency(qs, agency) if agency is not None else qs.none()

    def get_field_queryset(self, db, db_field, request):
        qs = super().get_field_queryset(db, db_field, request)
        if is_platform(request):
            return qs
        if qs is None:
            qs = db_field.remote_field.model._default_manager.using(db).all()
        agency = self.tenant(request)
        return in_agency(qs, agency) if agency is not None else qs.none()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if (
            "widget" not in kwargs
            and db_field.name in self.raw_id_fields
            and not is_platform(request)
        ):
            queryset = self.get_field_queryset(kwargs.get("using"), db_field, request)
            kwargs["widget"] = ScopedRawIdWidget(
                db_field.remote_field, self.admin_site, queryset=queryset, using=kwargs.get("using")
            )
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.raw_id_fields:
            kwargs["widget"] = ManyToManyRawIdWidget(
                db_field.remote_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if not is_platform(request) and has_agency_field(self.model) and "agency" not in exclude:
            exclude.append("agency")  # a head's rows are always in their agency
        return exclude

    def has_view_permission(self, request, obj=None) -> bool:
        return self.may_use(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args) -> bool:
        return self.may_use(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.may_use(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.may_use(request) and super().has_delete_permission(request, obj)


class TenantAdmin(TenantScoped, admin.ModelAdmin):
    """Every Kabinet model admin: a head sees, chooses, filters and writes only their agency."""

    def has_module_permission(self, request) -> bool:
        return self.may_use(request) and super().has_module_permission(request)

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if is_platform(request):
            return filters
        scoped = []
        for entry in filters:
            if isinstance(entry, str):
                if entry == "agency" or entry.startswith("agency__"):
                    continue  # one agency: nothing to filter by
                if self._is_relation_path(entry):
                    entry = (entry, RelatedOnlyFieldListFilter)  # choices from the scoped rows only
            scoped.append(entry)
        return scoped

    def _is_relation_path(self, path_: str) -> bool:
        model = self.model
        field = None
        for part in path_.split("__"):
            try:
                field = model._meta.get_field(part)
            except FieldDoesNotExist:
                return False
            model = field.related_model or model
        return bool(field is not None and field.is_relation)

    def get_view_on_site_url(self, obj=None):
        # Straight to the product page, not through admin's /r/ redirect (platform-only below).
        if obj is not None and self.view_on_site and hasattr(obj, "get_absolute_url"):
            return obj.get_absolute_url()
        return super().get_view_on_site_url(obj)

    def save_model(self, request, obj, form, change) -> None:
        agency = None if is_platform(request) else self.tenant(request)
        if agency is not None and has_agency_field(self.model):
            obj.agency = agency
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change) -> None:
        agency = None if is_platform(request) else self.tenant(request)
        parent_agency_id = getattr(form.instance, "agency_id", None)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for obj in instances:
            if has_agency_field(type(obj)):
                if agency is not None:
                    obj.agency = agency
                elif obj.agency_id is None and parent_agency_id is not None:
                    obj.agency_id = parent_agency_id
            obj.save()
        formset.save_m2m()

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404  # what the viewer may not see does not exist, as on every Kabinet page


class ReadOnlyTenantAdmin(TenantAdmin):
    """Rows written only by services (audit trail, KPI values): a head looks, never edits."""

    def has_add_permission(self, request, *args) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class TenantInline(TenantScoped, admin.TabularInline):
    """An inline on a TenantAdmin page, scoped the same way."""


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """Platform tables (auth groups, background task results): superusers only."""

    def has_module_permission(self, request) -> bool:
        return is_platform(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_platform(request)

    def has_add_permission(self, request, *args) -> bool:
        return is_platform(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_platform(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_platform(request)


class KabinetAdminSite(admin.AdminSite):
    site_header = "Kabinet"
    site_title = "Kabinet"

    def register(self, model_or_iterable, admin_class=None, **options) -> None:
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, (TenantAdmin, SuperuserOnlyAdmin)):
            if admin_class.__module__.startswith("kabinet."):
                raise ImproperlyConfigured(
                    f"{admin_class.__qualname__}: Kabinet admins derive from TenantAdmin or SuperuserOnlyAdmin."
                )
            admin_class = type(
                f"SuperuserOnly{admin_class.__name__}", (SuperuserOnlyAdmin, admin_class), {}
            )
        super().register(model_or_iterable, admin_class, **options)

    def get_urls(self):
        urls = super().get_urls()
        for n, pattern in enumerate(urls):
            if getattr(pattern, "name", None) == "view_on_site":
                # Looks up any object of any agency by content type: platform only.
                urls[n] = path(
                    str(pattern.pattern),
                    self.admin_view(self._view_on_site(pattern.callback)),
                    name="view_on_site",
                )
        return urls

    @staticmethod
    def _view_on_site(view):
        def platform_only(request, *args, **kwargs):
            if not is_platform(request):
                raise Http404
            return view(request, *args, **kwargs)

        return platform_only
