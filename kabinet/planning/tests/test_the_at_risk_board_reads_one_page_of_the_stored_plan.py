"""The at-risk board sums the stored plan in the database and reads only its page (12 rows): sixty
late tasks cost the queries of five, the summary still counts sixty, the next link shows more."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext


def _board(client, url="/planning/at-risk/"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_sixty_late_tasks_cost_the_queries_of_five(login, sergey, viktoria, stored_plan):
    stored_plan(viktoria, 0, 5, late_hours=2.0)
    client = login(sergey)
    _board(client)
    _html, few = _board(client)

    stored_plan(viktoria, 5, 60, late_hours=2.0)
    html, many = _board(client)
    assert many == few
    assert 'data-testid="late-count">60<' in html
    assert html.count('data-testid="risk-row"') == 12
    assert "Задача 59" in html  # the latest first
    assert 'href="?group=client&amp;page=2"' in html

    rest, _ = _board(client, "/planning/at-risk/?group=client&page=5")
    assert rest.count('data-testid="risk-row"') == 12
    last, _ = _board(client, "/planning/at-risk/?group=client&page=6")
    assert "Задача 00" in last
