"""The at-risk page with the demo's proposals (30–50 of them) is a page a manager can use: at
1366 px it fits in two screens, in Russian and in English, grouped by client or by person, with
the total said in words and the internal moves accepted in one go."""

from __future__ import annotations

import os

import pytest

from kabinet.planning.models import DeadlineProposal, ProposalStatus, ReassignmentProposal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 1366, 768
SHOTS = os.environ.get("KABINET_SCREENSHOTS", "")


@pytest.fixture
def demo():
    from kabinet.core import demo as core_demo

    return core_demo.build()


def _login(page, email: str) -> None:
    from kabinet.core.demo import PASSWORD

    page.goto("/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(lambda url: "/login/" not in url)


def _head_on_board(browser, live_server, demo):
    """The head on the at-risk page, in Russian at 1366 px: (context, page)."""
    context = browser.new_context(
        base_url=live_server.url, locale="ru-RU", viewport={"width": WIDTH, "height": HEIGHT}
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    _login(page, demo.users["head"].email)
    page.goto("/planning/at-risk/")
    return context, page


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_demos_proposals_fit_in_two_screens(browser, live_server, demo, lang, tmp_path):
    pending = DeadlineProposal.objects.filter(agency=demo.agency, status=ProposalStatus.PENDING)
    assert 30 <= pending.count() <= 50  # a realistic week of an overloaded agency
    assert ReassignmentProposal.objects.filter(
        agency=demo.agency, status=ProposalStatus.PENDING
    ).exists()
    head = demo.users["head"]
    head.language = lang
    head.save(update_fields=["language"])
    context = browser.new_context(
        base_url=live_server.url,
        locale="ru-RU" if lang == "ru" else "en-GB",
        viewport={"width": WIDTH, "height": HEIGHT},
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    _login(page, head.email)
    for group in ("client", "person"):
        page.goto(f"/planning/at-risk/?group={group}")
        height = page.evaluate("document.documentElement.scrollHeight")
        path = os.path.join(SHOTS or str(tmp_path), f"at-risk-{lang}-{group}.png")
        page.screenshot(path=path, full_page=True)
        assert height <= 2 * HEIGHT, f"{height}px: more than two screens ({path})"
        summary = page.locator("[data-testid=summary]").inner_text()
        assert str(pending.count()) in summary
        groups = page.locator("[data-testid=group]").all_inner_texts()
        if group == "client":
            assert len(groups) >= 2
        else:  # people in alphabetical order: the first page is all Viktoria's
            assert groups[0].strip() == "Виктория Лебедева"
        assert page.locator("[data-testid=pager]").is_visible()
    context.close()


def test_ticked_internal_moves_are_accepted_in_one_go(browser, live_server, demo):
    context, page = _head_on_board(browser, live_server, demo)
    boxes = page.locator("[data-testid=pick]")
    assert boxes.count() >= 2
    picked = [boxes.nth(i).get_attribute("value") for i in range(2)]
    for i in range(2):
        boxes.nth(i).check()
    page.fill("[data-testid=bulk-reason]", "перенесли внутренние сроки после планёрки")
    page.click("[data-testid=bulk-accept]")
    page.wait_for_load_state()
    for pk in picked:
        proposal = DeadlineProposal.objects.get(pk=pk)
        assert proposal.status == ProposalStatus.ACCEPTED
        assert proposal.task.due_at == proposal.new_due
        assert not proposal.task.is_client_visible
    context.close()


def test_a_closed_cards_form_is_fetched_when_opened_and_decides(browser, live_server, demo):
    """With the demo's many moves the client-visible cards are closed and carry no form; opening
    one fetches it (htmx), and keeping the deadline from it works as from an open card."""
    context, page = _head_on_board(browser, live_server, demo)
    slot = page.locator("[data-testid=proposal-slot]").first
    pk = slot.get_attribute("hx-get").rstrip("/").split("/")[-1]
    assert page.locator("textarea[name=message]").count() == 0
    page.locator(f"details:has([hx-get='/planning/proposals/{pk}/']) > summary").click()
    card = page.locator(f"#proposal-{pk}")
    card.locator("textarea[name=message]").wait_for()
    card.locator("input[name=note]").fill("успеем к сроку, добавили часы")
    card.locator("[data-testid=reject]").click()
    page.locator(f"#proposal-{pk} [data-testid=decided]").wait_for()
    assert DeadlineProposal.objects.get(pk=pk).status == ProposalStatus.REJECTED
    context.close()
