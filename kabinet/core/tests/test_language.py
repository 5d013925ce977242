from __future__ import annotations

from django.urls import reverse


def test_russian_is_the_default_language(client, db):
    html = client.get(reverse("login")).content.decode()
    assert 'lang="ru"' in html
    assert "Войти" in html


def test_anonymous_visitor_can_switch_to_english_by_cookie(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    html = client.get(reverse("login")).content.decode()
    assert 'lang="en"' in html and "Log in" in html


def test_language_choice_is_remembered_on_the_user_across_sessions(login, marina, project):
    login(marina).post(reverse("set_language"), {"language": "en", "next": "/projects/"})
    marina.refresh_from_db()
    assert marina.language == "en"
    fresh = login(marina)  # a new session, no cookie
    html = fresh.get(reverse("project", args=[project.pk])).content.decode()
    assert 'lang="en"' in html and "Chronology" in html


def test_urls_carry_no_language_prefix(login, marina):
    assert reverse("projects") == "/projects/"
    assert login(marina).get("/en/projects/").status_code == 404


def test_language_switch_refuses_to_redirect_to_another_site(client, db):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.url == "/"
