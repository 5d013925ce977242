from __future__ import annotations

from datetime import datetime, timedelta

from kabinet.planning.adapter import build_inputs, from_hours
from kabinet.planning.models import PriorityWeights, TaskForecast
from kabinet.planning.tests.conftest import MSK

# Friday 4 December 2026, 16:00: the work runs into the weekend unless the calendar stops it.
FRIDAY_AFTERNOON = datetime(2026, 12, 4, 16, 0, tzinfo=MSK)


def test_no_predicted_interval_lies_outside_the_agencys_working_hours(
    agency, project, viktoria, sergey, make_task, plan
):
    PriorityWeights.objects.update_or_create(agency=agency, defaults={"capacity_hours": 6})
    for i in range(6):
        make_task(
            f"Аудит раздела {i}",
            assignee=viktoria,
            hours=5,
            due=FRIDAY_AFTERNOON + timedelta(days=i),
        )
    make_task(
        "Созвон-подготовка", assignee=sergey, hours=3, due=FRIDAY_AFTERNOON + timedelta(days=2)
    )
    calendar = agency.calendar()

    plan(FRIDAY_AFTERNOON)

    forecasts = list(TaskForecast.objects.filter(agency=agency))
    assert len(forecasts) == 7
    segments = 0
    for fc in forecasts:
        assert calendar.is_working_time(fc.predicted_start), fc.task
        assert calendar.is_working_time(fc.predicted_finish - timedelta(microseconds=1)), fc.task
        for a, b in fc.details["segments"]:
            a, b = datetime.fromisoformat(a), datetime.fromisoformat(b)
            segments += 1
            assert calendar.is_working_time(a)
            assert calendar.is_working_time(b - timedelta(microseconds=1))
            # The daily capacity: only the first 6 hours of the business day are planned.
            opening = calendar.opening_of(a.astimezone(calendar.tz).date())
            assert b <= opening + timedelta(hours=6)
    assert segments > len(forecasts)  # work was split across days, the weekend skipped
    assert not any(fc.predicted_start.astimezone(MSK).weekday() >= 5 for fc in forecasts)


def test_the_engine_receives_only_working_intervals(agency, project, viktoria, make_task):
    make_task("Техаудит", assignee=viktoria, hours=4)
    data = build_inputs(agency, FRIDAY_AFTERNOON)
    calendar = agency.calendar()
    (person,) = [p for p in data.persons if p.id == str(viktoria.pk)]
    # Friday's 6 hours of capacity (09:00-15:00) are used up by 16:00: the next is Monday 09:00-15:00.
    first = [from_hours(FRIDAY_AFTERNOON, h) for h in person.intervals[0]]
    assert first == [datetime(2026, 12, 7, 9, tzinfo=MSK), datetime(2026, 12, 7, 15, tzinfo=MSK)]
    for a, b in person.intervals[:200]:
        start, end = from_hours(FRIDAY_AFTERNOON, a), from_hours(FRIDAY_AFTERNOON, b)
        assert calendar.is_working_time(start)
        assert calendar.is_working_time(end - timedelta(microseconds=1))
