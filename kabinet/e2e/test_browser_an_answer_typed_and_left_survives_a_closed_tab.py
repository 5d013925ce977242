"""A long text typed and left is saved as a draft while it is typed, and survives a closed tab
(issue 15, point 6) — in a real browser, end to end: Sergey types a long answer to Marina's
question (several paragraphs, in Russian), the page says the draft is saved, he closes the tab,
logs in again in a new one and the answer is back in the field exactly. A second tab of his that
went on with the draft is what the next tab restores (one draft per person and form: the latest
text typed wins). Sending the answer drops the draft: a new tab shows an empty field. The same for
a report being composed on the project page (its title and text)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import expect

from kabinet.core.models import Draft
from kabinet.questions.tests.helpers import ask
from kabinet.timeline.models import Event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Generous: the autosave waits two seconds after the last key, on a loaded 2-core machine.
SLOW = 30_000

SAVED = re.compile(r"^Черновик сохранён в \d\d:\d\d\.$")
RESTORED = "Восстановлено из вашего черновика."

# Pasted from his notes: the first paragraphs arrive at once.
ANSWER_NOTES = (
    "Марина, добрый день!\n"
    "\n"
    "Трафик из поиска упал на 20% после апдейта Яндекса 14 ноября: просели страницы каталога "
    "«Холодильники» и «Морозильные камеры», у них дублировались мета-теги title и description.\n"
    "\n"
    "Что уже сделали:\n"
    "- переписали мета-теги для 340 карточек товаров;\n"
    "- закрыли от индексации страницы фильтров (?sort=, ?page=);\n"
    "- отправили обновлённую карту сайта в Вебмастер."
)
# Then he types the rest key by key.
ANSWER_TYPED = (
    "\n\nЧего ждём: возврат позиций в топ-10 за 2-3 недели, "
    "отчёт пришлём 1 декабря. Если будут вопросы, пишите!"
)
ANSWER = ANSWER_NOTES + ANSWER_TYPED
# What his second tab adds to the draft before he closes everything.
POSTSCRIPT = "\n\nP.S. Ёлочные запросы (новогодние) тоже проверим."

REPORT_TITLE = "Отчёт за ноябрь: рост 12%"
REPORT_NOTES = (
    "## Итоги месяца\n"
    "\n"
    "Органический трафик вырос на 12% (с 41 300 до 46 250 визитов), "
    "конверсия в заявку — 2,4%.\n"
    "\n"
    "## Что сделано\n"
    "\n"
    "1. Переписаны тексты 18 категорий.\n"
    "2. Исправлены 404-е ошибки на старых URL (редиректы 301)."
)
REPORT_TYPED = "\n\n## План на декабрь\n\nСезонные страницы, ссылки с 5 площадок, аудит скорости."
REPORT = REPORT_NOTES + REPORT_TYPED


def new_tab(browser, live_server, browser_login, user):
    """A fresh browser context (nothing kept from the closed tab but the server's state)."""
    context = browser.new_context(
        base_url=live_server.url, locale="ru-RU", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(SLOW)
    browser_login(page, user)
    return context, page


def draft_saved(path: str, **fields: str):
    """The response to the autosave of exactly these field values (newlines as the browser sends
    them): not an earlier save of half the text."""

    def matches(response) -> bool:
        request = response.request
        if request.method != "POST" or not response.url.endswith(path) or not response.ok:
            return False
        sent = parse_qs(request.post_data or "", keep_blank_values=True)
        return all(
            [v.replace("\r\n", "\n") for v in sent.get(name, [])] == [value]
            for name, value in fields.items()
        )

    return matches


def type_and_wait_for_the_draft(page, field, notes: str, typed: str, path: str, **expected):
    """Paste `notes`, type `typed` key by key, and wait until the server kept all of it and the
    page says so."""
    with page.expect_response(draft_saved(path, **expected), timeout=SLOW):
        field.fill(notes)
        field.press_sequentially(typed)
    expect(page.get_by_test_id("draft-status")).to_have_text(SAVED, timeout=SLOW)


def test_an_answer_typed_and_left_is_back_in_a_new_tab_until_it_is_sent(
    browser, live_server, browser_login, marina, sergey, project
):
    thread = ask(marina, project, subject="Почему упал трафик?")
    url = f"/questions/{thread.pk}/"
    draft_path = f"/drafts/answer/{thread.pk}/"
    body = "#reply-form textarea[name=body]"

    # Sergey types a long answer; the page says the draft is saved; he closes the tab.
    first, page = new_tab(browser, live_server, browser_login, sergey)
    try:
        page.goto(url)
        expect(page.locator(body)).to_have_value("", timeout=SLOW)
        type_and_wait_for_the_draft(
            page, page.locator(body), ANSWER_NOTES, ANSWER_TYPED, draft_path, body=ANSWER
        )
    finally:
        first.close()

    # A new tab, a new login: the answer is back exactly, and the page says where it came from.
    second, page = new_tab(browser, live_server, browser_login, sergey)
    try:
        page.goto(url)
        expect(page.locator(body)).to_have_value(ANSWER, timeout=SLOW)
        expect(page.get_by_test_id("draft-status")).to_have_text(RESTORED, timeout=SLOW)

        # Another tab of his opens the thread too, and goes on with the draft.
        other = second.new_page()
        other.set_default_timeout(SLOW)
        other.goto(url)
        field = other.locator(body)
        expect(field).to_have_value(ANSWER, timeout=SLOW)
        field.focus()
        field.press("Control+End")
        with other.expect_response(draft_saved(draft_path, body=ANSWER + POSTSCRIPT), timeout=SLOW):
            field.press_sequentially(POSTSCRIPT)
        expect(other.get_by_test_id("draft-status")).to_have_text(SAVED, timeout=SLOW)
    finally:
        second.close()

    # The next tab restores the latest text typed, the second tab's, and he sends it.
    third, page = new_tab(browser, live_server, browser_login, sergey)
    try:
        page.goto(url)
        expect(page.locator(body)).to_have_value(ANSWER + POSTSCRIPT, timeout=SLOW)
        page.click("#reply-form button.primary")
        expect(page.get_by_text("Ответ отправлен.")).to_be_visible(timeout=SLOW)
        expect(page.get_by_test_id("message").last).to_contain_text("Ёлочные запросы", timeout=SLOW)
    finally:
        third.close()

    # Sent, the draft is gone: a new tab shows an empty field.
    fourth, page = new_tab(browser, live_server, browser_login, sergey)
    try:
        page.goto(url)
        expect(page.locator(body)).to_have_value("", timeout=SLOW)
        expect(page.get_by_test_id("draft-status")).to_have_text("", timeout=SLOW)
        # The question and one answer.
        expect(page.get_by_test_id("message")).to_have_count(2, timeout=SLOW)
    finally:
        fourth.close()
    assert not Draft.objects.filter(user=sergey).exclude(fields={}).exists()


def test_a_report_being_composed_is_back_in_a_new_tab_until_it_is_published(
    browser, live_server, browser_login, sergey, project
):
    url = f"/projects/{project.pk}/"
    draft_path = f"/drafts/composer/{project.pk}/"
    composer = "details.composer"
    title = f"{composer} input[name=title]"
    body = f"{composer} textarea[name=body]"

    first, page = new_tab(browser, live_server, browser_login, sergey)
    try:
        page.goto(url)
        page.click(f"{composer} summary")
        page.fill(title, REPORT_TITLE)
        type_and_wait_for_the_draft(
            page,
            page.locator(body),
            REPORT_NOTES,
            REPORT_TYPED,
            draft_path,
            title=REPORT_TITLE,
            body=REPORT,
        )
    finally:
        first.close()

    # The composer opens by itself with the title and the text as they were.
    second, page = new_tab(browser, live_server, browser_login, sergey)
    try:
        page.goto(url)
        expect(page.locator(body)).to_be_visible(timeout=SLOW)
        expect(page.locator(title)).to_have_value(REPORT_TITLE, timeout=SLOW)
        expect(page.locator(body)).to_have_value(REPORT, timeout=SLOW)
        expect(page.get_by_test_id("draft-status")).to_have_text(RESTORED, timeout=SLOW)
        page.select_option(f"{composer} select[name=kind]", "report")
        page.fill(f"{composer} input[name=period_start]", "2026-11-01")
        page.fill(f"{composer} input[name=period_end]", "2026-11-30")
        page.click(f"{composer} button.primary")
        expect(page.get_by_text(f"Опубликовано: {REPORT_TITLE}")).to_be_visible(timeout=SLOW)
    finally:
        second.close()
    assert Event.objects.get(title=REPORT_TITLE).body.replace("\r\n", "\n") == REPORT

    # Published, the draft is gone: the composer is closed and empty in a new tab.
    third, page = new_tab(browser, live_server, browser_login, sergey)
    try:
        page.goto(url)
        expect(page.locator(f"{composer}[open]")).to_have_count(0, timeout=SLOW)
        page.click(f"{composer} summary")
        expect(page.locator(title)).to_have_value("", timeout=SLOW)
        expect(page.locator(body)).to_have_value("", timeout=SLOW)
    finally:
        third.close()
