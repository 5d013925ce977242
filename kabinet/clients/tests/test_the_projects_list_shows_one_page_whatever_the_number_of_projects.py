"""The manager's projects list reads one page of projects (50) with the same queries whether
they have five projects or sixty, and its next link shows the rest."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kabinet.core.testing import make_project


def _get(client, url="/projects/"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def test_sixty_projects_cost_the_queries_of_five_and_page_two_has_the_rest(login, sergey, company):
    for n in range(5):
        make_project(company, f"Проект {n:02}", manager=sergey)
    client = login(sergey)
    _get(client)  # warm (session, language)
    few, few_queries = _get(client)
    assert few.content.decode().count('data-testid="silence"') == 5
    assert 'data-testid="next-page"' not in few.content.decode()

    for n in range(5, 60):
        make_project(company, f"Проект {n:02}", manager=sergey)
    many, many_queries = _get(client)
    html = many.content.decode()
    assert many_queries == few_queries
    assert html.count('data-testid="silence"') == 50
    assert 'href="?page=2"' in html

    rest, _ = _get(client, "/projects/?page=2")
    assert rest.content.decode().count('data-testid="silence"') == 10
