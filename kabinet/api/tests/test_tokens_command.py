"""`kabinet tokens create|list|revoke`: the key is printed once, alone on standard output."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from kabinet.core.models import ApiToken, Membership, Role


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("tokens", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_prints_only_the_key_and_it_works(marina, agency, project):
    out, err = run("create", marina.email, "BI export", "--expires", "30")
    key = out.strip()
    token = ApiToken.objects.get(user=marina)
    assert key.startswith("kab_") and "\n" not in key and key not in err
    assert token.name == "BI export" and token.expires_at is not None
    response = Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/projects")
    assert response.status_code == 200


def test_list_shows_tokens_but_never_keys_and_revoke_kills_one(marina, agency):
    key = run("create", marina.email, "BI")[0].strip()
    token = ApiToken.objects.get(user=marina)
    listed = run("list", marina.email)[0]
    assert f"{token.pk}\t{token.prefix}" in listed and "active" in listed and key not in listed
    run("revoke", str(token.pk))
    assert "revoked" in run("list", marina.email)[0]
    assert Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/projects").status_code == 401


def test_a_user_of_two_agencies_must_name_one(sergey, agency, stranger_agency):
    Membership.objects.create(agency=stranger_agency, user=sergey, role=Role.HEAD)
    with pytest.raises(CommandError, match="--agency"):
        run("create", sergey.email, "x")
    run("create", sergey.email, "x", "--agency", stranger_agency.slug)
    assert ApiToken.objects.get(user=sergey).agency == stranger_agency


def test_bad_input_is_a_clear_refusal(marina, agency):
    with pytest.raises(CommandError, match="No user"):
        run("create", "nobody@example.test", "x")
    with pytest.raises(CommandError, match="3650"):
        run("create", marina.email, "x", "--expires", "0")
    with pytest.raises(CommandError, match="not a member"):
        run("create", marina.email, "x", "--agency", "nope")
    with pytest.raises(CommandError, match="No token"):
        run("revoke", "999999")
    assert not ApiToken.objects.exists()
