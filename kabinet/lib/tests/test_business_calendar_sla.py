"""Adding and measuring business time: SLA timers and "within N business hours" promises."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from kabinet.lib.business_calendar import DEFAULT_TZ as MSK
from kabinet.lib.business_calendar import BusinessCalendar

H = timedelta(hours=1)


def msk(*args: int) -> datetime:
    return datetime(*args, tzinfo=MSK)


@pytest.fixture
def cal() -> BusinessCalendar:
    return BusinessCalendar()


def test_two_hours_after_friday_1730_is_monday_1030(cal: BusinessCalendar) -> None:
    assert cal.add(msk(2026, 11, 27, 17, 30), 2 * H) == msk(2026, 11, 30, 10, 30)


def test_two_hours_after_friday_1730_skips_a_public_holiday_monday(cal: BusinessCalendar) -> None:
    # 2026-03-09 (Monday) is "International Women's Day (observed)" in RU.
    assert not cal.is_business_day(date(2026, 3, 9))
    assert cal.add(msk(2026, 3, 6, 17, 30), 2 * H) == msk(2026, 3, 10, 10, 30)


def test_two_hours_after_friday_1730_skips_a_custom_day_off_monday() -> None:
    cal = BusinessCalendar(days_off=[date(2026, 11, 30)])
    assert cal.add(msk(2026, 11, 27, 17, 30), 2 * H) == msk(2026, 12, 1, 10, 30)


def test_two_hours_before_new_year_holidays_land_after_them(cal: BusinessCalendar) -> None:
    # 2026-12-31 and 2027-01-01..08 are days off in RU, 9-10 is a weekend.
    assert cal.add(msk(2026, 12, 30, 17, 0), 2 * H) == msk(2027, 1, 11, 10, 0)


def test_a_working_saturday_counts_as_business_time(cal: BusinessCalendar) -> None:
    # RU moved the working day from Monday 2027-02-22 to Saturday 2027-02-20.
    assert cal.add(msk(2027, 2, 19, 17, 30), 2 * H) == msk(2027, 2, 20, 10, 30)


def test_duration_used_up_exactly_at_closing_returns_closing_not_next_morning(
    cal: BusinessCalendar,
) -> None:
    assert cal.add(msk(2026, 11, 27, 16, 0), 2 * H) == msk(2026, 11, 27, 18, 0)


def test_a_full_day_from_opening_ends_at_closing(cal: BusinessCalendar) -> None:
    assert cal.add(msk(2026, 11, 30, 9, 0), 9 * H) == msk(2026, 11, 30, 18, 0)


def test_adding_from_outside_working_hours_starts_counting_at_next_opening(
    cal: BusinessCalendar,
) -> None:
    assert cal.add(msk(2026, 11, 28, 12, 0), 1 * H) == msk(2026, 11, 30, 10, 0)
    assert cal.add(msk(2026, 11, 30, 7, 0), 30 * timedelta(minutes=1)) == msk(2026, 11, 30, 9, 30)
    assert cal.add(msk(2026, 11, 27, 18, 0), 1 * H) == msk(2026, 11, 30, 10, 0)


def test_adding_zero_returns_the_same_instant_even_outside_working_time(
    cal: BusinessCalendar,
) -> None:
    at = msk(2026, 11, 28, 3, 0)
    assert cal.add(at, timedelta(0)) == at


def test_adding_a_negative_duration_is_rejected(cal: BusinessCalendar) -> None:
    with pytest.raises(ValueError, match=">= 0"):
        cal.add(msk(2026, 11, 27, 12, 0), -H)


def test_results_are_in_the_calendar_zone_whatever_the_input_zone(cal: BusinessCalendar) -> None:
    result = cal.add(datetime(2026, 11, 27, 14, 30, tzinfo=UTC), 2 * H)
    assert result.tzinfo == MSK
    assert result == msk(2026, 11, 30, 10, 30)


def test_long_durations_cross_years_exactly(cal: BusinessCalendar) -> None:
    at = msk(2026, 1, 12, 9, 0)
    business_days_2026 = sum(cal.is_business_day(at.date() + timedelta(d)) for d in range(354))
    end = cal.add(at, business_days_2026 * 9 * H)
    assert end == msk(2026, 12, 30, 18, 0)
    assert cal.between(at, end) == business_days_2026 * 9 * H


def test_between_counts_only_working_hours(cal: BusinessCalendar) -> None:
    assert cal.between(msk(2026, 11, 27, 17, 30), msk(2026, 11, 30, 10, 30)) == 2 * H
    assert cal.between(msk(2026, 11, 23, 0, 0), msk(2026, 11, 30, 0, 0)) == 45 * H


def test_between_is_negative_when_the_end_is_before_the_start(cal: BusinessCalendar) -> None:
    assert cal.between(msk(2026, 11, 30, 10, 30), msk(2026, 11, 27, 17, 30)) == -2 * H


def test_between_an_instant_and_itself_is_zero(cal: BusinessCalendar) -> None:
    at = msk(2026, 11, 27, 12, 0)
    assert cal.between(at, at) == timedelta(0)


def test_between_over_a_holiday_week_is_zero(cal: BusinessCalendar) -> None:
    assert cal.between(msk(2027, 1, 1, 0, 0), msk(2027, 1, 11, 9, 0)) == timedelta(0)


def test_between_keeps_microseconds(cal: BusinessCalendar) -> None:
    a = msk(2026, 11, 27, 9, 0, 0, 1)
    assert cal.between(a, msk(2026, 11, 27, 9, 0, 1)) == timedelta(microseconds=999_999)
