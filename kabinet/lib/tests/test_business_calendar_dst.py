"""Working hours are local wall-clock times, also across daylight-saving switches."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from kabinet.lib.business_calendar import BusinessCalendar

BER = ZoneInfo("Europe/Berlin")
H = timedelta(hours=1)


def ber(*args: int, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=BER, fold=fold)


@pytest.fixture
def cal() -> BusinessCalendar:
    return BusinessCalendar(tz="Europe/Berlin", country="DE")


def test_opening_stays_at_nine_local_before_and_after_the_spring_switch(
    cal: BusinessCalendar,
) -> None:
    before = cal.start_of_business_day(date(2026, 3, 27))
    after = cal.start_of_business_day(date(2026, 3, 30))
    assert before.utcoffset() == H and after.utcoffset() == 2 * H
    assert (before.hour, after.hour) == (9, 9)


def test_two_hours_after_friday_17_across_the_spring_switch_is_monday_10(
    cal: BusinessCalendar,
) -> None:
    result = cal.add(ber(2026, 3, 27, 17, 0), 2 * H)
    assert result == ber(2026, 3, 30, 10, 0)
    assert result.utcoffset() == 2 * H


def test_a_week_across_a_switch_has_five_full_working_days(cal: BusinessCalendar) -> None:
    assert cal.between(ber(2026, 3, 23, 9), ber(2026, 3, 30, 9)) == 45 * H
    assert cal.between(ber(2026, 10, 19, 9), ber(2026, 10, 26, 9)) == 45 * H


def test_autumn_switch_keeps_closing_at_eighteen_local(cal: BusinessCalendar) -> None:
    assert cal.end_of_business_day(ber(2026, 10, 24, 12)) == ber(2026, 10, 26, 18)
    assert cal.closing_of(date(2026, 10, 26)).utcoffset() == H


def test_german_holidays_apply(cal: BusinessCalendar) -> None:
    assert not cal.is_business_day(date(2026, 4, 3))  # Good Friday
    assert cal.add(ber(2026, 4, 2, 17, 30), H) == ber(2026, 4, 7, 9, 30)  # Easter Monday too


@pytest.fixture
def night() -> BusinessCalendar:
    """A night shift 00:00–06:00 every day: the working period itself spans the switch."""
    return BusinessCalendar(
        tz="Europe/Berlin", start=time(0), end=time(6), weekend=(), country=None
    )


def test_business_time_is_real_elapsed_time_on_the_short_spring_night(
    night: BusinessCalendar,
) -> None:
    day = date(2026, 3, 29)
    assert night.between(night.opening_of(day), night.closing_of(day)) == 5 * H
    assert night.add(night.opening_of(day), 5 * H) == night.closing_of(day)
    assert night.add(ber(2026, 3, 29, 1, 30), H) == ber(2026, 3, 29, 3, 30)


def test_business_time_is_real_elapsed_time_on_the_long_autumn_night(
    night: BusinessCalendar,
) -> None:
    day = date(2026, 10, 25)
    assert night.between(night.opening_of(day), night.closing_of(day)) == 7 * H
    first, second = ber(2026, 10, 25, 2, 30, fold=0), ber(2026, 10, 25, 2, 30, fold=1)
    assert night.is_working_time(first) and night.is_working_time(second)
    assert night.between(first, second) == H
    assert night.between(second, first) == -H
    result = night.add(first, H)
    assert result.astimezone(UTC) == second.astimezone(UTC)
    assert result.fold == 1
