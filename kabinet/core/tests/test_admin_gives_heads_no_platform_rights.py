"""A head manages their agency's people in admin but cannot make anyone a superuser, staff, a group
or permission holder, nor place anyone in another agency."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from kabinet.core.models import Agency, Membership, Role, User
from kabinet.core.testing import make_user


def user_post(user: User, membership: Membership | None = None, **extra) -> dict:
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "language": user.language,
        "is_active": "on",
        "notify_in_app": "on",
        "notify_by_email": "on",
        "memberships-TOTAL_FORMS": "1" if membership else "0",
        "memberships-INITIAL_FORMS": "1" if membership else "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1",
    }
    if membership:
        data.update(
            {
                "memberships-0-id": membership.pk,
                "memberships-0-user": user.pk,
                "memberships-0-role": membership.role,
                "memberships-0-title": membership.title,
                "memberships-0-company": membership.company_id or "",
            }
        )
    data.update(extra)
    return data


def test_posting_superuser_staff_groups_or_permissions_changes_none_of_them(
    login, admin_head, sergey
):
    group = Group.objects.create(name="Everything")
    permission = Permission.objects.first()
    response = login(admin_head).post(
        f"/admin/core/user/{sergey.pk}/change/",
        user_post(
            sergey,
            sergey.membership,
            full_name="Сергей С.",
            is_superuser="on",
            is_staff="on",
            groups=[group.pk],
            user_permissions=[permission.pk],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    sergey.refresh_from_db()
    assert sergey.full_name == "Сергей С."  # the form was saved …
    assert not sergey.is_superuser and not sergey.is_staff  # … without the platform flags
    assert not sergey.groups.exists() and not sergey.user_permissions.exists()


def test_the_heads_user_page_has_no_superuser_staff_group_or_permission_field(
    login, admin_head, sergey
):
    html = login(admin_head).get(f"/admin/core/user/{sergey.pk}/change/").content.decode()
    assert 'name="full_name"' in html
    for name in ("is_superuser", "is_staff", "groups", "user_permissions"):
        assert f'name="{name}"' not in html, name


def test_a_head_cannot_make_themselves_superuser(login, admin_head):
    login(admin_head).post(
        f"/admin/core/user/{admin_head.pk}/change/",
        user_post(admin_head, admin_head.membership, is_superuser="on"),
    )
    admin_head.refresh_from_db()
    assert not admin_head.is_superuser


def test_a_head_cannot_open_a_superuser_or_a_person_of_another_agency(
    login, admin_head, agency, stranger_agency
):
    root = User.objects.create_superuser("root@agency.test", "x", full_name="Root")
    Membership.objects.create(agency=agency, user=root, role=Role.HEAD)
    both = make_user(stranger_agency, "both@other.test", Role.HEAD)
    Membership.objects.create(agency=agency, user=both, role=Role.ACCOUNT_MANAGER)
    client = login(admin_head)
    for person in (root, both):
        assert client.get(f"/admin/core/user/{person.pk}/change/").status_code == 404
        assert client.get(f"/admin/core/user/{person.pk}/password/").status_code == 404
        assert (
            client.post(
                f"/admin/core/user/{person.pk}/password/",
                {"password1": "taken-over-1", "password2": "taken-over-1"},
            ).status_code
            == 404
        )
    root.refresh_from_db()
    assert root.check_password("x")


def test_a_user_added_by_a_head_belongs_to_the_heads_agency_only(
    login, admin_head, agency, stranger_agency
):
    response = login(admin_head).post(
        "/admin/core/user/add/",
        {
            "email": "new@agency.test",
            "full_name": "Новый",
            "password1": "kabinet-new-1",
            "password2": "kabinet-new-1",
            "usable_password": "true",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "1",
            "memberships-MAX_NUM_FORMS": "1",
            "memberships-0-role": Role.HEAD,
            "memberships-0-agency": stranger_agency.pk,
            "memberships-0-title": "",
            "is_superuser": "on",
            "is_staff": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    new = User.objects.get(email="new@agency.test")
    assert list(new.memberships.values_list("agency_id", "role")) == [(agency.pk, Role.HEAD)]
    assert not new.is_superuser
    assert new.is_staff  # a head of accounts gets the admin of their agency, through the service


def test_a_new_user_without_a_role_in_the_agency_is_refused_with_the_form_kept(login, admin_head):
    response = login(admin_head).post(
        "/admin/core/user/add/",
        {
            "email": "lost@agency.test",
            "full_name": "Без роли",
            "password1": "kabinet-new-1",
            "password2": "kabinet-new-1",
            "usable_password": "true",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "1",
            "memberships-MAX_NUM_FORMS": "1",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="lost@agency.test").exists()
    assert 'value="Без роли"' in response.content.decode()


def test_a_client_membership_cannot_point_at_another_agencys_company(
    login, admin_head, marina, stranger_world
):
    membership = marina.membership
    response = login(admin_head).post(
        f"/admin/core/user/{marina.pk}/change/",
        user_post(marina, membership, **{"memberships-0-company": stranger_world["company"].pk}),
    )
    assert response.status_code == 200  # refused, with the form shown again
    membership.refresh_from_db()
    assert membership.company.agency_id == membership.agency_id


def test_demoting_a_head_takes_the_admin_away(login, admin_head, agency):
    from kabinet.core.services import grant_admin_to_head

    other = make_user(agency, "second-head@agency.test", Role.HEAD)
    grant_admin_to_head(user=other)
    response = login(admin_head).post(
        f"/admin/core/user/{other.pk}/change/",
        user_post(other, other.membership, **{"memberships-0-role": Role.ACCOUNT_MANAGER}),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    other.refresh_from_db()
    assert not other.is_staff and not other.groups.exists()


def test_a_head_cannot_add_or_delete_an_agency(login, admin_head, agency):
    client = login(admin_head)
    assert client.get("/admin/core/agency/add/").status_code == 403
    assert (
        client.post(f"/admin/core/agency/{agency.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert Agency.objects.filter(pk=agency.pk).exists()
