"""Wrong passwords lock the account and the address out, with a clear page and a way back."""

from __future__ import annotations

import importlib

from django.core import mail
from django.test import Client
from django.urls import reverse

from kabinet.core.models import AuditEntry
from kabinet.core.testing import PASSWORD


def sign_in(client: Client, email: str, password: str):
    return client.post(reverse("login"), {"username": email, "password": password})


def verbs_for(user) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="core.user", object_id=str(user.pk))
        .order_by("at", "pk")
        .values_list("verb", flat=True)
    )


def test_forty_wrong_passwords_lock_the_account_out_with_a_clear_message(client, marina, settings):
    responses = [sign_in(client, "marina@client.test", f"guess-{n}") for n in range(40)]
    limit = settings.AXES_FAILURE_LIMIT
    assert [r.status_code for r in responses[: limit - 1]] == [200] * (limit - 1)
    assert {r.status_code for r in responses[limit - 1 :]} == {429}
    page = responses[-1].content.decode()
    assert "Вход приостановлен" in page
    assert reverse("password_reset") in page
    # even the right password does not get through while the pause lasts
    assert sign_in(client, "marina@client.test", PASSWORD).status_code == 429


def test_the_lock_out_page_speaks_english_to_a_visitor_who_chose_english(marina, settings):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "marina@client.test", f"guess-{n}")
    assert response.status_code == 429
    assert "Sign-in paused" in response.content.decode()
    assert "set a new password by e-mail" in response.content.decode()


def test_one_address_trying_many_accounts_is_locked_out_too(client, marina, sergey, settings):
    emails = ["marina@client.test", "sergey@agency.test", "nobody@nowhere.test"]
    responses = [
        sign_in(client, emails[n % 3], f"guess-{n}") for n in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert responses[-1].status_code == 429
    # another address may still try the account
    other = Client(REMOTE_ADDR="10.0.0.7")
    assert sign_in(other, "irina@agency.test", "guess").status_code == 200


def test_a_password_reset_by_e_mail_lifts_the_lock_out(client, marina, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "marina@client.test", f"guess-{n}")
    assert sign_in(client, "marina@client.test", PASSWORD).status_code == 429
    client.post(reverse("password_reset"), {"email": "marina@client.test"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    response = client.get(link.split("testserver", 1)[1], follow=True)
    client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "N3w-pass-phrase!", "new_password2": "N3w-pass-phrase!"},
    )
    assert (
        sign_in(
            Client(REMOTE_ADDR="10.0.0.8"), "marina@client.test", "N3w-pass-phrase!"
        ).status_code
        == 302
    )


def test_sign_ins_failures_and_lock_outs_are_in_the_audit_trail(client, marina, agency, settings):
    assert sign_in(client, "marina@client.test", "wrong").status_code == 200
    assert sign_in(client, "marina@client.test", PASSWORD).status_code == 302
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), "marina@client.test", f"guess-{n}")
    verbs = verbs_for(marina)
    assert verbs[:2] == ["sign_in_failed", "signed_in"]
    assert verbs.count("sign_in_failed") == 1 + settings.AXES_FAILURE_LIMIT
    assert verbs.count("locked_out") == 1
    entry = AuditEntry.objects.filter(verb="signed_in").get()
    assert (entry.agency, entry.actor, entry.data["address"]) == (agency, marina, "127.0.0.1")


def test_password_reset_e_mails_are_throttled_per_account_and_the_page_says_the_same(
    client, marina, settings
):
    settings.PASSWORD_RESET_EMAILS_PER_HOUR = 3
    responses = [
        client.post(reverse("password_reset"), {"email": "marina@client.test"}) for _ in range(6)
    ]
    unknown = client.post(reverse("password_reset"), {"email": "nobody@nowhere.test"})
    assert len(mail.outbox) == 3
    assert {(r.status_code, r.url) for r in [*responses, unknown]} == {
        (302, reverse("password_reset_done"))
    }
    assert verbs_for(marina).count("password_reset_sent") == 3
    assert verbs_for(marina).count("password_reset_throttled") == 3


def test_production_settings_hash_passwords_with_argon2_first():
    production = importlib.import_module("kabinet.settings")
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    from django.contrib.auth.hashers import Argon2PasswordHasher

    encoded = Argon2PasswordHasher().encode("correct horse", Argon2PasswordHasher().salt())
    assert encoded.startswith("argon2$argon2id$")
    assert Argon2PasswordHasher().verify("correct horse", encoded)
