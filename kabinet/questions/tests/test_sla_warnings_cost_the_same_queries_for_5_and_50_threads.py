"""The SLA job reads threads and writes warnings in a constant number of queries per batch: the
same for 5 threads at 75 % as for 50, and a run that finds nothing new writes nothing.

(50 warnings fit in one multi-row INSERT on every database; a batch is 200 threads and as many
rows as the database takes in one statement.)"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kabinet.core.models import Notification
from kabinet.questions import services
from kabinet.questions.models import SlaPolicy
from kabinet.questions.tests.helpers import ask, msk

ASKED = msk(2026, 11, 23, 10, 0)
WARNED = msk(2026, 11, 23, 11, 40)  # 83 % of the 2 business hours for the first response


@pytest.fixture
def policy(agency):
    return SlaPolicy.objects.create(
        agency=agency, first_response_hours=2, next_response_hours=4, resolution_hours=40
    )


def run_counted() -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        created = services.check_sla(now=WARNED)
    return created, len(queries)


def first_and_again(marina, project, threads: int) -> tuple[tuple[int, int], tuple[int, int]]:
    Notification.objects.filter(kind__startswith="sla_").delete()
    while project.threads.count() < threads:
        ask(marina, project, subject=f"Вопрос {project.threads.count()}", at=ASKED)
    return run_counted(), run_counted()


def test_5_and_50_threads_at_75_percent_cost_the_same_queries(marina, sergey, project, policy):
    (created_5, first_5), (again_created_5, again_5) = first_and_again(marina, project, 5)
    (created_50, first_50), (again_created_50, again_50) = first_and_again(marina, project, 50)

    assert (created_5, created_50) == (5, 50)  # one warning to the assignee per thread
    assert first_5 == first_50
    assert (again_created_5, again_created_50) == (0, 0)
    assert again_5 == again_50 < first_5
