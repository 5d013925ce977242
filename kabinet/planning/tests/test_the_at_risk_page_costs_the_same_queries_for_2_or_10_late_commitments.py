"""The at-risk page reads what would meet each late commitment from the stored plan: ten late
committed dates, each naming a teammate with the free hours, cost the queries of two."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext


def _page(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/planning/at-risk/")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def _commitments(n, viktoria, make_task, accepted_date, now):
    """n + 1 four-hour texts Viktoria must hand in tonight, each on a date the client accepted:
    her six hours today finish one, the other n are late."""
    for i in range(n + 1):
        task = make_task(
            f"Тексты раздела {i:02}", assignee=viktoria, hours=4, due=now + timedelta(hours=9)
        )
        accepted_date(task)


def test_ten_late_commitments_cost_the_queries_of_two(
    login, sergey, viktoria, elena, make_task, accepted_date, plan, now
):
    client = login(sergey)
    _commitments(2, viktoria, make_task, accepted_date, now)
    plan()
    _page(client)
    html, few = _page(client)
    assert html.count('data-testid="commitment"') == 2
    assert html.count('data-testid="option-reassign"') == 2  # Elena is free today

    _commitments(8, viktoria, make_task, accepted_date, now + timedelta(minutes=1))
    plan()
    html, many = _page(client)
    assert html.count('data-testid="commitment"') == 10
    assert "Елена Морозова" in html

    assert many == few
