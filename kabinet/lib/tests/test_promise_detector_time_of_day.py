"""Times of day: explicit clock times, before lunch (13:00), noon and morning (12:00)."""

from __future__ import annotations

from datetime import datetime

import pytest

from kabinet.lib.business_calendar import BusinessCalendar
from kabinet.lib.promise_detector import detect

CAL = BusinessCalendar()
THU_MORNING = datetime.fromisoformat("2026-11-26T10:00:00+03:00")
FRI_EVENING = datetime.fromisoformat("2026-11-27T19:30:00+03:00")
MON_AFTERNOON = datetime.fromisoformat("2026-12-07T14:00:00+03:00")


def due(text: str, now: datetime) -> str:
    found = detect(text, now, CAL)
    assert len(found) == 1, (text, found)
    return found[0].due.isoformat()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Сегодня до 15:00 отправлю доступы.", "2026-11-26T15:00:00+03:00"),
        ("I'm going to upload the creatives by 3pm.", "2026-11-26T15:00:00+03:00"),
        ("Обновлю цены в фиде до 17 часов.", "2026-11-26T17:00:00+03:00"),
        ("Скину правки до обеда.", "2026-11-26T13:00:00+03:00"),
        ("You'll have the invoice by noon.", "2026-11-26T12:00:00+03:00"),
    ],
)
def test_a_time_of_day_without_a_day_means_today(text: str, expected: str) -> None:
    assert due(text, THU_MORNING) == expected


def test_tomorrow_before_lunch_means_tomorrow_at_13() -> None:
    assert due("Пришлю обновлённый план завтра до обеда.", THU_MORNING) == (
        "2026-11-27T13:00:00+03:00"
    )
    assert due("I'll share the plan tomorrow before lunch.", THU_MORNING) == (
        "2026-11-27T13:00:00+03:00"
    )


def test_morning_means_noon_of_that_day() -> None:
    assert due("Завтра утром скину ссылку.", THU_MORNING) == "2026-11-27T12:00:00+03:00"
    assert due("Expect the draft from us tomorrow morning.", THU_MORNING) == (
        "2026-11-27T12:00:00+03:00"
    )


def test_a_clock_time_combines_with_a_day() -> None:
    assert due("Завтра к 11:00 пришлю черновик.", THU_MORNING) == "2026-11-27T11:00:00+03:00"
    assert due("I will call you on Monday at 10am.", FRI_EVENING) == "2026-11-30T10:00:00+03:00"
    assert due("Завтра в 10 утра отправлю отчёт.", THU_MORNING) == "2026-11-27T10:00:00+03:00"


def test_a_time_already_passed_today_means_that_time_next_business_day() -> None:
    assert due("Пришлю правки до обеда.", MON_AFTERNOON) == "2026-12-08T13:00:00+03:00"
    assert due("До 15:00 пришлю счёт.", FRI_EVENING) == "2026-11-30T15:00:00+03:00"
