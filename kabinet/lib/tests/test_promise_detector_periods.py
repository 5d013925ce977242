"""Periods: this week, next week, early next week, end of month, next month."""

from __future__ import annotations

from datetime import datetime

from kabinet.lib.business_calendar import BusinessCalendar
from kabinet.lib.promise_detector import detect

CAL = BusinessCalendar()
THU_MORNING = datetime.fromisoformat("2026-11-26T10:00:00+03:00")
FRI_EVENING = datetime.fromisoformat("2026-11-27T19:30:00+03:00")
TUE_MORNING = datetime.fromisoformat("2026-12-01T09:30:00+03:00")
BEFORE_NEW_YEAR = datetime.fromisoformat("2026-12-30T11:00:00+03:00")


def due(text: str, now: datetime) -> str:
    found = detect(text, now, CAL)
    assert len(found) == 1, (text, found)
    return found[0].due.isoformat()


def test_end_of_week_means_the_last_business_day_of_this_week() -> None:
    assert due("Мы пришлём ядро до конца недели.", THU_MORNING) == "2026-11-27T18:00:00+03:00"
    assert due("We'll finish the CRM integration this week.", TUE_MORNING) == (
        "2026-12-04T18:00:00+03:00"
    )


def test_end_of_week_after_the_week_closed_means_end_of_next_week() -> None:
    assert due("I'll send it by the end of the week.", FRI_EVENING) == "2026-12-04T18:00:00+03:00"


def test_next_week_means_the_last_business_day_of_next_week() -> None:
    assert due("На следующей неделе запустим кампанию.", THU_MORNING) == (
        "2026-12-04T18:00:00+03:00"
    )
    assert due("We will have the audit ready next week.", THU_MORNING) == (
        "2026-12-04T18:00:00+03:00"
    )


def test_next_week_without_business_days_means_the_first_business_day_after_it() -> None:
    assert due("We'll launch the sale next week.", BEFORE_NEW_YEAR) == "2027-01-11T18:00:00+03:00"


def test_early_next_week_means_the_first_business_day_of_next_week() -> None:
    assert due("В начале следующей недели отправим договор.", THU_MORNING) == (
        "2026-11-30T18:00:00+03:00"
    )


def test_end_of_month_skips_a_day_off_on_the_last_day() -> None:
    # 2026-12-31 is a day off in Russia.
    assert due("Сделаем всё до конца месяца.", TUE_MORNING) == "2026-12-30T18:00:00+03:00"


def test_next_month_means_the_last_business_day_of_next_month() -> None:
    assert due("Согласуем креативы в следующем месяце.", BEFORE_NEW_YEAR) == (
        "2027-01-29T18:00:00+03:00"
    )
