"""Issue 10 point 2: internal items (a working task title, an internal note, an internal remark)
never reach Marina through another item's text — Sergey closes the internal task behind a promise in
the browser, delivers it, and Marina reads every page of her project in Russian and in English."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from kabinet.core.scoping import viewer_for
from kabinet.promises.services import create_promise
from kabinet.questions.services import ask, reply
from kabinet.timeline.models import Event, Kind, Visibility
from kabinet.timeline.services import record_event
from kabinet.work.services import change_task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARK = "ZZVNUTR"


@pytest.fixture
def wednesday_morning():
    with time_machine.travel(
        datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=True
    ):
        yield


def test_marina_never_reads_an_internal_text_on_any_page_in_either_language(
    wednesday_morning, page, browser_login, project, sergey, viktoria, marina
):
    s = viewer_for(sergey)
    thread = ask(
        viewer=viewer_for(marina),
        project=project,
        subject="Почему упал трафик?",
        body="Трафик упал на 20%.",
    )
    reply(viewer=s, thread=thread, body=f"Это мы сломали robots.txt {MARK}1", internal=True)
    reply(viewer=s, thread=thread, body="Разбираемся, подробности пришлём.")
    record_event(
        project=project,
        kind=Kind.MESSAGE,
        title=f"Клиент тянет с оплатой {MARK}2",
        author=sergey,
        visibility=Visibility.INTERNAL,
    )
    due = datetime(2026, 12, 3, 13, 0, tzinfo=ZoneInfo("Europe/Moscow"))
    promise = create_promise(
        viewer=s, project=project, what="Разбор падения трафика", due_at=due, create_task=True
    )
    change_task(
        viewer=sergey,
        task=promise.task,
        title=f"Откатить наш robots.txt {MARK}3",
        description=f"Стыдно {MARK}4",
        assignee=viktoria,
        reason=f"Виктория свободна {MARK}5",
    )

    browser_login(page, sergey)
    page.goto(f"/tasks/{promise.task_id}/")
    page.get_by_test_id("task-done").click()
    page.wait_for_load_state()
    page.goto(f"/promises/{promise.pk}/")
    if page.get_by_test_id("deliver").count():  # still to deliver: Sergey sends it
        deliver = page.get_by_test_id("deliver")
        deliver.locator("textarea[name=message]").fill(
            "Марина, разбор во вложении: три причины и что уже исправлено."
        )
        deliver.get_by_test_id("keep").click()
        page.get_by_text("Передано и выполнено").wait_for()
    page.context.clear_cookies()

    client_events = list(
        Event.objects.filter(project=project, visibility=Visibility.CLIENT).values_list(
            "pk", flat=True
        )
    )
    pages = [
        "/projects/",
        f"/projects/{project.pk}/",
        f"/projects/{project.pk}/promises/",
        f"/promises/{promise.pk}/",
        f"/projects/{project.pk}/questions/",
        f"/questions/{thread.pk}/",
        "/notifications/",
    ]
    pages += [f"/events/{pk}/" for pk in client_events]
    for language in ("ru", "en"):
        marina.language = language
        marina.save(update_fields=["language"])
        browser_login(page, marina)
        for url in pages:
            page.goto(url)
            text = page.locator("body").inner_text()
            assert MARK not in text, (language, url)
            assert "Откатить" not in text and "Стыдно" not in text, (language, url)
        page.context.clear_cookies()
    assert len(client_events) >= 4
