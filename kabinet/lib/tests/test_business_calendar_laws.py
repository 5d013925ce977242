"""Laws of the business calendar, checked with hypothesis on several calendars.

Moscow (RU holidays, no DST), Berlin (DE holidays, DST), New York 10:00–19:00 with a Friday/Saturday
weekend and custom days off, and a Berlin night shift whose working period spans the DST switch.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from kabinet.lib.business_calendar import DEFAULT_TZ, BusinessCalendar

CALENDARS = {
    "moscow_ru": BusinessCalendar(),
    "berlin_de": BusinessCalendar(tz="Europe/Berlin", country="DE"),
    "custom_ny": BusinessCalendar(
        tz="America/New_York",
        start=time(10),
        end=time(19),
        weekend=(4, 5),
        country=None,
        days_off=[date(2026, 3, 9), date(2026, 11, 2), date(2026, 12, 28), date(2027, 1, 3)],
        working_days=[date(2026, 3, 6), date(2026, 11, 6)],
    ),
    "berlin_night": BusinessCalendar(
        tz="Europe/Berlin", start=time(0), end=time(6), weekend=(), country=None
    ),
}

ZONES = [
    UTC,
    DEFAULT_TZ,
    ZoneInfo("Europe/Berlin"),
    ZoneInfo("America/New_York"),
    ZoneInfo("Asia/Kolkata"),
]

laws = settings(max_examples=200, deadline=None)

calendars = st.sampled_from(list(CALENDARS.values()))
instants = st.datetimes(
    min_value=datetime(2025, 1, 1),
    max_value=datetime(2028, 12, 31),
    timezones=st.sampled_from(ZONES),
)
durations = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=150))
small_durations = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=30))
days = st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31))


def utc(at: datetime) -> datetime:
    """Compare instants, not wall clocks (same-zone comparisons in Python ignore DST folds)."""
    return at.astimezone(UTC)


def is_closing_instant(cal: BusinessCalendar, at: datetime) -> bool:
    day = at.astimezone(cal.tz).date()
    return cal.is_business_day(day) and utc(cal.closing_of(day)) == utc(at)


def reference_between(cal: BusinessCalendar, a: datetime, b: datetime) -> timedelta:
    """Day-by-day overlap of [a, b) with each business day's [opening, closing)."""
    total = timedelta(0)
    day = a.astimezone(cal.tz).date() - timedelta(days=1)
    last = b.astimezone(cal.tz).date() + timedelta(days=1)
    while day <= last:
        if cal.is_business_day(day):
            lo = max(utc(cal.opening_of(day)), utc(a))
            hi = min(utc(cal.closing_of(day)), utc(b))
            if hi > lo:
                total += hi - lo
        day += timedelta(days=1)
    return total


@laws
@given(calendars, instants, durations)
def test_adding_then_measuring_gives_back_the_duration(cal, at, d) -> None:
    assert cal.between(at, cal.add(at, d)) == d


@laws
@given(calendars, instants, durations.filter(bool))
def test_add_lands_in_working_time_or_exactly_at_a_closing_instant(cal, at, d) -> None:
    result = cal.add(at, d)
    assert result.tzinfo is cal.tz
    assert cal.is_working_time(result) or is_closing_instant(cal, result)


@laws
@given(calendars, instants, durations.filter(bool))
def test_add_returns_the_earliest_such_instant(cal, at, d) -> None:
    result = cal.add(at, d)
    assert cal.between(at, result - timedelta(microseconds=1)) < d


@laws
@given(calendars, instants, durations, durations)
def test_add_is_monotonic_in_the_duration(cal, at, d1, d2) -> None:
    d1, d2 = sorted((d1, d2))
    assert utc(cal.add(at, d1)) <= utc(cal.add(at, d2))


@laws
@given(calendars, instants, instants, instants)
def test_between_is_additive(cal, a, b, c) -> None:
    assert cal.between(a, b) + cal.between(b, c) == cal.between(a, c)


@laws
@given(calendars, instants, instants)
def test_between_is_antisymmetric(cal, a, b) -> None:
    assert cal.between(a, b) == -cal.between(b, a)


def later(a: datetime, span: timedelta) -> datetime:
    """`span` of real time after `a`. Plain `a + span` is wall-clock arithmetic: it resets `fold`,
    so on an ambiguous DST hour it can land an hour earlier in real time."""
    return (a.astimezone(UTC) + span).astimezone(a.tzinfo)


@laws
@given(calendars, instants, small_durations)
def test_between_agrees_with_a_day_by_day_reference(cal, a, span) -> None:
    b = later(a, span)
    assert cal.between(a, b) == reference_between(cal, a, b)


@laws
@given(calendars, instants, small_durations)
def test_working_intervals_add_up_to_between(cal, a, span) -> None:
    b = later(a, span)
    intervals = list(cal.working_intervals(a, b))
    assert sum((utc(hi) - utc(lo) for lo, hi in intervals), timedelta(0)) == cal.between(a, b)
    for lo, hi in intervals:
        assert utc(a) <= utc(lo) < utc(hi) <= utc(b)
        assert cal.is_working_time(lo)


@laws
@given(calendars, instants)
def test_next_working_instant_is_working_time_and_skips_no_business_time(cal, at) -> None:
    result = cal.next_working_instant(at)
    assert utc(result) >= utc(at)
    assert cal.is_working_time(result)
    assert cal.between(at, result) == timedelta(0)
    if cal.is_working_time(at):
        assert utc(result) == utc(at)


@laws
@given(calendars, instants)
def test_end_of_business_day_is_a_closing_instant_of_a_business_day_not_before_at(cal, at) -> None:
    result = cal.end_of_business_day(at)
    assert utc(result) > utc(at)
    assert is_closing_instant(cal, result)
    # It is the first closing after `at`: the previous business day had already closed.
    day = result.astimezone(cal.tz).date()
    assert utc(cal.closing_of(cal.add_business_days(day, -1))) <= utc(at)


@laws
@given(calendars, st.integers(2025, 2028), st.integers(1, 12), st.integers(1, 23))
def test_nth_business_day_is_a_business_day_in_the_month(cal, year, month, n) -> None:
    count = len(cal.business_days_in_month(year, month))
    for k in (n, -n):
        if n > count:
            continue
        day = cal.nth_business_day(year, month, k)
        assert (day.year, day.month) == (year, month)
        assert cal.is_business_day(day)
    if n <= count:
        first = cal.nth_business_day(year, month, n)
        assert cal.business_days_between(date(year, month, 1) - timedelta(days=1), first) == n


@laws
@given(calendars, days, st.integers(-400, 400))
def test_add_business_days_lands_on_a_business_day_n_business_days_away(cal, day, n) -> None:
    result = cal.add_business_days(day, n)
    assert cal.is_business_day(result)
    if n > 0 or (n < 0 and cal.is_business_day(day)):
        assert cal.business_days_between(day, result) == n
    if n == 0:
        expected = 0 if cal.is_business_day(day) else 1
        assert result >= day and cal.business_days_between(day, result) == expected


@laws
@given(calendars, days, days, days)
def test_business_days_between_is_additive_and_antisymmetric(cal, a, b, c) -> None:
    assert cal.business_days_between(a, b) + cal.business_days_between(b, c) == (
        cal.business_days_between(a, c)
    )
    assert cal.business_days_between(a, b) == -cal.business_days_between(b, a)
