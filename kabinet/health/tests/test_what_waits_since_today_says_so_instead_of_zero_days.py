"""A decision asked of the client today is "waiting since today" on her home, not "waiting 0
days"; from the next day on it counts the days."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from kabinet.timeline.models import Decision, Kind
from kabinet.timeline.services import record_event

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Europe/Moscow"))


def _recommend(project, author, hours_ago: int) -> None:
    record_event(
        project=project,
        kind=Kind.RECOMMENDATION,
        title=f"Рекомендация {hours_ago} ч назад",
        author=author,
        decision=Decision.PENDING,
        occurred_at=NOW - timedelta(hours=hours_ago),
    )


@time_machine.travel(NOW, tick=False)
def test_a_decision_asked_today_waits_since_today(project, viktoria, marina, login):
    _recommend(project, viktoria, hours_ago=2)
    html = login(marina).get(f"/projects/{project.pk}/overview/").content.decode()
    assert "ждёт с сегодняшнего дня" in html
    assert "ждёт 0" not in html


@time_machine.travel(NOW, tick=False)
def test_a_decision_asked_two_days_ago_counts_the_days_in_english_too(
    project, viktoria, marina, login
):
    _recommend(project, viktoria, hours_ago=49)
    marina.language = "en"
    marina.save(update_fields=["language"])
    html = login(marina).get(f"/projects/{project.pk}/overview/").content.decode()
    assert "waiting 2 days" in html
    assert "waiting since today" not in html
