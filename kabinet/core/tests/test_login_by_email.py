from __future__ import annotations

from django.core import mail
from django.urls import reverse

from kabinet.core.testing import PASSWORD


def test_user_logs_in_with_email_and_lands_on_her_home(client, marina, project):
    response = client.post(
        reverse("login"), {"username": "Marina@Client.test", "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert [url for url, _status in response.redirect_chain] == [
        reverse("home"),
        reverse("health:home"),
        reverse("health:project_home", args=[project.pk]),
    ]


def test_wrong_password_shows_a_clear_message_and_keeps_the_email(client, marina):
    response = client.post(reverse("login"), {"username": "marina@client.test", "password": "nope"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="marina@client.test"' in html
    assert response.context["form"].non_field_errors()


def test_logout_ends_the_session(login, marina):
    client = login(marina)
    client.post(reverse("logout"))
    assert client.get(reverse("projects")).status_code == 302


def test_password_reset_sends_a_working_link(client, marina):
    response = client.post(reverse("password_reset"), {"email": "marina@client.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    assert response.context["validlink"] is True
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "N3w-pass-phrase!", "new_password2": "N3w-pass-phrase!"},
    )
    assert response.status_code == 302
    marina.refresh_from_db()
    assert marina.check_password("N3w-pass-phrase!")


def test_password_reset_for_an_unknown_email_reveals_nothing(client, marina):
    response = client.post(reverse("password_reset"), {"email": "nobody@nowhere.test"})
    assert response.status_code == 302
    assert mail.outbox == []
