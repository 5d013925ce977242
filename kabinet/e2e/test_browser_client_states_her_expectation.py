"""Marina tells the agency her target on her home, on a phone, and the head connects a KPI source
with a token that the page never shows again — in a real browser."""

from __future__ import annotations

import os

import pytest

from kabinet.core.scoping import viewer_for
from kabinet.health import services
from kabinet.health.models import Connection, Expectation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("KABINET_SCREENSHOTS")  # a folder: keep screenshots to look at


@pytest.fixture
def sessions(project, sergey):
    return services.create_metric(
        viewer=viewer_for(sergey), project=project, key="organic_sessions", name="Визиты из поиска"
    )


@pytest.mark.parametrize("language", ["ru", "en"])
def test_marina_states_her_target_on_her_phone(
    browser, live_server, browser_login, project, marina, sessions, language
):
    marina.language = language
    marina.save(update_fields=["language"])
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        browser_login(page, marina)
        page.goto(f"/projects/{project.pk}/overview/")
        page.click("[data-testid=state-expectation] summary")
        page.select_option("select[name=metric]", str(sessions.pk))
        page.fill("input[name=target]", "40000")
        page.fill("input[name=by_date]", "2027-03-31")
        page.fill("textarea[name=note]", "к весне")
        page.click("[data-testid=state-expectation] button.primary")
        page.wait_for_url(lambda url: url.endswith("#expectation"))
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/expectation-{language}-390.png", full_page=True)
        fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    finally:
        context.close()
    assert Expectation.objects.get(project=project).recorded_by == marina
    assert fits


def test_the_head_connects_a_source_and_the_token_is_not_shown_again(
    page, browser_login, project, head, sessions
):
    token = "y0_AgAAAAB-browser-secret-token-4242"
    browser_login(page, head)
    page.goto(f"/projects/{project.pk}/kpis/sources/")
    page.click("#add-connection summary")
    page.select_option("select[name=kind]", "yandex_metrica")
    page.fill("input[name=account]", "44147844")
    page.fill("input[name=token]", token)
    page.fill("input[name=map_organic_sessions]", "ym:s:visits")
    page.click("#add-connection button.primary")
    page.wait_for_selector("[data-connection=yandex_metrica]")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/connections-ru.png", full_page=True)
    assert token not in page.content()
    assert "4242" in page.inner_text("[data-connection=yandex_metrica]")
    assert Connection.objects.get(project=project).account == "44147844"
