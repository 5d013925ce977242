"""Sergey answers Marina with a promise, Kabinet proposes it, Sergey confirms, Marina sees it.
Marking the linked task done keeps nothing: Sergey is taken to deliver it, and only what he sends
makes it kept — Marina sees what she received, never the internal task."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine

from kabinet.core.scoping import viewer_for
from kabinet.lib.business_calendar import DEFAULT_TZ as MSK
from kabinet.promises.models import Promise, State
from kabinet.questions.services import ask

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUOTE = "Пришлю обновлённый план завтра до обеда"


@pytest.fixture
def wednesday_morning():
    # The live server runs in a thread of this process, so travelling moves its clock too.
    with time_machine.travel(datetime(2026, 12, 2, 10, 0, tzinfo=MSK), tick=True):
        yield


def test_sergeys_promise_is_proposed_confirmed_seen_by_marina_and_kept_with_its_task(
    wednesday_morning, browser, live_server, page, browser_login, project, sergey, marina
):
    thread = ask(
        viewer=viewer_for(marina),
        project=project,
        subject="План работ на декабрь",
        body="Когда будет обновлённый план?",
    )

    browser_login(page, sergey)
    page.goto(f"/questions/{thread.pk}/")
    page.fill("#reply-form textarea[name=body]", f"Марина, добрый день! {QUOTE}.")
    page.click("#reply-form button.primary")
    page.wait_for_url(f"**/questions/{thread.pk}/")

    page.goto(f"/projects/{project.pk}/")
    page.click(".project-links >> text=Обещания")
    proposal = page.get_by_test_id("proposal")
    assert QUOTE in proposal.inner_text()
    assert proposal.get_by_test_id("proposal-due").inner_text() == "03.12 13:00"
    proposal.get_by_role("button", name="Подтвердить").click()
    page.get_by_text("Обещание записано:").wait_for()

    promise = Promise.objects.get()
    assert promise.state == State.OPEN and promise.task is not None
    assert promise.origin == "answer"

    marina_context = browser.new_context(base_url=live_server.url, locale="ru-RU")
    marina_page = marina_context.new_page()
    browser_login(marina_page, marina)
    marina_page.goto(f"/projects/{project.pk}/")
    assert (
        "Обещание: Пришлю обновлённый план завтра до обеда до 03.12 13:00"
        in marina_page.locator("#chronology").inner_text()
    )
    marina_page.goto(f"/projects/{project.pk}/promises/")
    assert marina_page.get_by_test_id("promise-state").inner_text() == "открыто"

    task = promise.task
    task.title = "Сверстать план в шаблоне агентства"  # an internal working title
    task.save(update_fields=["title"])
    page.goto(f"/promises/{promise.pk}/")
    offer = page.get_by_test_id("task-promises")
    assert offer.locator("input[name=keep]").count() == 0
    offer.get_by_test_id("task-done").click()
    page.wait_for_url(f"**/promises/{promise.pk}/#deliver")

    promise.refresh_from_db()
    assert promise.state == State.OPEN and promise.task.status == "done"
    marina_page.reload()
    assert marina_page.get_by_test_id("promise-state").inner_text() == "открыто"
    marina_page.goto(f"/projects/{project.pk}/")
    assert "Обещание выполнено" not in marina_page.locator("#chronology").inner_text()

    deliver = page.get_by_test_id("deliver")
    deliver.locator("textarea[name=message]").fill(
        "Марина, обновлённый план на декабрь во вложении."
    )
    deliver.locator("input[type=file]").set_input_files(
        files=[
            {"name": "plan-december.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 plan"}
        ]
    )
    deliver.get_by_test_id("keep").click()
    page.get_by_text("Передано и выполнено").wait_for()

    promise.refresh_from_db()
    assert promise.state == State.KEPT and promise.evidence_event is not None
    marina_page.reload()
    chronology = marina_page.locator("#chronology").inner_text()
    assert "Обещание выполнено: Пришлю обновлённый план завтра до обеда" in chronology
    assert "Марина, обновлённый план на декабрь во вложении." in chronology
    assert "plan-december.pdf" in chronology
    assert "Сверстать план" not in chronology
    marina_page.goto(f"/projects/{project.pk}/promises/")
    assert marina_page.get_by_test_id("promise-state").inner_text() == "выполнено"
    marina_page.goto(f"/promises/{promise.pk}/")
    assert "Сверстать план" not in marina_page.content()
    marina_page.get_by_test_id("promise-evidence").wait_for()
    marina_context.close()
