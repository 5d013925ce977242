"""Whole business days: holidays, days off, working days, offsets and month positions."""

from __future__ import annotations

from datetime import date

import pytest

from kabinet.lib.business_calendar import BusinessCalendar


@pytest.fixture
def cal() -> BusinessCalendar:
    return BusinessCalendar()


def test_weekdays_are_business_days_and_weekends_are_not(cal: BusinessCalendar) -> None:
    assert cal.is_business_day(date(2026, 11, 27))  # Friday
    assert not cal.is_business_day(date(2026, 11, 28))  # Saturday
    assert not cal.is_business_day(date(2026, 11, 29))  # Sunday


def test_russian_new_year_holidays_are_not_business_days(cal: BusinessCalendar) -> None:
    for day in range(1, 9):
        assert not cal.is_business_day(date(2027, 1, day))
    assert cal.is_business_day(date(2027, 1, 11))


def test_russian_unity_day_is_not_a_business_day(cal: BusinessCalendar) -> None:
    assert not cal.is_business_day(date(2026, 11, 4))  # Wednesday


def test_a_transferred_working_saturday_is_a_business_day(cal: BusinessCalendar) -> None:
    assert cal.is_business_day(date(2027, 2, 20))
    assert not cal.is_business_day(date(2027, 2, 22))


def test_without_a_country_there_are_no_public_holidays() -> None:
    cal = BusinessCalendar(country=None)
    assert cal.is_business_day(date(2027, 1, 4))
    assert cal.holidays_in(2027) == frozenset()


def test_custom_days_off_are_not_business_days() -> None:
    cal = BusinessCalendar(days_off=[date(2026, 12, 30)])
    assert not cal.is_business_day(date(2026, 12, 30))
    assert date(2026, 12, 30) in cal.holidays_in(2026)


def test_extra_working_days_override_weekends_and_holidays() -> None:
    cal = BusinessCalendar(working_days=[date(2026, 11, 28), date(2026, 11, 4)])
    assert cal.is_business_day(date(2026, 11, 28))
    assert cal.is_business_day(date(2026, 11, 4))


def test_custom_weekend_days() -> None:
    cal = BusinessCalendar(weekend=(4, 5), country=None)  # Friday and Saturday off
    assert not cal.is_business_day(date(2026, 11, 27))
    assert cal.is_business_day(date(2026, 11, 29))


def test_holidays_in_lists_public_holidays_and_days_off_of_that_year_only() -> None:
    cal = BusinessCalendar(days_off=[date(2026, 12, 30), date(2027, 12, 30)])
    h = cal.holidays_in(2026)
    assert date(2026, 1, 7) in h and date(2026, 11, 4) in h and date(2026, 12, 30) in h
    assert all(d.year == 2026 for d in h)
    assert cal.holidays_in(2026) is h  # cached


def test_add_business_days_skips_weekends_and_holidays(cal: BusinessCalendar) -> None:
    assert cal.add_business_days(date(2026, 11, 27), 1) == date(2026, 11, 30)
    assert cal.add_business_days(date(2026, 11, 27), 2) == date(2026, 12, 1)
    assert cal.add_business_days(date(2026, 12, 30), 1) == date(2027, 1, 11)
    assert cal.add_business_days(date(2026, 11, 3), 1) == date(2026, 11, 5)


def test_add_business_days_counts_from_a_weekend_day_without_counting_it(
    cal: BusinessCalendar,
) -> None:
    assert cal.add_business_days(date(2026, 11, 28), 1) == date(2026, 11, 30)
    assert cal.add_business_days(date(2026, 11, 28), 2) == date(2026, 12, 1)


def test_add_zero_business_days_rolls_forward_to_a_business_day(cal: BusinessCalendar) -> None:
    assert cal.add_business_days(date(2026, 11, 27), 0) == date(2026, 11, 27)
    assert cal.add_business_days(date(2026, 11, 28), 0) == date(2026, 11, 30)


def test_negative_business_days_go_back(cal: BusinessCalendar) -> None:
    assert cal.add_business_days(date(2026, 11, 30), -1) == date(2026, 11, 27)
    assert cal.add_business_days(date(2026, 11, 29), -1) == date(2026, 11, 27)
    assert cal.add_business_days(date(2027, 1, 11), -1) == date(2026, 12, 30)
    assert cal.add_business_days(date(2027, 1, 11), -300) == date(2025, 10, 16)


def test_many_business_days_across_years(cal: BusinessCalendar) -> None:
    later = cal.add_business_days(date(2026, 1, 12), 1000)
    assert cal.business_days_between(date(2026, 1, 12), later) == 1000
    assert cal.add_business_days(later, -1000) == date(2026, 1, 12)


def test_business_days_between_counts_the_end_but_not_the_start(cal: BusinessCalendar) -> None:
    assert cal.business_days_between(date(2026, 11, 27), date(2026, 11, 30)) == 1
    assert cal.business_days_between(date(2026, 11, 23), date(2026, 11, 30)) == 5
    assert cal.business_days_between(date(2026, 11, 30), date(2026, 11, 30)) == 0
    assert cal.business_days_between(date(2026, 11, 30), date(2026, 11, 23)) == -5


def test_business_days_between_across_new_year(cal: BusinessCalendar) -> None:
    assert cal.business_days_between(date(2026, 12, 29), date(2027, 1, 11)) == 2


def test_third_business_day_of_january_2027_is_after_the_holidays(cal: BusinessCalendar) -> None:
    assert cal.nth_business_day(2027, 1, 1) == date(2027, 1, 11)
    assert cal.nth_business_day(2027, 1, 3) == date(2027, 1, 13)


def test_last_business_day_of_the_month_counts_from_the_end(cal: BusinessCalendar) -> None:
    assert cal.nth_business_day(2026, 12, -1) == date(2026, 12, 30)
    assert cal.nth_business_day(2026, 11, -1) == date(2026, 11, 30)
    assert cal.nth_business_day(2026, 11, -2) == date(2026, 11, 27)


def test_nth_business_day_out_of_range_is_an_error(cal: BusinessCalendar) -> None:
    count = len(cal.business_days_in_month(2026, 11))
    assert count == 20
    with pytest.raises(ValueError, match="20 business days"):
        cal.nth_business_day(2026, 11, 21)
    with pytest.raises(ValueError):
        cal.nth_business_day(2026, 11, -21)
    with pytest.raises(ValueError):
        cal.nth_business_day(2026, 11, 0)
    with pytest.raises(ValueError, match="month"):
        cal.nth_business_day(2026, 13, 1)


def test_day_arguments_must_be_dates_not_datetimes(cal: BusinessCalendar) -> None:
    from datetime import datetime

    with pytest.raises(TypeError, match="not a datetime"):
        cal.is_business_day(datetime(2026, 11, 27, 12))  # type: ignore[arg-type]
