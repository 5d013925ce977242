"""The control board counts every section in the database and shows one page (50) of each: the
same queries for five overdue tasks as for sixty, the count says sixty, the next link the rest."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kabinet.work.models import Task


def _overdue(project, viktoria, first: int, last: int) -> None:
    due = timezone.now() - timedelta(days=2)
    Task.objects.bulk_create(
        Task(
            agency=project.agency,
            project=project,
            title=f"Просрочено {n:02}",
            assignee=viktoria,
            estimate_hours=1,
            due_at=due + timedelta(minutes=n),
        )
        for n in range(first, last)
    )


def _board(client, url="/work/"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_sixty_overdue_tasks_cost_the_queries_of_five(login, sergey, viktoria, project):
    _overdue(project, viktoria, 0, 5)
    client = login(sergey)
    _board(client)
    _html, few = _board(client)

    _overdue(project, viktoria, 5, 60)
    html, many = _board(client)
    assert many == few
    assert "<strong>60</strong>" in html  # the count is every overdue task
    assert html.count("Просрочено ") == 50
    assert 'href="?overdue_page=2"' in html

    rest, _ = _board(client, "/work/?overdue_page=2")
    assert rest.count("Просрочено ") == 10 and "Просрочено 59" in rest


def test_a_page_past_the_end_still_says_how_many_there_are(login, sergey, viktoria, project):
    _overdue(project, viktoria, 0, 60)

    html, _ = _board(login(sergey), "/work/?overdue_page=9")

    assert "<strong>60</strong>" in html and "Просрочено " not in html
