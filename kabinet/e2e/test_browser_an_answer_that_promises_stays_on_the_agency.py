"""Issue 10 point 3: Sergey's answer promises a write-up, so the question stays with the agency
("we owe you", on his desk with the promised time) until he delivers it; then Marina sees it solved."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from kabinet.core.scoping import viewer_for
from kabinet.questions.services import ask

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def wednesday_morning():
    with time_machine.travel(
        datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=True
    ):
        yield


def test_a_promising_answer_keeps_the_question_on_sergeys_desk_until_delivered(
    wednesday_morning, browser, live_server, page, browser_login, project, sergey, marina
):
    thread = ask(
        viewer=viewer_for(marina),
        project=project,
        subject="Почему упал трафик?",
        body="Трафик из поиска упал на 20%.",
    )

    browser_login(page, sergey)
    page.goto(f"/questions/{thread.pk}/")
    page.fill(
        "#reply-form textarea[name=body]",
        "Посмотрели: дело в апдейте. Пришлю подробный разбор завтра до обеда.",
    )
    page.click("#reply-form button.primary")
    page.wait_for_selector("text=Ответ отправлен.")
    assert page.get_by_test_id("status").inner_text() == "За нами"
    assert page.get_by_test_id("owed-due").inner_text() == "обещано к 03.12 13:00"

    page.goto("/questions/")
    row = page.locator("tr", has_text="Почему упал трафик?")
    assert "За нами · обещано к 03.12 13:00" in row.get_by_test_id("owed").inner_text()

    # Marina, reading in English, sees that the agency owes her something.
    marina.language = "en"
    marina.save(update_fields=["language"])
    marina_context = browser.new_context(base_url=live_server.url, locale="en-US")
    marina_page = marina_context.new_page()
    browser_login(marina_page, marina)
    marina_page.goto(f"/questions/{thread.pk}/")
    assert marina_page.get_by_test_id("status").inner_text() == "We owe you"

    # Sergey confirms the promise and delivers it; the question is resolved.
    page.goto(f"/questions/{thread.pk}/")
    page.get_by_test_id("proposal").get_by_role("button", name="Подтвердить").click()
    page.get_by_text("Обещание записано:").wait_for()
    from kabinet.promises.models import Promise

    promise = Promise.objects.get()
    page.goto(f"/promises/{promise.pk}/")
    deliver = page.get_by_test_id("deliver")
    deliver.locator("textarea[name=message]").fill(
        "Марина, разбор во вложении: три причины и что уже исправлено."
    )
    deliver.get_by_test_id("keep").click()
    page.get_by_text("Передано и выполнено").wait_for()
    page.goto(f"/questions/{thread.pk}/")
    assert page.get_by_test_id("status").inner_text() == "Решён"

    marina_page.reload()
    assert marina_page.get_by_test_id("status").inner_text() == "Resolved"
    assert "promise delivered" in marina_page.locator("ol.thread").inner_text().lower()
    marina_context.close()
