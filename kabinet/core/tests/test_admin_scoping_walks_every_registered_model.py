"""Admin is not a second, weaker way in: every registered model is walked as a head of agency A
probing agency B's rows through the changelist, change, delete, history, autocomplete and raw-id
lookups. A model registered without tenant scoping fails the first test."""

from __future__ import annotations

import json

import pytest
from django.contrib import admin
from django.contrib.admin.widgets import ForeignKeyRawIdWidget, RelatedFieldWidgetWrapper
from django.test import RequestFactory
from django.urls import reverse

from kabinet.clients.models import ProjectMember
from kabinet.core.admin import SuperuserOnlyAdmin, TenantAdmin
from kabinet.core.models import Agency, User

from .conftest import MARK


def rows_of(model, agency: Agency):
    """The test's own idea of agency B's rows of a model (independent of the code under test)."""
    if model is Agency:
        return Agency.objects.filter(pk=agency.pk)
    if model is User:
        return User.objects.filter(memberships__agency=agency).distinct()
    if any(f.name == "agency" for f in model._meta.get_fields()):
        return model._default_manager.filter(agency=agency)
    return None


def tenant_admins():
    return [(m, ma) for m, ma in admin.site._registry.items() if isinstance(ma, TenantAdmin)]


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def head_request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_every_registered_admin_is_tenant_scoped_or_for_superusers_only():
    loose = [
        m._meta.label
        for m, ma in admin.site._registry.items()
        if not isinstance(ma, (TenantAdmin, SuperuserOnlyAdmin))
    ]
    assert loose == [], f"register these with a TenantAdmin (or SuperuserOnlyAdmin): {loose}"


def test_every_tenant_admin_model_has_rows_of_the_other_agency_to_probe(stranger_world):
    missing = [
        m._meta.label
        for m, _ma in tenant_admins()
        if not rows_of(m, stranger_world["agency"]).exists()
    ]
    assert missing == [], f"add a row of agency B for these models to stranger_world: {missing}"


def test_head_sees_no_row_of_another_agency_in_any_changelist_or_filter(
    login, admin_head, stranger_world, project
):
    client = login(admin_head)
    b = stranger_world["agency"]
    for model, _ma in tenant_admins():
        for query in (
            "",
            f"?agency__id__exact={b.pk}",
            "?q=other.test",
            "?all=",
            "?_popup=1&_to_field=id",
        ):
            response = client.get(url(model, "changelist") + query)
            assert response.status_code in (200, 302), (model, query, response.status_code)
            if response.status_code == 200:
                html = response.content.decode()
                assert MARK not in html, f"{model._meta.label}{query} shows agency B"
        for obj in rows_of(model, b):
            assert (
                url(model, "change", obj.pk)
                not in client.get(url(model, "changelist")).content.decode()
            )


def test_head_cannot_open_change_delete_or_history_of_another_agencys_rows(
    login, admin_head, stranger_world
):
    """404 for a row of agency B; 403 only where the head may not do that to any row at all."""
    client = login(admin_head)
    request = head_request(admin_head)
    for model, ma in tenant_admins():
        refused = {
            "change": 404,
            "history": 404,
            "delete": 404 if ma.has_delete_permission(request) else 403,
        }
        for obj in rows_of(model, stranger_world["agency"]):
            for view, status in refused.items():
                response = client.get(url(model, view, obj.pk))
                assert response.status_code == status, (
                    model._meta.label,
                    view,
                    response.status_code,
                )
            changed = client.post(url(model, "change", obj.pk), {"name": "taken"}).status_code
            assert changed == (404 if ma.has_change_permission(request) else 403), (
                model._meta.label,
                changed,
            )
            assert (
                client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code
                == refused["delete"]
            )
            assert model._default_manager.filter(pk=obj.pk).exists(), (
                f"{model._meta.label} row deleted"
            )


