"""Issue 10, point 11: every page Marina can reach works at 390 × 844 without horizontal scrolling; on a
phone what waits for her decision comes before the chronology, and the chronology filters fold away."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kabinet.core.scoping import viewer_for
from kabinet.health.models import PlanItem
from kabinet.timeline.models import Decision, Kind
from kabinet.timeline.services import record_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MSK = ZoneInfo("Europe/Moscow")
PHONE = {"width": 390, "height": 844}
LONG_WORD = "https://technodom.example/catalog/" + "very-long-filter-path/" * 6
UNBROKEN = "ПерелинковкаКарточекТоваров" * 8  # not even a slash to break at
REPORT = f"""## Итоги ноября

| Показатель | Значение | Динамика | Комментарий | Источник данных |
|---|---|---|---|---|
| Визиты из поиска | 48 210 | +18% | рост по новым категориям каталога | Яндекс Метрика, сегмент «органика» |
| Заявки | 312 | +9% | лучший месяц года | CRM, сделки с источником «сайт» |

Страницы с дублями: {LONG_WORD}

```
canonical: {LONG_WORD}
```
"""


@pytest.fixture
def marinas_world(marina, sergey, viktoria, project):
    """Something of every kind a client can open: documents, a decision waiting, a question, a promise, tasks."""
    from kabinet.promises import services as promises
    from kabinet.questions.tests.helpers import ask
    from kabinet.work.services import change_task, create_task

    record_event(
        project=project,
        kind=Kind.REPORT,
        title="Отчёт за ноябрь 2026 — органический трафик, заявки и позиции",
        body=REPORT,
        author=viktoria,
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
    )
    for n in range(12):
        record_event(
            project=project,
            kind=Kind.WORK_DONE,
            title=f"Выполнена работа №{n}",
            body="Подробности работ.",
            author=viktoria,
        )
    record_event(
        project=project,
        kind=Kind.RECOMMENDATION,
        title="ТЗ: перелинковка карточек товаров",
        body=REPORT,
        author=viktoria,
        decision=Decision.PENDING,
    )
    ask(
        marina,
        project,
        subject="Почему упал трафик на странице " + LONG_WORD,
        body="Видим падение. " + LONG_WORD,
    )
    first = date.today().replace(day=1)
    plan = record_event(
        project=project,
        kind=Kind.PLAN,
        title="План на месяц",
        author=sergey,
        period_start=first,
        period_end=first + timedelta(days=27),
    )
    PlanItem.objects.create(agency=project.agency, project=project, plan=plan, title=UNBROKEN)
    promises.create_promise(
        viewer=viewer_for(sergey),
        project=project,
        what="Прислать ТЗ на доработки каталога",
        due_at=datetime.now(MSK) + timedelta(days=5),
    )
    task = create_task(
        viewer=sergey,
        project=project,
        title="Внедрить микроразметку товаров на всех шаблонах каталога",
        visibility="client",
        due_at=datetime.now(MSK) + timedelta(days=3),
    )
    change_task(
        viewer=sergey,
        task=task,
        due_at=datetime.now(MSK) + timedelta(days=8),
        reason="Ждём доступы к CMS",
    )
    return project


def same_origin_links(page, base: str) -> set[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    found = set()
    for href in hrefs:
        if not href or href.startswith(("#", "mailto:", "http")) or "://" in href:
            continue
        path = href.split("#")[0]
        if any(
            part in path
            for part in ("/logout", "/attachments/", "/api/", "/admin/", "/password-reset")
        ):
            continue
        found.add(path)
    return found


def pattern(path: str) -> str:
    """One page per URL shape: /questions/12/ and /questions/13/ are the same page."""
    return re.sub(r"\d+", "N", path.split("?")[0]) + ("?" if "?" in path else "")


def test_every_page_marina_can_reach_fits_a_390_px_screen(
    browser, live_server, browser_login, marina, marinas_world
):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="ru-RU", is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    browser_login(page, marina)
    seen: dict[str, str] = {}
    queue = ["/projects/"]
    too_wide = []
    while queue and len(seen) < 40:
        path = queue.pop(0)
        if pattern(path) in seen:
            continue
        seen[pattern(path)] = path
        response = page.goto(path)
        assert response.status < 400, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide = page.evaluate(
                """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)
                     .slice(0, 3).map(e => e.tagName + '.' + e.className)"""
            )
            too_wide.append((path, width, wide))
        queue += sorted(same_origin_links(page, live_server.url) - set(seen.values()))
    context.close()
    kinds = set(seen)
    # The crawl reached every kind of page a client has.
    for expected in (
        "/projects/",
        "/projects/N/",
        "/events/N/",
        "/projects/N/questions/",
        "/questions/N/",
        "/projects/N/questions/ask/",
        "/projects/N/promises/",
        "/promises/N/",
        "/settings/",
        "/notifications/",
    ):
        assert expected in kinds, (expected, sorted(kinds))
    assert too_wide == [], "\n".join(map(str, too_wide))


@pytest.mark.parametrize("language", ["ru", "en"])
def test_on_a_phone_the_decision_waiting_comes_before_the_chronology_and_filters_fold(
    browser, live_server, browser_login, marina, marinas_world, language
):
    marina.language = language
    marina.save()
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="ru-RU", is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    browser_login(page, marina)
    page.goto(f"/projects/{marinas_world.pk}/")
    decision = page.get_by_test_id("awaiting-decision")
    chronology = page.locator("#chronology")
    assert decision.is_visible()
    assert decision.bounding_box()["y"] < chronology.bounding_box()["y"]
    heading = {"ru": "Ждут вашего решения", "en": "Waiting for your decision"}[language]
    assert (
        heading in decision.inner_text()
        and "ТЗ: перелинковка карточек товаров" in decision.inner_text()
    )
    # The filters are folded: the search box is hidden until she opens them.
    search = page.locator("form.filters input[type=search]")
    assert not search.is_visible()
    page.get_by_test_id("filters-toggle").click()
    assert search.is_visible()
    context.close()


def test_on_a_wide_screen_the_filters_stay_open_and_the_decision_sits_beside_the_chronology(
    page, browser_login, marina, marinas_world
):
    page.set_viewport_size({"width": 1366, "height": 900})
    browser_login(page, marina)
    page.goto(f"/projects/{marinas_world.pk}/")
    assert page.locator("form.filters input[type=search]").is_visible()
    decision = page.get_by_test_id("awaiting-decision").bounding_box()
    chronology = page.locator("#chronology").bounding_box()
    assert decision["x"] > chronology["x"] + chronology["width"] - 1
