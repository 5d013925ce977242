"""The recurring-work job creates the new tasks of a batch of recurrences together: the tasks, their
audit entries and their assignees' notifications each in one multi-row insert and one replanning
request, so creating 300 tasks costs the same queries as creating 6 — and what it writes is
exactly what creating them one at a time wrote."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from kabinet.core.testing import make_project
from kabinet.lib.business_calendar import DEFAULT_TZ as MSK
from kabinet.planning.services import request_replan
from kabinet.work.models import ProjectRoleChoice, Recurrence, Task, Visibility
from kabinet.work.services import generate_all_occurrences, generate_occurrences
from kabinet.work.tests.written_by_jobs import written

NOW = datetime(2027, 2, 1, 9, tzinfo=MSK)  # a Monday: this Monday's and Wednesday's are due
# Django writes at most 999 values into one SQLite statement, so there a multi-row insert of 300
# tasks is split in several; 20 recurrences (40 tasks) still fit one.
RECURRENCES = 150 if connection.vendor == "postgresql" else 20


class Rollback(Exception):
    pass


def teams(company, other_company, sergey, irina, viktoria, project, other_project):
    """Three projects: Sergey (who reads English) and Viktoria; Irina alone; Irina and Viktoria."""
    sergey.language = "en"
    sergey.save(update_fields=["language"])
    third = make_project(company, "Контекст", manager=irina, specialists=(viktoria,))
    return [project, other_project, third], sergey


def recurrences_up_to(count: int, projects, sergey) -> None:
    """Each recurrence makes two tasks now; they go to Sergey, to the specialist or to the account
    manager (Irina's project has no specialist: unassigned)."""
    have = Recurrence.objects.count()
    Recurrence.objects.bulk_create(
        Recurrence(
            agency_id=projects[0].agency_id,
            project=projects[n % 3],
            title=f"Позиции {n}",
            description=f"Снять позиции, отчёт {n}",
            mode=Recurrence.Mode.RRULE,
            rrule="FREQ=WEEKLY;BYDAY=MO,WE",
            assignee=sergey if n % 3 == 0 else None,
            assignee_role=ProjectRoleChoice.ACCOUNT_MANAGER
            if n % 2
            else ProjectRoleChoice.SPECIALIST,
            estimate_hours=Decimal("1.5") if n % 2 else None,
            visibility=Visibility.CLIENT if n % 2 else Visibility.INTERNAL,
            starts_on=date(2027, 1, 1),
            lead_days=3,
        )
        for n in range(have, count)
    )


def run_counted() -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        created = generate_all_occurrences(now=NOW)
    return created, len(queries)


def test_creating_300_tasks_costs_the_same_queries_as_creating_6(
    company, other_company, sergey, irina, viktoria, project, other_project
):
    projects, sergey = teams(
        company, other_company, sergey, irina, viktoria, project, other_project
    )
    request_replan(agency_id=project.agency_id)  # the agency's plan row is there from now on
    recurrences_up_to(3, projects, sergey)
    created_6, first = run_counted()
    recurrences_up_to(3 + RECURRENCES, projects, sergey)
    created_many, second = run_counted()

    assert (created_6, created_many) == (6, 2 * RECURRENCES)
    assert first == second
    assert Task.objects.count() == 6 + 2 * RECURRENCES
    assert generate_all_occurrences(now=NOW) == 0


def test_the_tasks_audit_entries_and_notices_are_those_made_one_task_at_a_time(
    company, other_company, sergey, irina, viktoria, project, other_project
):
    projects, sergey = teams(
        company, other_company, sergey, irina, viktoria, project, other_project
    )
    recurrences_up_to(12, projects, sergey)

    try:
        with transaction.atomic():
            for recurrence in Recurrence.objects.select_related("project__agency", "assignee"):
                generate_occurrences(recurrence=recurrence, now=NOW)
            one_at_a_time = written()
            raise Rollback
    except Rollback:
        pass
    assert Task.objects.count() == 0
    assert generate_all_occurrences(now=NOW) == 24

    together = written()
    assert together == one_at_a_time
    assert len(together["audit"]) == 24
    assert len(together["notifications"]) == 20  # Irina's project has no specialist: 4 unassigned
    assert together["plan_dirty"] == [project.agency_id]
    english = {title for _k, _u, title, *_ in together["notifications"] if "task for you" in title}
    assert english == {f"New task for you: Позиции {n}" for n in range(0, 12, 3)}
