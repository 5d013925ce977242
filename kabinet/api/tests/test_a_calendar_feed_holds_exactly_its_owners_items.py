"""The secret calendar feed parses as iCalendar and holds the owner's items, and nobody else's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from icalendar import Calendar

from kabinet.api import feeds
from kabinet.core.models import Visibility
from kabinet.core.scoping import viewer_for
from kabinet.promises.services import create_promise
from kabinet.timeline.services import EventDraft, publish
from kabinet.work.services import create_task

NOW = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(sergey, viktoria, irina, project, other_project):
    s, i = viewer_for(sergey), viewer_for(irina)
    due = NOW + timedelta(days=3)
    return {
        "viktoria_internal": create_task(
            viewer=s, project=project, title="Семантика", assignee=viktoria, due_at=due
        ),
        "viktoria_client": create_task(
            viewer=s,
            project=project,
            title="Аудит сайта",
            assignee=viktoria,
            due_at=due,
            visibility=Visibility.CLIENT,
        ),
        "sergey_task": create_task(
            viewer=s, project=project, title="Созвон", assignee=sergey, due_at=due
        ),
        "no_due": create_task(viewer=s, project=project, title="Когда-нибудь", assignee=viktoria),
        "sergey_promise": create_promise(
            viewer=s, project=project, what="Прислать отчёт", due_at=due, promised_by=sergey
        ),
        "meeting": publish(
            viewer=s,
            project=project,
            draft=EventDraft(kind="meeting", title="Встреча по стратегии", occurred_at=NOW),
        ),
        "internal_meeting": publish(
            viewer=s,
            project=project,
            draft=EventDraft(
                kind="meeting",
                title="Внутренний разбор",
                occurred_at=NOW,
                visibility=Visibility.INTERNAL,
            ),
        ),
        "other_task": create_task(
            viewer=i, project=other_project, title="Чужая задача", assignee=irina, due_at=due
        ),
        "other_meeting": publish(
            viewer=i,
            project=other_project,
            draft=EventDraft(kind="meeting", title="Чужая встреча", occurred_at=NOW),
        ),
    }


def uids(user, client) -> set[str]:
    feed = feeds.rotate_feed(viewer=viewer_for(user))
    response = client.get(f"/feeds/{feed.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(e["UID"]).split("@")[0] for e in calendar.walk("VEVENT")}


def test_a_specialists_feed_holds_her_deadlines_and_her_projects_meetings(viktoria, world, client):
    assert uids(viktoria, client) == {
        f"task-{world['viktoria_internal'].pk}",
        f"task-{world['viktoria_client'].pk}",
        f"meeting-{world['meeting'].pk}",
        f"meeting-{world['internal_meeting'].pk}",
    }


def test_a_managers_feed_holds_his_promises(sergey, world, client):
    assert uids(sergey, client) == {
        f"task-{world['sergey_task'].pk}",
        f"promise-{world['sergey_promise'].pk}",
        f"meeting-{world['meeting'].pk}",
        f"meeting-{world['internal_meeting'].pk}",
    }


def test_a_clients_feed_holds_only_client_visible_items_of_her_company(marina, world, client):
    assert uids(marina, client) == {
        f"task-{world['viktoria_client'].pk}",
        f"promise-{world['sergey_promise'].pk}",
        f"meeting-{world['meeting'].pk}",
    }


def test_the_feed_says_what_each_item_is(marina, world, client):
    feed = feeds.rotate_feed(viewer=viewer_for(marina))
    calendar = Calendar.from_ical(client.get(f"/feeds/{feed.token}.ics").content)
    summaries = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert "Срок: Аудит сайта" in summaries
    assert not any("Семантика" in s or "Внутренний" in s or "Чужая" in s for s in summaries)
