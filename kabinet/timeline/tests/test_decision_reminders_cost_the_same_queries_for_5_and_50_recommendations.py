"""The decision-reminder job reads waiting recommendations, their clients and managers, and writes
the reminders in a constant number of queries per batch: the same for 5 recommendations as for
50, and a second run at the same reminder point writes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kabinet.core.models import Notification
from kabinet.timeline.models import Decision, Event, Kind
from kabinet.timeline.notices import remind_pending_decisions
from kabinet.timeline.services import record_event

MSK = ZoneInfo("Europe/Moscow")
SENT = datetime(2026, 8, 10, 12, tzinfo=MSK)
THREE_DAYS_ON = SENT + timedelta(days=3, hours=1)  # the client is reminded, not yet the manager


def run_counted() -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        told = remind_pending_decisions(THREE_DAYS_ON)
    return told, len(queries)


def first_and_again(project, author, recommendations: int):
    Notification.objects.filter(kind__startswith="decision_").delete()
    waiting = Event.objects.filter(kind=Kind.RECOMMENDATION)
    while waiting.count() < recommendations:
        record_event(
            project=project,
            kind=Kind.RECOMMENDATION,
            title=f"Рекомендация {waiting.count()}",
            author=author,
            occurred_at=SENT,
            decision=Decision.PENDING,
        )
    return run_counted(), run_counted()


def test_5_and_50_waiting_recommendations_cost_the_same_queries(marina, viktoria, project):
    (told_5, first_5), (again_told_5, again_5) = first_and_again(project, viktoria, 5)
    (told_50, first_50), (again_told_50, again_50) = first_and_again(project, viktoria, 50)

    assert (told_5, told_50) == (5, 50)  # Marina, once per recommendation
    assert first_5 == first_50
    assert (again_told_5, again_told_50) == (0, 0)
    assert again_5 == again_50 < first_5
