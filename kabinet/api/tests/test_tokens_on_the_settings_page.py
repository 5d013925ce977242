"""Tokens are created (with an expiry), listed and revoked on the settings page."""

from __future__ import annotations

from django.urls import reverse

from kabinet.core.models import ApiToken


def test_a_person_creates_a_token_that_expires_and_sees_its_key_once(login, marina, agency):
    page = login(marina)
    response = page.post(reverse("settings"), {"token_name": "BI", "token_expires": "30"})
    token = ApiToken.objects.get(user=marina)
    assert response.status_code == 200
    assert token.expires_at is not None and token.agency == agency
    key = response.context["new_key"]
    assert key.startswith(token.prefix) and key in response.content.decode()
    assert key not in page.get(reverse("settings")).content.decode()


def test_revoking_on_the_page_keeps_the_row_marked_revoked(login, marina, agency):
    page = login(marina)
    page.post(reverse("settings"), {"token_name": "BI", "token_expires": ""})
    token = ApiToken.objects.get(user=marina)
    response = page.post(reverse("settings"), {"revoke_token": str(token.pk)})
    token.refresh_from_db()
    assert response.status_code == 302 and token.revoked_at is not None
    assert 'name="revoke_token"' not in page.get(reverse("settings")).content.decode()


def test_another_persons_token_is_404_and_a_nonsense_id_a_400(login, marina, oleg, agency):
    login(oleg).post(reverse("settings"), {"token_name": "theirs"})
    theirs = ApiToken.objects.get(user=oleg)
    page = login(marina)
    assert page.post(reverse("settings"), {"revoke_token": str(theirs.pk)}).status_code == 404
    # Not an id at all: the form's own refusal (issue 13, point 4), not a lookup.
    assert page.post(reverse("settings"), {"revoke_token": "1 OR 1=1"}).status_code == 400
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_a_name_too_long_is_refused_with_the_name_kept(login, marina):
    response = login(marina).post(reverse("settings"), {"token_name": "x" * 101})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()
    assert "x" * 101 in response.content.decode()
