"""Durations: business days, calendar days and weeks, and business hours."""

from __future__ import annotations

from datetime import datetime

import pytest

from kabinet.lib.business_calendar import BusinessCalendar
from kabinet.lib.promise_detector import detect

CAL = BusinessCalendar()
THU_MORNING = datetime.fromisoformat("2026-11-26T10:00:00+03:00")
FRI_EVENING = datetime.fromisoformat("2026-11-27T19:30:00+03:00")
MON_AFTERNOON = datetime.fromisoformat("2026-12-07T14:00:00+03:00")
BEFORE_NEW_YEAR = datetime.fromisoformat("2026-12-30T11:00:00+03:00")


def due(text: str, now: datetime) -> str:
    found = detect(text, now, CAL)
    assert len(found) == 1, (text, found)
    return found[0].due.isoformat()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("В течение двух рабочих дней пришлём КП.", "2026-11-30T18:00:00+03:00"),
        ("We'll deliver the audit within 3 business days.", "2026-12-01T18:00:00+03:00"),
        ("Исправим ошибки за пять рабочих дней.", "2026-12-03T18:00:00+03:00"),
        ("We'll fix the tracking within 2 working days.", "2026-11-30T18:00:00+03:00"),
        ("Постараемся уложиться в 2 рабочих дня.", "2026-11-30T18:00:00+03:00"),
    ],
)
def test_n_business_days_means_closing_of_the_nth_business_day_after_today(
    text: str, expected: str
) -> None:
    assert due(text, THU_MORNING) == expected


def test_business_days_skip_the_new_year_holidays() -> None:
    text = "We'll deliver the January plan within 2 business days."
    assert due(text, BEFORE_NEW_YEAR) == "2027-01-12T18:00:00+03:00"


def test_calendar_days_and_weeks_count_calendar_days() -> None:
    assert due("Доделаем выгрузку в течение двух дней.", THU_MORNING) == (
        "2026-11-28T18:00:00+03:00"  # a Saturday: it stays, with a day-off warning
    )
    assert due("We will send you the estimate within a week.", THU_MORNING) == (
        "2026-12-03T18:00:00+03:00"
    )
    assert due("Через неделю покажу первые результаты.", THU_MORNING) == (
        "2026-12-03T18:00:00+03:00"
    )


def test_hours_are_business_hours_inside_the_working_day() -> None:
    assert due("I'll get back to you in 2 hours.", THU_MORNING) == "2026-11-26T12:00:00+03:00"
    assert due("Вернусь с ответом через полчаса.", THU_MORNING) == "2026-11-26T10:30:00+03:00"
    assert due("Постараюсь прислать ссылку в течение часа.", THU_MORNING) == (
        "2026-11-26T11:00:00+03:00"
    )


def test_hours_carry_over_closing_into_the_next_business_day() -> None:
    assert due("Через пять часов пришлю выгрузку.", MON_AFTERNOON) == "2026-12-08T10:00:00+03:00"


def test_hours_written_after_closing_start_at_the_next_opening() -> None:
    assert due("I'll get back to you in 2 hours.", FRI_EVENING) == "2026-11-30T11:00:00+03:00"


def test_whole_days_of_hours_are_hours_on_the_clock() -> None:
    assert due("We'll reply within 48 hours.", THU_MORNING) == "2026-11-28T10:00:00+03:00"
