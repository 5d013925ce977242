from __future__ import annotations

from datetime import datetime

import pytest

from kabinet.lib.business_calendar import DEFAULT_TZ as MSK
from kabinet.work.services import create_task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sergey_moves_a_client_visible_deadline_and_marina_sees_the_reason(
    page, browser_login, marina, sergey, project
):
    task = create_task(
        viewer=sergey,
        project=project,
        title="ТЗ на перелинковку карточек",
        visibility="client",
        due_at=datetime(2027, 3, 10, 18, tzinfo=MSK),
    )

    browser_login(page, sergey)
    page.goto(f"/tasks/{task.pk}/")
    page.fill("input[name=due_at]", "2027-03-17T18:00")
    page.fill("textarea[name=reason]", "Ждём доступы к CMS от клиента")
    page.click("form[action$='/move/'] button.primary")
    page.wait_for_url(f"**/tasks/{task.pk}/")
    assert (
        "Ждём доступы к CMS от клиента" in page.locator("[data-testid=change]").first.inner_text()
    )

    page.context.clear_cookies()
    browser_login(page, marina)
    page.goto(f"/projects/{project.pk}/")
    chronology = page.locator("#chronology")
    event = chronology.locator("[data-testid=event]", has_text="ТЗ на перелинковку карточек").first
    text = event.inner_text()
    assert "Ждём доступы к CMS от клиента" in text
    assert "10.03.2027" in text and "17.03.2027" in text
