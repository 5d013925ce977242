"""Marina asks, Sergey answers, Marina reopens, Sergey answers again, Marina marks it solved and
rates it — in a real browser; every step appears in the project's chronology."""

from __future__ import annotations

import pytest

from kabinet.questions.models import Thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBJECT = "Почему позиция сайта упала в выдаче?"


def log_out(page) -> None:
    page.click("form[action='/logout/'] button")
    page.wait_for_url("**/login/**")


def test_marina_and_sergey_close_the_loop_on_a_question(
    page, browser_login, marina, sergey, project
):
    # Marina asks from her project page.
    browser_login(page, marina)
    page.goto(f"/projects/{project.pk}/")
    page.click(".project-links >> text=Вопросы")
    page.click("text=Задать вопрос")
    page.fill("input[name=subject]", SUBJECT)
    page.fill("textarea[name=body]", "Неделю назад были в топ-3 по запросу «купить холодильник».")
    page.click("button.primary")
    page.wait_for_url("**/questions/*/")
    thread = Thread.objects.get(subject=SUBJECT)
    assert page.locator("[data-testid=status]").inner_text() == "Ждёт ответа агентства"
    log_out(page)

    # Sergey answers.
    browser_login(page, sergey)
    page.goto(f"/questions/{thread.pk}/")
    assert page.locator("[data-testid=sla-panel]").is_visible()
    page.fill(
        "#reply-form textarea[name=body]", "Позиции просели после апдейта, уже поправили мета-теги."
    )
    page.click("#reply-form button.primary")
    page.wait_for_selector("text=Ответ отправлен.")
    log_out(page)

    # Marina still has questions.
    browser_login(page, marina)
    page.goto(f"/questions/{thread.pk}/")
    page.fill("#reopen-form textarea[name=body]", "А когда вернёмся в топ-3?")
    page.click("#reopen")
    page.wait_for_selector("text=Вопрос снова у агентства.")
    log_out(page)

    # Sergey answers again.
    browser_login(page, sergey)
    page.goto(f"/questions/{thread.pk}/")
    page.fill("#reply-form textarea[name=body]", "Ожидаем возврат в течение двух недель.")
    page.click("#reply-form button.primary")
    page.wait_for_selector("text=Ответ отправлен.")
    log_out(page)

    # Marina marks it solved and rates the answer.
    browser_login(page, marina)
    page.goto(f"/questions/{thread.pk}/")
    page.click("#resolve")
    page.wait_for_selector("#rate-form")
    page.check("#rate-form input[name=rating][value='5']")
    page.fill("#rate-form textarea[name=comment]", "Спасибо, всё понятно.")
    page.click("#rate-form button.primary")
    page.wait_for_selector("text=Спасибо за оценку.")
    assert page.locator("[data-testid=status]").inner_text() == "Решён"

    # Every step is in the chronology of the project page.
    page.goto(f"/projects/{project.pk}/")
    chronology = page.locator("#chronology").inner_text()
    for title in (
        SUBJECT,
        f"Ответ: {SUBJECT}",
        f"Остались вопросы: {SUBJECT}",
        f"Вопрос решён: {SUBJECT}",
        f"Ответ оценён на 5/5: {SUBJECT}",
    ):
        assert title in chronology, title
    assert chronology.count(f"Ответ: {SUBJECT}") == 2
    thread.refresh_from_db()
    assert thread.status == "resolved" and thread.rating == 5
