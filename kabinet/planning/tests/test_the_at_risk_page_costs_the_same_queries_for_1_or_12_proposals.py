"""Twelve proposals on the at-risk board cost the queries of one. A few are shown with their forms
open, in the agency's time zone (read per proposal before: a query each); with more, each card's
form is fetched when the manager opens it."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kabinet.work.models import Task


def _board(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/planning/at-risk/")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_twelve_proposals_cost_the_queries_of_one(
    login, sergey, viktoria, stored_plan, pending_moves
):
    tasks = stored_plan(viktoria, 0, 12, late_hours=2.0)
    Task.objects.filter(pk__in=[t.pk for t in tasks]).update(visibility="client")  # forms shown
    pending_moves(tasks[:1])
    client = login(sergey)
    _board(client)
    html, one = _board(client)
    assert html.count('name="new_due"') == 1

    pending_moves(tasks[1:])
    html, twelve = _board(client)
    assert html.count('data-testid="proposal-slot"') == 12
    assert 'name="new_due"' not in html
    assert twelve == one
