"""Bad input gets a clear error; agency settings build a calendar."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from kabinet.lib.business_calendar import DEFAULT_TZ as MSK
from kabinet.lib.business_calendar import BusinessCalendar, from_settings

NAIVE = datetime(2026, 11, 27, 12, 0)
AWARE = datetime(2026, 11, 27, 12, 0, tzinfo=MSK)


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.is_working_time(NAIVE),
        lambda c: c.next_working_instant(NAIVE),
        lambda c: c.add(NAIVE, timedelta(hours=1)),
        lambda c: c.between(NAIVE, AWARE),
        lambda c: c.between(AWARE, NAIVE),
        lambda c: c.end_of_business_day(NAIVE),
        lambda c: c.working_intervals(NAIVE, AWARE),
    ],
)
def test_naive_datetimes_are_rejected_with_a_clear_message(call) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        call(BusinessCalendar())


def test_unknown_country_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown country code 'XX'"):
        BusinessCalendar(country="XX")


def test_lowercase_country_code_is_accepted() -> None:
    assert not BusinessCalendar(country="ru").is_business_day(date(2026, 11, 4))


def test_unknown_time_zone_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        BusinessCalendar(tz="Mars/Olympus")


def test_working_hours_must_start_before_they_end() -> None:
    with pytest.raises(ValueError, match="no business time"):
        BusinessCalendar(start=time(18), end=time(9))
    with pytest.raises(ValueError, match="no business time"):
        BusinessCalendar(start=time(9), end=time(9))


def test_a_week_of_only_weekend_is_an_error() -> None:
    with pytest.raises(ValueError, match="no business days"):
        BusinessCalendar(weekend=range(7))


def test_weekend_days_must_be_weekday_numbers() -> None:
    with pytest.raises(ValueError, match="0 \\(Monday\\)"):
        BusinessCalendar(weekend=(6, 7))


def test_a_date_both_off_and_working_is_an_error() -> None:
    day = date(2026, 12, 30)
    with pytest.raises(ValueError, match="2026-12-30"):
        BusinessCalendar(days_off=[day], working_days=[day])


def test_from_settings_reads_strings() -> None:
    cal = from_settings(
        {
            "tz": "Europe/Berlin",
            "start": "10:00",
            "end": "19:00",
            "weekend": [5, 6],
            "country": "DE",
            "days_off": ["2026-12-31"],
            "working_days": ["2026-12-26"],
        }
    )
    assert cal.tz == ZoneInfo("Europe/Berlin")
    assert (cal.start, cal.end) == (time(10), time(19))
    assert cal.country == "DE"
    assert not cal.is_business_day(date(2026, 12, 31))
    assert cal.is_business_day(date(2026, 12, 26))  # a Saturday and a German holiday


def test_from_settings_accepts_objects_and_fills_defaults() -> None:
    cal = from_settings({"start": time(8), "days_off": [date(2026, 12, 30)], "country": None})
    assert str(cal.tz) == "Europe/Moscow"
    assert (cal.start, cal.end) == (time(8), time(18))
    assert cal.country is None
    assert not cal.is_business_day(date(2026, 12, 30))


def test_from_settings_empty_dict_is_the_default_calendar() -> None:
    cal = from_settings({})
    assert (str(cal.tz), cal.start, cal.end, cal.country) == (
        "Europe/Moscow",
        time(9),
        time(18),
        "RU",
    )
    assert cal.weekend == frozenset({5, 6})


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"start": "nine"}, "start must be a time"),
        ({"days_off": ["31.12.2026"]}, "days_off item must be a date"),
        ({"days_off": "2026-12-31"}, "must be a list"),
        ({"weekend": ["sat"]}, "weekend must be a list"),
        ({"weekends": [5, 6]}, "unknown business-calendar settings: weekends"),
    ],
)
def test_from_settings_bad_values_are_clear_errors(settings: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        from_settings(settings)
