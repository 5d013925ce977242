"""A manager checks the at-risk board and the head the agency's understanding from a phone: at
390 px the board's five columns printed over each other and the index's components table
widened the head's page to 561 px. Every page of the staff's menu now fits the screen, the board
showing each late task as a small card, the components scrolling inside their own box."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
MENU = [
    "/projects/",
    "/work/",
    "/questions/",
    "/promises/",
    "/planning/queue/",
    "/planning/at-risk/",
    "/digests/",
    "/results/",
]


@pytest.fixture
def demo():
    from kabinet.core import demo as core_demo

    return core_demo.build()


def _wider_than_the_screen(page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')].filter(e => {
             if (e.getBoundingClientRect().right <= 391) return false;
             for (let p = e.parentElement; p; p = p.parentElement) {
               const style = getComputedStyle(p);
               if (['auto', 'scroll'].includes(style.overflowX)) return false;  // scrolls in its box
               if (style.textOverflow === 'ellipsis') return false;  // cut on purpose, with an ellipsis
             }
             return true;  // past the screen, or clipped by a box nobody can scroll
           }).slice(0, 3).map(e => e.tagName + '.' + e.className)"""
    )


@pytest.mark.parametrize("who", ["sergey", "head"])
def test_every_page_of_the_staff_menu_fits_a_390_px_screen(
    browser, live_server, demo, demo_login, who
):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="ru-RU", is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    demo_login(page, demo.users[who])
    pages = MENU + (["/understanding/"] if who == "head" else [])
    too_wide = []
    for path in pages:
        response = page.goto(path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")  # htmx parts (the index's components) included
        # Wider than the screen: the page scrolls sideways, or a box clips what it cannot show.
        wide = _wider_than_the_screen(page)
        if page.evaluate("document.documentElement.scrollWidth") > PHONE["width"] or wide:
            too_wide.append((path, wide))
    context.close()
    assert too_wide == []


def test_on_a_phone_each_late_task_is_a_card_with_its_lateness_beside_its_title(
    browser, live_server, demo, demo_login
):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="ru-RU", is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    demo_login(page, demo.users["sergey"])
    page.goto("/planning/at-risk/")
    row = page.locator("[data-testid=risk-row]").first
    title, late = row.locator("td").nth(1), row.locator("td").nth(2)
    title_box, late_box = title.bounding_box(), late.bounding_box()
    assert late_box["x"] >= title_box["x"] + title_box["width"] - 1  # beside, not over it
    assert abs(late_box["y"] - title_box["y"]) < 5
    assert row.bounding_box()["width"] <= PHONE["width"]
    context.close()
