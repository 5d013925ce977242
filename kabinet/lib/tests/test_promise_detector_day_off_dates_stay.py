"""A day the client was given stays that day even when it is a day off; the writer is warned."""

from __future__ import annotations

from datetime import datetime

import pytest

from kabinet.lib.business_calendar import BusinessCalendar
from kabinet.lib.promise_detector import detect

CAL = BusinessCalendar()  # Europe/Moscow, Mon–Fri 09:00–18:00, Russian public holidays
THU_MORNING = datetime.fromisoformat("2026-11-26T10:00:00+03:00")
FRI_EVENING = datetime.fromisoformat("2026-11-27T19:30:00+03:00")
BEFORE_NEW_YEAR = datetime.fromisoformat("2026-12-30T11:00:00+03:00")


def one(text: str, now: datetime):
    found = detect(text, now, CAL)
    assert len(found) == 1, (text, found)
    return found[0]


@pytest.mark.parametrize(
    ("text", "now", "expected"),
    [
        ("Пришлю отчёт завтра.", FRI_EVENING, "2026-11-28T18:00:00+03:00"),
        ("I'll send it tomorrow.", FRI_EVENING, "2026-11-28T18:00:00+03:00"),
        ("Свяжусь с вами послезавтра.", THU_MORNING, "2026-11-28T18:00:00+03:00"),
        ("I'll send the slides by 5 December.", THU_MORNING, "2026-12-05T18:00:00+03:00"),
        ("План на декабрь пришлём до 5-го.", THU_MORNING, "2026-12-05T18:00:00+03:00"),
        ("К пятнице сделаем лендинг.", BEFORE_NEW_YEAR, "2027-01-01T18:00:00+03:00"),
        ("We'll send the banners tomorrow.", BEFORE_NEW_YEAR, "2026-12-31T18:00:00+03:00"),
    ],
)
def test_a_named_day_off_stays_the_day_the_client_was_given_and_is_flagged(
    text: str, now: datetime, expected: str
) -> None:
    promise = one(text, now)
    assert promise.due.isoformat() == expected
    assert promise.warnings == ("day_off",)


def test_an_explicit_time_on_a_day_off_is_kept() -> None:
    promise = one("Выложим новые тексты в субботу до 12:00.", THU_MORNING)
    assert promise.due.isoformat() == "2026-11-28T12:00:00+03:00"
    assert promise.warnings == ("day_off",)


def test_a_business_day_has_no_warning() -> None:
    promise = one("I'll send the report on December 7.", THU_MORNING)
    assert promise.due.isoformat() == "2026-12-07T18:00:00+03:00"
    assert promise.warnings == ()


def test_periods_still_end_on_their_last_business_day_without_a_warning() -> None:
    # «до конца месяца» in December 2026: the 31st is a day off, so the 30th, and no warning.
    promise = one(
        "Пришлю акты до конца месяца.", datetime.fromisoformat("2026-12-02T10:00:00+03:00")
    )
    assert promise.due.isoformat() == "2026-12-30T18:00:00+03:00"
    assert promise.warnings == ()
