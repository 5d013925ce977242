"""'Within 24 hours' is 24 hours on the clock; shorter spans stay in business hours."""

from __future__ import annotations

from datetime import datetime

import pytest

from kabinet.lib.business_calendar import BusinessCalendar
from kabinet.lib.promise_detector import detect

CAL = BusinessCalendar()
WED_MORNING = datetime.fromisoformat("2026-12-02T10:00:00+03:00")
FRI_MORNING = datetime.fromisoformat("2026-12-04T10:00:00+03:00")
FRI_LATE = datetime.fromisoformat("2026-12-04T17:00:00+03:00")


def one(text: str, now: datetime):
    found = detect(text, now, CAL)
    assert len(found) == 1, (text, found)
    return found[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We'll respond within 24 hours.", "2026-12-03T10:00:00+03:00"),
        ("Ответим в течение 24 часов.", "2026-12-03T10:00:00+03:00"),
        ("Пришлю исправленный фид в течение суток.", "2026-12-03T10:00:00+03:00"),
        ("Отвечу на все вопросы в течение двух суток.", "2026-12-04T10:00:00+03:00"),
        ("I'll send the fixed feed within a 24-hour window.", "2026-12-03T10:00:00+03:00"),
    ],
)
def test_a_day_or_more_of_hours_is_counted_on_the_clock(text: str, expected: str) -> None:
    promise = one(text, WED_MORNING)
    assert promise.due.isoformat() == expected
    assert promise.rule == "hours_clock"


def test_twenty_four_hours_from_friday_is_saturday_and_warns_of_the_day_off() -> None:
    promise = one("We'll restore access to the site within 24 hours.", FRI_MORNING)
    assert promise.due.isoformat() == "2026-12-05T10:00:00+03:00"
    assert promise.warnings == ("day_off",)


def test_a_few_hours_are_still_business_hours() -> None:
    assert one("I'll call you back within two hours.", FRI_LATE).due.isoformat() == (
        "2026-12-07T10:00:00+03:00"
    )
