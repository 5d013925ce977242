"""«My promises» reads one page (50) of the person's pending promises, soonest due first: sixty
cost the queries of five, and the next link shows the rest."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kabinet.promises.models import Promise


def _promise(project, sergey, first: int, last: int) -> None:
    start = timezone.now() + timedelta(days=1)
    Promise.objects.bulk_create(
        Promise(
            agency=project.agency,
            project=project,
            promised_by=sergey,
            what=f"Обещание {n:02}",
            due_at=start + timedelta(hours=n),
            original_due_at=start + timedelta(hours=n),
        )
        for n in range(first, last)
    )


def _page(client, url="/promises/"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_sixty_promises_cost_the_queries_of_five(login, sergey, project):
    _promise(project, sergey, 0, 5)
    client = login(sergey)
    _page(client)
    _html, few = _page(client)

    _promise(project, sergey, 5, 60)
    html, many = _page(client)
    assert many == few
    assert html.count("Обещание ") == 50 and html.index("Обещание 00") < html.index("Обещание 49")
    assert 'href="?page=2"' in html

    rest, _ = _page(client, "/promises/?page=2")
    assert rest.count("Обещание ") == 10 and "Обещание 59" in rest