def test_add_and_change_pages_offer_no_object_of_another_agency(
    login, admin_head, stranger_world, project
):
    client = login(admin_head)
    for model, ma in tenant_admins():
        pages = [url(model, "changelist")]
        if ma.has_add_permission(head_request(admin_head)):
            pages.append(url(model, "add"))
        own = rows_of(model, admin_head.membership.agency).first()
        if own is not None:
            pages.append(url(model, "change", own.pk))
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, (page, response.status_code)
            assert MARK not in response.content.decode(), f"{page} shows agency B"


def form_fields(ma, request):
    form = ma.get_form(request)
    yield from form.base_fields.items()
    for formset, _inline in ma.get_formsets_with_inlines(request):
        yield from formset.form.base_fields.items()


def test_every_choice_and_raw_id_label_is_limited_to_the_heads_agency(admin_head, stranger_world):
    request = head_request(admin_head)
    b = stranger_world["agency"]
    checked = 0
    for _model, ma in tenant_admins():
        for name, field in form_fields(ma, request):
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            theirs = rows_of(queryset.model, b)
            assert (
                theirs is not None and not queryset.filter(pk__in=theirs.values("pk")).exists()
            ), (ma, name)
            widget = (
                field.widget.widget
                if isinstance(field.widget, RelatedFieldWidgetWrapper)
                else field.widget
            )
            if isinstance(widget, ForeignKeyRawIdWidget):
                for obj in theirs:
                    assert widget.label_and_url_for_value(obj.pk) == ("", ""), (ma, name)
            checked += 1
    assert checked, "no choice field was checked"


def test_a_raw_id_field_on_a_tenant_admin_prints_no_label_of_another_agency(
    admin_head, stranger_world, project
):
    class TeamAdmin(TenantAdmin):
        raw_id_fields = ("project", "user")

    ma = TeamAdmin(ProjectMember, admin.site)
    form = ma.get_form(head_request(admin_head))
    widget = form.base_fields["project"].widget
    widget = widget.widget if isinstance(widget, RelatedFieldWidgetWrapper) else widget
    assert isinstance(widget, ForeignKeyRawIdWidget)
    assert widget.label_and_url_for_value(stranger_world["project"].pk) == ("", "")
    assert widget.label_and_url_for_value(project.pk)[0] == str(project)


def test_autocomplete_offers_no_row_of_another_agency(login, admin_head, stranger_world, project):
    from django.apps import apps

    client = login(admin_head)
    b = stranger_world["agency"]
    asked = 0
    for source in apps.get_models():
        for field in source._meta.get_fields():
            remote = getattr(field, "related_model", None)
            if not (field.is_relation and field.concrete and remote in admin.site._registry):
                continue
            response = client.get(
                "/admin/autocomplete/",
                {
                    "app_label": source._meta.app_label,
                    "model_name": source._meta.model_name,
                    "field_name": field.name,
                    "term": "",
                },
            )
            asked += 1
            if response.status_code in (403, 404):  # no autocomplete for that field at all
                continue
            assert response.status_code == 200, (source, field.name, response.status_code)
            ids = {r["id"] for r in json.loads(response.content)["results"]}
            theirs = {str(pk) for pk in rows_of(remote, b).values_list("pk", flat=True)}
            assert not ids & theirs, (
                f"{source._meta.label}.{field.name} offers agency B's {remote._meta.label}"
            )
            assert MARK not in response.content.decode()
    assert asked


def test_superuser_only_admins_refuse_a_head(login, admin_head):
    client = login(admin_head)
    for model, ma in admin.site._registry.items():
        if isinstance(ma, SuperuserOnlyAdmin):
            assert client.get(url(model, "changelist")).status_code == 403, model._meta.label
            assert client.get(url(model, "add")).status_code == 403, model._meta.label


@pytest.mark.parametrize("view", ["changelist", "add"])
def test_a_staff_flag_without_the_head_role_opens_nothing(login, sergey, view):
    sergey.is_staff = True
    sergey.save()
    client = login(sergey)
    for model in admin.site._registry:
        assert client.get(url(model, view)).status_code in (403, 302), model._meta.label
