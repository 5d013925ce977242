"""Instants: working time, next opening, end of business day, working intervals."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from kabinet.lib.business_calendar import DEFAULT_TZ as MSK
from kabinet.lib.business_calendar import BusinessCalendar


def msk(*args: int) -> datetime:
    return datetime(*args, tzinfo=MSK)


@pytest.fixture
def cal() -> BusinessCalendar:
    return BusinessCalendar()


def test_calendar_exposes_zone_hours_and_day_length(cal: BusinessCalendar) -> None:
    assert cal.tz == MSK
    assert (cal.start, cal.end) == (time(9), time(18))
    assert cal.hours_per_day == 9.0
    assert BusinessCalendar(start=time(9, 30), end=time(18)).hours_per_day == 8.5


def test_working_time_includes_opening_and_excludes_closing(cal: BusinessCalendar) -> None:
    assert cal.is_working_time(msk(2026, 11, 27, 9, 0))
    assert cal.is_working_time(msk(2026, 11, 27, 17, 59, 59))
    assert not cal.is_working_time(msk(2026, 11, 27, 18, 0))
    assert not cal.is_working_time(msk(2026, 11, 27, 8, 59))


def test_weekends_and_holidays_are_not_working_time(cal: BusinessCalendar) -> None:
    assert not cal.is_working_time(msk(2026, 11, 28, 12, 0))
    assert not cal.is_working_time(msk(2026, 11, 4, 12, 0))


def test_working_time_is_judged_in_the_calendar_zone(cal: BusinessCalendar) -> None:
    assert cal.is_working_time(datetime(2026, 11, 27, 6, 0, tzinfo=UTC))  # 09:00 MSK
    assert not cal.is_working_time(datetime(2026, 11, 27, 15, 0, tzinfo=UTC))  # 18:00 MSK


def test_next_working_instant_is_the_instant_itself_inside_working_hours(
    cal: BusinessCalendar,
) -> None:
    assert cal.next_working_instant(msk(2026, 11, 27, 12, 34)) == msk(2026, 11, 27, 12, 34)


def test_next_working_instant_jumps_to_the_next_opening(cal: BusinessCalendar) -> None:
    assert cal.next_working_instant(msk(2026, 11, 27, 7, 0)) == msk(2026, 11, 27, 9, 0)
    assert cal.next_working_instant(msk(2026, 11, 27, 18, 0)) == msk(2026, 11, 30, 9, 0)
    assert cal.next_working_instant(msk(2026, 12, 30, 19, 0)) == msk(2027, 1, 11, 9, 0)


def test_end_of_business_day_is_that_days_closing(cal: BusinessCalendar) -> None:
    assert cal.end_of_business_day(msk(2026, 11, 27, 10, 0)) == msk(2026, 11, 27, 18, 0)
    assert cal.end_of_business_day(msk(2026, 11, 27, 7, 0)) == msk(2026, 11, 27, 18, 0)


def test_end_of_business_day_after_closing_or_on_a_day_off_is_the_next_closing(
    cal: BusinessCalendar,
) -> None:
    assert cal.end_of_business_day(msk(2026, 11, 27, 18, 0)) == msk(2026, 11, 30, 18, 0)
    assert cal.end_of_business_day(msk(2026, 11, 28, 12, 0)) == msk(2026, 11, 30, 18, 0)
    assert cal.end_of_business_day(msk(2026, 12, 31, 12, 0)) == msk(2027, 1, 11, 18, 0)


def test_start_of_business_day_is_the_opening(cal: BusinessCalendar) -> None:
    opening = cal.start_of_business_day(date(2026, 11, 27))
    assert opening == msk(2026, 11, 27, 9, 0)
    assert opening.tzinfo == MSK


def test_start_of_a_non_business_day_is_an_error(cal: BusinessCalendar) -> None:
    with pytest.raises(ValueError, match="not a business day"):
        cal.start_of_business_day(date(2026, 11, 28))


def test_closing_of_any_date_needs_no_business_day(cal: BusinessCalendar) -> None:
    assert cal.closing_of(date(2026, 11, 28)) == msk(2026, 11, 28, 18, 0)
    assert cal.opening_of(date(2026, 11, 28)) == msk(2026, 11, 28, 9, 0)


def test_working_intervals_are_clipped_to_the_window(cal: BusinessCalendar) -> None:
    intervals = list(cal.working_intervals(msk(2026, 11, 27, 12, 0), msk(2026, 12, 1, 10, 0)))
    assert intervals == [
        (msk(2026, 11, 27, 12, 0), msk(2026, 11, 27, 18, 0)),
        (msk(2026, 11, 30, 9, 0), msk(2026, 11, 30, 18, 0)),
        (msk(2026, 12, 1, 9, 0), msk(2026, 12, 1, 10, 0)),
    ]


def test_working_intervals_of_an_empty_or_reversed_window_are_empty(cal: BusinessCalendar) -> None:
    at = msk(2026, 11, 27, 12, 0)
    assert list(cal.working_intervals(at, at)) == []
    assert list(cal.working_intervals(msk(2026, 11, 30, 12, 0), at)) == []
    assert list(cal.working_intervals(msk(2026, 11, 28), msk(2026, 11, 29))) == []


def test_working_intervals_span_new_year(cal: BusinessCalendar) -> None:
    intervals = list(cal.working_intervals(msk(2026, 12, 30, 17, 0), msk(2027, 1, 11, 9, 30)))
    assert intervals == [
        (msk(2026, 12, 30, 17, 0), msk(2026, 12, 30, 18, 0)),
        (msk(2027, 1, 11, 9, 0), msk(2027, 1, 11, 9, 30)),
    ]
