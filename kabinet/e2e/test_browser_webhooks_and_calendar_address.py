"""In a browser: the head adds a webhook endpoint and copies its secret; Marina takes her calendar
address from the settings page, copies it, and a new address kills the old one."""

from __future__ import annotations

import os

import pytest

from kabinet.api.models import CalendarFeed, WebhookEndpoint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("KABINET_SCREENSHOTS")  # a folder: save what the personas saw


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_the_head_adds_an_endpoint_and_sees_its_secret_once(page, browser_login, head):
    browser_login(page, head)
    page.goto("/settings/")
    page.click("text=Вебхуки")
    page.wait_for_url("**/agency/webhooks/")
    page.fill("input[name=url]", "ftp://crm")
    page.check("input[value='task.done']")
    page.click("text=Добавить адрес >> nth=-1")
    assert page.get_by_text("начиная с https://").is_visible()  # named, nothing typed is lost
    assert page.input_value("input[name=url]") == "ftp://crm"
    page.fill("input[name=url]", "https://crm.example.test/hooks")
    page.click("button.primary")
    secret = page.inner_text("[data-testid=webhook-secret]")
    shot(page, "webhook-secret-ru")
    assert secret == WebhookEndpoint.objects.get().secret
    page.click("text=К адресу и журналу доставки")
    assert secret not in page.content()
    shot(page, "webhook-endpoint-ru")


def test_marina_takes_copies_and_renews_her_calendar_address(page, browser_login, marina, project):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    browser_login(page, marina)
    page.goto("/settings/")
    page.click("[data-testid=calendar-create]")
    page.wait_for_url("**/settings/**")
    first = page.input_value("[data-testid=calendar-url]")
    assert first.endswith(f"/feeds/{CalendarFeed.objects.get(user=marina).token}.ics")
    page.click("button[data-copy]")
    page.wait_for_function(
        "document.querySelector('button[data-copy]').textContent === 'Скопировано'"
    )
    assert page.evaluate("navigator.clipboard.readText()") == first
    shot(page, "calendar-card-ru")

    page.click("[data-testid=calendar-rotate]")
    page.wait_for_url("**/settings/**")
    second = page.input_value("[data-testid=calendar-url]")
    assert second != first
    path = lambda url: "/feeds/" + url.split("/feeds/", 1)[1]  # noqa: E731
    assert page.request.get(path(first)).status == 404
    assert page.request.get(path(second)).status == 200
