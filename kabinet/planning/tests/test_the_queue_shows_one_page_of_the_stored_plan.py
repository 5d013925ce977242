"""A person's queue reads one page (50) of the stored plan in rank order: sixty tasks cost the
queries of five, and the next link (keeping whose queue it is) shows the rest."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext


def _queue(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_sixty_planned_tasks_cost_the_queries_of_five(login, viktoria, stored_plan):
    stored_plan(viktoria, 0, 5)
    client = login(viktoria)
    url = f"/planning/queue/?person={viktoria.pk}"
    _queue(client, url)
    _html, few = _queue(client, url)

    stored_plan(viktoria, 5, 60)
    html, many = _queue(client, url)
    assert many <= few  # a page with a next one skips the "not planned yet" query of the last
    assert html.count("Задача ") == 50 and html.index("Задача 00") < html.index("Задача 49")
    assert f'href="?person={viktoria.pk}&amp;page=2"' in html

    rest, last = _queue(client, f"{url}&page=2")
    assert rest.count("Задача ") == 10 and "Задача 59" in rest
    assert last == few
