"""The recurring-work job goes one agency at a time and checks which occurrences already have their
task in one query per batch of recurrences: with nothing new to create it costs the same for 5
recurrences as for 50, and it creates nothing twice."""

from __future__ import annotations

from datetime import date, datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kabinet.core.scoping import viewer_for
from kabinet.lib.business_calendar import DEFAULT_TZ as MSK
from kabinet.work.models import Recurrence, Task
from kabinet.work.services import generate_all_occurrences, save_recurrence

NOW = datetime(2027, 2, 1, 9, tzinfo=MSK)  # the February report (3 Feb) is within its lead time


def recurrences_up_to(count: int, project, sergey) -> None:
    while Recurrence.objects.count() < count:
        save_recurrence(
            viewer=viewer_for(sergey),
            project=project,
            title=f"Ежемесячный отчёт {Recurrence.objects.count()}",
            mode=Recurrence.Mode.BUSINESS_DAY,
            business_day=3,
            rrule="",
            starts_on=date(2027, 1, 1),
            lead_days=7,
        )


def run_counted() -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        created = generate_all_occurrences(now=NOW)
    return created, len(queries)


def test_a_run_with_every_occurrence_created_costs_the_same_for_5_and_50(project, sergey, viktoria):
    recurrences_up_to(5, project, sergey)
    created_5, _ = run_counted()
    again_5 = run_counted()
    recurrences_up_to(50, project, sergey)
    created_45, _ = run_counted()
    again_50 = run_counted()

    assert (created_5, created_45) == (5, 45)
    assert again_5[0] == again_50[0] == 0
    # the agencies, then the agency's recurrences and the tasks already there
    assert again_5[1] == again_50[1] <= 3
    assert Task.objects.filter(source_type="work.recurrence").count() == 50
