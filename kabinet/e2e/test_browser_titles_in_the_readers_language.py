"""Issue 10 point 10: titles Kabinet writes itself are shown in the reader's language — the same
chronology reads «Ответ: …» for Marina in Russian and «Answer: …» for her colleague in English."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from kabinet.core.scoping import viewer_for
from kabinet.core.testing import Role, make_user
from kabinet.promises.services import create_promise
from kabinet.questions.services import ask, reply

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_same_chronology_in_russian_for_marina_and_in_english_for_john(
    browser, live_server, page, browser_login, agency, company, marina, sergey, project
):
    john = make_user(
        agency,
        "john@client.test",
        Role.CLIENT,
        company=company,
        full_name="John Smith",
        language="en",
    )
    thread = ask(
        viewer=viewer_for(marina),
        project=project,
        subject="Почему упал трафик?",
        body="Трафик упал на 20%.",
    )
    reply(viewer=viewer_for(sergey), thread=thread, body="Сезонность, подробности в отчёте.")
    due = (
        (timezone.now() + timedelta(days=3))
        .astimezone(ZoneInfo(agency.timezone))
        .replace(hour=13, minute=0)
    )
    create_promise(viewer=viewer_for(sergey), project=project, what="Отчёт за ноябрь", due_at=due)
    due_text = (
        due.strftime("%d.%m %H:%M")
        if due.year == datetime.now().year
        else due.strftime("%d.%m.%Y %H:%M")
    )

    browser_login(page, marina)
    page.goto(f"/projects/{project.pk}/")
    russian = page.locator("#chronology").inner_text()
    assert "Ответ: Почему упал трафик?" in russian
    assert f"Обещание: Отчёт за ноябрь до {due_text}" in russian
    assert "Answer:" not in russian and "Promise:" not in russian

    english_context = browser.new_context(base_url=live_server.url, locale="en-US")
    english = english_context.new_page()
    browser_login(english, john)
    english.goto(f"/projects/{project.pk}/")
    text = english.locator("#chronology").inner_text()
    assert "Answer: Почему упал трафик?" in text
    assert f"Promise: Отчёт за ноябрь by {due_text}" in text
    assert "Ответ:" not in text and "Обещание:" not in text
    english_context.close()
