"""Sergey opens the week's drafts, edits ТехноДом's letter and sends it; Marina finds it in her
chronology, with his words in it."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from kabinet.health.digests import services
from kabinet.timeline.models import Kind, Visibility
from kabinet.timeline.services import record_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sergey_edits_and_sends_the_digest_and_marina_reads_it(
    page, browser, live_server, browser_login, marina, project, sergey
):
    week = services.due_week(agency=project.agency)
    tuesday = datetime.combine(
        week + timedelta(days=1), time(11), tzinfo=ZoneInfo(project.agency.timezone)
    )
    record_event(
        project=project,
        kind=Kind.WORK_DONE,
        title="Исправили дубли каталога",
        author=sergey,
        occurred_at=tuesday,
    )
    record_event(
        project=project,
        kind=Kind.MESSAGE,
        title="Внутреннее: клиент тянет с оплатой",
        author=sergey,
        visibility=Visibility.INTERNAL,
        occurred_at=tuesday,
    )
    services.draft_due_digests()

    browser_login(page, sergey)
    page.click(".mainnav >> text=Сводки")
    page.click("[data-testid=digests] >> text=Итоги недели")
    body = page.locator("textarea[name=body]")
    assert "Исправили дубли каталога" in body.input_value()
    assert "тянет с оплатой" not in body.input_value()
    body.fill(body.input_value().replace("Здравствуйте!", "Марина, добрый день!"))
    page.click("[data-testid=send]")
    assert page.get_by_text("Отправлено: письмо у клиента").is_visible()

    context = browser.new_context(base_url=live_server.url, locale="ru-RU")
    client_page = context.new_page()
    try:
        browser_login(client_page, marina)
        client_page.goto(f"/projects/{project.pk}/")
        chronology = client_page.locator("#chronology")
        chronology.get_by_text("Итоги недели").first.click()
        article = client_page.locator("article")
        assert "Марина, добрый день!" in article.inner_text()
        assert "Исправили дубли каталога" in article.inner_text()
        assert article.locator(".kind").text_content() == "Еженедельная сводка"  # its own kind
    finally:
        context.close()
