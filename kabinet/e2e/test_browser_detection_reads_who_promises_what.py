"""Sergey answers Marina: Viktoria will send the spec on Monday if Marina approves the mock-ups by
Wednesday. Kabinet proposes exactly one promise — Viktoria's, carrying Marina's condition, due
Monday (not Wednesday) — even when Sergey repeats it; confirmed, it is Viktoria's promise.
In Russian and in English."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from kabinet.core.scoping import viewer_for
from kabinet.promises.models import Promise, PromiseProposal
from kabinet.questions.services import ask

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CASES = {
    "ru": {
        "answer": "Марина, добрый день! Если вы согласуете макеты до среды, "
        "Виктория пришлёт ТЗ в понедельник.",
        "again": "Напоминаю: Виктория пришлёт ТЗ в понедельник.",
        "owner": "Обещает: Виктория Лебедева",
        "condition": "При условии со стороны клиента: «Если вы согласуете макеты до среды»",
        "confirm": "Подтвердить",
        "recorded": "Обещание записано:",
    },
    "en": {
        "answer": "Hi Marina! If you approve the mock-ups by Wednesday, "
        "Viktoria will send the spec on Monday.",
        "again": "A reminder: Viktoria will send the spec on Monday.",
        "owner": "Promised by Виктория Лебедева",
        "condition": "On the client's condition: «If you approve the mock-ups by Wednesday»",
        "confirm": "Confirm",
        "recorded": "Promise recorded:",
    },
}


@pytest.fixture
def wednesday_morning():
    # The live server runs in a thread of this process, so travelling moves its clock too.
    with time_machine.travel(
        datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=True
    ):
        yield


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_teammates_promise_on_the_clients_condition_is_one_proposal_she_owns(
    lang, wednesday_morning, browser, live_server, browser_login, project, sergey, viktoria, marina
):
    case = CASES[lang]
    sergey.language = lang
    sergey.save(update_fields=["language"])
    thread = ask(
        viewer=viewer_for(marina),
        project=project,
        subject="Техническое задание",
        body="Когда будет ТЗ?",
    )
    context = browser.new_context(
        base_url=live_server.url, locale="ru-RU" if lang == "ru" else "en-US"
    )
    page = context.new_page()
    page.set_default_timeout(30000)  # a reply runs the detector inside the request here

    browser_login(page, sergey)
    for text in (case["answer"], case["again"]):
        page.goto(f"/questions/{thread.pk}/")
        page.fill("#reply-form textarea[name=body]", text)
        page.click("#reply-form button.primary")
        page.wait_for_url(f"**/questions/{thread.pk}/")

    page.goto(f"/projects/{project.pk}/promises/")
    proposals = page.get_by_test_id("proposal")
    assert proposals.count() == 1
    proposal = proposals.first
    assert proposal.get_by_test_id("proposal-owner").inner_text() == case["owner"]
    assert proposal.get_by_test_id("proposal-condition").inner_text() == case["condition"]
    assert proposal.get_by_test_id("proposal-due").inner_text() == "07.12 18:00"  # Monday
    proposal.get_by_role("button", name=case["confirm"]).click()
    page.get_by_text(case["recorded"]).wait_for()

    assert PromiseProposal.objects.count() == 1
    promise = Promise.objects.get()
    assert promise.promised_by == viktoria
    assert promise.condition.startswith(("Если вы согласуете", "If you approve"))
    page.goto(f"/promises/{promise.pk}/")
    assert "согласуете макеты" in page.get_by_test_id("promise-condition").inner_text() or (
        "approve the mock-ups" in page.get_by_test_id("promise-condition").inner_text()
    )
    context.close()
