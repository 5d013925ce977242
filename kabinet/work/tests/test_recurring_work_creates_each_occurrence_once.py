from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.core.exceptions import ValidationError

from kabinet.core.scoping import viewer_for
from kabinet.lib.business_calendar import DEFAULT_TZ as MSK
from kabinet.work.models import Recurrence, Task
from kabinet.work.services import (
    create_task,
    generate_all_occurrences,
    occurrences,
    save_recurrence,
)


@pytest.fixture
def monthly_report(project, sergey, viktoria):
    return save_recurrence(
        viewer=viewer_for(sergey),
        project=project,
        title="Ежемесячный отчёт",
        mode=Recurrence.Mode.BUSINESS_DAY,
        business_day=3,
        rrule="",
        starts_on=date(2027, 1, 1),
        lead_days=7,
    )


def test_the_third_business_day_skips_weekends_and_public_holidays(monthly_report):
    dues = occurrences(
        recurrence=monthly_report,
        start=datetime(2027, 1, 1, tzinfo=MSK),
        end=datetime(2027, 6, 1, tzinfo=MSK),
    )

    # January 2027: 1–8 are public holidays, so the 3rd business day is the 13th.
    assert [d.date() for d in dues] == [
        date(2027, 1, 13),
        date(2027, 2, 3),
        date(2027, 3, 3),
        date(2027, 4, 5),
        date(2027, 5, 6),
    ]
    assert all(d.timetz().replace(tzinfo=None) == time(18) for d in dues)


def test_running_the_generator_again_creates_nothing_twice(monthly_report, viktoria):
    now = datetime(2027, 2, 1, 9, tzinfo=MSK)

    assert generate_all_occurrences(now=now) == 1
    assert generate_all_occurrences(now=now) == 0
    task = Task.objects.get(source_type="work.recurrence")
    assert task.due_at == datetime(2027, 2, 3, 18, tzinfo=MSK) and task.assignee == viktoria


def test_the_database_refuses_a_second_task_for_the_same_occurrence(monthly_report, project):
    key = f"recurrence:{monthly_report.pk}:2027-02-03"
    first = create_task(viewer=None, project=project, title="Отчёт", dedupe_key=key)
    second = create_task(viewer=None, project=project, title="Отчёт", dedupe_key=key)

    assert first.pk == second.pk
    assert Task.objects.filter(dedupe_key=key).count() == 1


def test_an_rrule_recurrence_follows_rfc_5545(project, sergey):
    weekly = save_recurrence(
        viewer=viewer_for(sergey),
        project=project,
        title="Проверка позиций",
        mode=Recurrence.Mode.RRULE,
        rrule="FREQ=WEEKLY;BYDAY=MO",
        business_day=None,
        due_time=time(12),
        starts_on=date(2027, 3, 1),
    )

    dues = occurrences(
        recurrence=weekly,
        start=datetime(2027, 3, 1, tzinfo=MSK),
        end=datetime(2027, 3, 22, tzinfo=MSK),
    )

    assert dues == [datetime(2027, 3, d, 12, tzinfo=MSK) for d in (1, 8, 15)]


def test_a_bad_rrule_gets_a_clear_message(project, sergey):
    with pytest.raises(ValidationError) as exc:
        save_recurrence(
            viewer=viewer_for(sergey),
            project=project,
            title="X",
            mode=Recurrence.Mode.RRULE,
            rrule="FREQ=SOMETIMES",
            business_day=None,
            starts_on=date(2027, 3, 1),
        )
    assert "RRULE" in exc.value.message_dict["rrule"][0]
