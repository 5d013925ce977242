"""Issue 10, point 9: a playbook start is one notification per person, notifications close together are one
e-mail, and the e-mail names client and project, what is needed and by when, with a link that opens."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from kabinet.core.models import Notification
from kabinet.core.scoping import viewer_for
from kabinet.core.testing import flush_emails
from kabinet.work.services import save_playbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ITEMS = [
    {"title": f"Шаг онбординга {n}", "offset_business_days": n, "role": "specialist"}
    for n in range(8)
]


@pytest.mark.parametrize("language", ["ru", "en"])
def test_a_playbook_started_in_the_browser_is_one_email_with_an_absolute_link(
    page, browser_login, live_server, settings, agency, head, viktoria, project, language
):
    settings.SITE_URL = live_server.url
    viktoria.language = language
    viktoria.save()
    save_playbook(
        viewer=viewer_for(head),
        name="SEO onboarding",
        language="ru",
        service="seo",
        items=[dict(i) for i in ITEMS],
    )

    browser_login(page, head)
    page.goto(f"/projects/{project.pk}/tasks/")
    page.select_option("select[name=playbook]", label="SEO onboarding")
    page.fill("input[name=start]", "2027-04-30")
    page.click("form[action$='/start-playbook/'] button.primary")
    page.wait_for_url(f"**/projects/{project.pk}/tasks/")

    assert Notification.objects.filter(user=viktoria).count() == 1  # eight tasks, one notification
    assert flush_emails() == 1
    (email,) = mail.outbox
    assert email.to == [viktoria.email]
    needed = {"ru": "Что нужно:", "en": "What is needed:"}[language]
    started = {
        "ru": "Запущен «SEO onboarding»: 8 задач для вас",
        "en": "“SEO onboarding” started: 8 tasks for you",
    }
    assert started[language] in email.subject and "ТехноДом" in email.subject
    assert "ТехноДом — SEO technodom" in email.body and needed in email.body
    assert "Шаг онбординга 0 (30.04.2027" in email.body
    link = re.search(rf"{re.escape(live_server.url)}/\S+", email.body).group(0)
    assert link.endswith(f"/projects/{project.pk}/tasks/")

    page.context.clear_cookies()
    browser_login(page, viktoria)
    page.goto(link)
    assert "Шаг онбординга 7" in page.locator("main").inner_text()
