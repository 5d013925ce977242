"""The question desk sorts and cuts its page in the database by each thread's stored SLA due time:
sixty waiting questions cost the queries of five, the page holds fifty, the soonest due first,
and the next link shows the rest."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kabinet.questions.models import Message, MessageKind, Thread
from kabinet.questions.services import store_sla_of_open_threads


def _ask(project, marina, first: int, last: int) -> None:
    start = timezone.now() - timedelta(days=30)
    threads = Thread.objects.bulk_create(
        Thread(
            agency=project.agency,
            project=project,
            subject=f"Вопрос {n:02}",
            asked_by=marina,
            created_at=start + timedelta(hours=n),
        )
        for n in range(first, last)
    )
    Message.objects.bulk_create(
        Message(
            agency=project.agency,
            thread=t,
            author=marina,
            kind=MessageKind.QUESTION,
            body=t.subject,
            from_client=True,
            created_at=t.created_at,
        )
        for t in threads
    )
    store_sla_of_open_threads(agency_id=project.agency_id)


def _desk(client, url="/questions/"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_sixty_waiting_questions_cost_the_queries_of_five(login, sergey, marina, project):
    _ask(project, marina, 0, 5)
    client = login(sergey)
    _desk(client)
    _html, few = _desk(client)

    _ask(project, marina, 5, 60)
    html, many = _desk(client)
    assert many == few
    assert html.count("Вопрос ") == 50
    assert html.index("Вопрос 00") < html.index("Вопрос 01")  # asked first, due first
    assert 'href="?page=2"' in html

    rest, _ = _desk(client, "/questions/?page=2")
    assert rest.count("Вопрос ") == 10 and "Вопрос 59" in rest


def test_the_stored_due_time_is_the_most_urgent_clocks(sergey, marina, project):
    _ask(project, marina, 0, 1)
    thread = Thread.objects.get()
    assert thread.sla_due_at is not None and thread.sla_due_at > thread.created_at
