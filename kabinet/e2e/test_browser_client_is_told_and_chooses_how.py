"""Issue 10, point 8: the client is told — in her language — when a report is published, and chooses per
topic how; the manager is told when she decides."""

from __future__ import annotations

import pytest

from kabinet.core.models import Notification
from kabinet.timeline.models import Decision, Kind
from kabinet.timeline.services import record_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOLD = {
    "ru": ("Новый отчёт: Отчёт за ноябрь 2026", "От вас ничего не требуется"),
    "en": ("New report: Отчёт за ноябрь 2026", "Nothing is needed from you"),
}


def publish_report(page, project, title):
    page.goto(f"/projects/{project.pk}/")
    page.click("details.composer summary")
    page.select_option("select[name=kind]", "report")
    page.fill("input[name=title]", title)
    page.fill("textarea[name=body]", "Визиты из поиска выросли на 18%.")
    page.fill("input[name=period_start]", "2026-11-01")
    page.fill("input[name=period_end]", "2026-11-30")
    page.click("details.composer button.primary")
    page.wait_for_url(f"**/projects/{project.pk}/")


@pytest.mark.parametrize("language", ["ru", "en"])
def test_marina_is_told_about_a_report_in_her_language(
    page, browser_login, marina, sergey, project, language
):
    marina.language = language
    marina.save()
    browser_login(page, sergey)
    publish_report(page, project, "Отчёт за ноябрь 2026")

    page.context.clear_cookies()
    browser_login(page, marina)
    assert page.get_by_test_id("unread").inner_text() == "1"
    page.click("a.bell")
    title, needed = TOLD[language]
    item = page.locator("ul.list li").first
    assert title in item.inner_text() and needed in item.inner_text()
    item.locator("a").first.click()
    assert page.locator("article h1").inner_text() == "Отчёт за ноябрь 2026"


def test_marina_turns_report_notices_off_and_hears_nothing_of_the_next(
    page, browser_login, marina, sergey, project
):
    browser_login(page, marina)
    page.goto("/settings/#notifications")
    page.get_by_test_id("preferences").get_by_label("Не сообщать").first.check()
    page.get_by_test_id("preferences").locator("button.primary").click()
    assert "Настройки уведомлений сохранены." in page.locator(".messages").inner_text()

    page.context.clear_cookies()
    browser_login(page, sergey)
    publish_report(page, project, "Отчёт за декабрь 2026")
    assert not Notification.objects.filter(user=marina).exists()


def test_sergey_is_told_when_marina_approves_a_recommendation(
    page, browser_login, marina, sergey, viktoria, project
):
    recommendation = record_event(
        project=project,
        kind=Kind.RECOMMENDATION,
        title="ТЗ: отзывы на карточках",
        author=viktoria,
        decision=Decision.PENDING,
    )
    browser_login(page, marina)
    page.goto(f"/events/{recommendation.pk}/")
    page.click("button[value=approved]")

    page.context.clear_cookies()
    browser_login(page, sergey)
    page.click("a.bell")
    item = page.locator("ul.list li", has_text="ТЗ: отзывы на карточках").first
    assert "Марина Белова согласовал(а) «ТЗ: отзывы на карточках»" in item.inner_text()
    assert "Запланируйте работу" in item.inner_text()
