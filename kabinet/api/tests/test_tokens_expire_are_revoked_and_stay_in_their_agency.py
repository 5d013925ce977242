"""Tokens are not forever: they expire, can be revoked, die with a new password or a deactivated
user, and act in the agency they were created in, never in the user's "first" one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kabinet.api import tokens
from kabinet.core.models import ApiToken, Membership, Role
from kabinet.core.testing import make_company, make_project


def bearer(client_cls, key):
    return client_cls(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_only_a_hash_of_the_key_is_stored(agency, marina):
    token, key = tokens.create_token(user=marina, agency=agency, name="bi")
    row = ApiToken.objects.get(pk=token.pk)
    assert key.startswith("kab_") and key not in (row.key_hash, row.prefix)
    assert len(row.key_hash) == 64 and row.prefix == key[:12]


def test_an_expired_token_is_refused(client, agency, marina, project, api):
    token, key = tokens.create_token(user=marina, agency=agency, name="bi", expires_in_days=1)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get("/api/v1/projects", **auth).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/projects", **auth).status_code == 401


def test_a_revoked_token_is_refused_and_revoking_twice_changes_nothing(client, agency, marina):
    token, key = tokens.create_token(user=marina, agency=agency, name="bi")
    assert tokens.revoke_token(token=token, user=marina) is True
    assert tokens.revoke_token(token=token, user=marina) is False
    assert client.get("/api/v1/projects", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_someone_elses_token_cannot_be_revoked(agency, marina, oleg):
    token, _key = tokens.create_token(user=marina, agency=agency, name="bi")
    with pytest.raises(Exception) as raised:
        tokens.revoke_token(token=token, user=oleg)
    assert raised.type.__name__ == "PermissionDenied"
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_new_password_revokes_every_token(client, agency, marina):
    _token, key = tokens.create_token(user=marina, agency=agency, name="bi")
    marina.set_password("a-new-long-password-2026")
    marina.save()
    assert client.get("/api/v1/projects", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert ApiToken.objects.filter(user=marina, revoked_at__isnull=True).count() == 0


def test_saving_the_user_without_a_new_password_keeps_the_tokens(client, agency, marina):
    _token, key = tokens.create_token(user=marina, agency=agency, name="bi")
    marina.full_name = "Марина Б."
    marina.save()
    assert client.get("/api/v1/projects", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def test_deactivating_the_user_revokes_every_token(agency, marina):
    tokens.create_token(user=marina, agency=agency, name="bi")
    marina.is_active = False
    marina.save()
    assert ApiToken.objects.get(user=marina).revoked_at is not None


def test_a_token_acts_in_the_agency_it_was_created_in(
    client, agency, sergey, project, stranger_agency
):
    # Sergey also works for another agency, where that membership was made first.
    Membership.objects.filter(user=sergey).delete()
    far_company = make_company(stranger_agency, "Чужая компания")
    Membership.objects.create(agency=stranger_agency, user=sergey, role=Role.HEAD)
    Membership.objects.create(agency=agency, user=sergey, role=Role.ACCOUNT_MANAGER)
    far = make_project(far_company, "SEO far")
    _token, key = tokens.create_token(user=sergey, agency=agency, name="home")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    names = [p["name"] for p in client.get("/api/v1/projects", **auth).json()["items"]]
    assert names == [project.name]
    assert client.get(f"/api/v1/projects/{far.pk}", **auth).status_code == 404


def test_a_token_stops_working_when_its_owner_leaves_the_agency(client, agency, marina):
    _token, key = tokens.create_token(user=marina, agency=agency, name="bi")
    Membership.objects.filter(user=marina, agency=agency).delete()
    assert client.get("/api/v1/projects", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_a_token_cannot_be_made_for_an_agency_the_user_is_not_in(marina, stranger_agency):
    with pytest.raises(ValidationError) as raised:
        tokens.create_token(user=marina, agency=stranger_agency, name="bi")
    assert "agency" in raised.value.message_dict


def test_an_expiry_outside_one_day_to_ten_years_is_refused(agency, marina):
    for days in (0, -1, 3651):
        with pytest.raises(ValidationError) as raised:
            tokens.create_token(user=marina, agency=agency, name="bi", expires_in_days=days)
        assert "expires" in raised.value.message_dict


def test_last_use_is_written_at_most_once_a_minute(client, agency, marina, settings):
    token, key = tokens.create_token(user=marina, agency=agency, name="bi")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client.get("/api/v1/projects", **auth)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get("/api/v1/projects", **auth)
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(seconds=61))
    client.get("/api/v1/projects", **auth)
    token.refresh_from_db()
    assert token.last_used_at > first
