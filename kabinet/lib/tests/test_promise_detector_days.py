"""Named days resolve to the closing of that day; a named day that is a day off stays (see
test_promise_detector_day_off_dates_stay.py)."""

from __future__ import annotations

from datetime import datetime

import pytest

from kabinet.lib.business_calendar import BusinessCalendar
from kabinet.lib.promise_detector import detect

CAL = BusinessCalendar()  # Europe/Moscow, Mon–Fri 09:00–18:00, Russian public holidays
THU_MORNING = datetime.fromisoformat("2026-11-26T10:00:00+03:00")
FRI_EVENING = datetime.fromisoformat("2026-11-27T19:30:00+03:00")
FRI_MORNING = datetime.fromisoformat("2026-11-27T10:00:00+03:00")
BEFORE_NEW_YEAR = datetime.fromisoformat("2026-12-30T11:00:00+03:00")
SATURDAY = datetime.fromisoformat("2026-12-05T12:00:00+03:00")


def due(text: str, now: datetime) -> str:
    found = detect(text, now, CAL)
    assert len(found) == 1, (text, found)
    return found[0].due.isoformat()


@pytest.mark.parametrize(
    "text",
    [
        "Пришлю отчёт до конца дня.",
        "I'll send the report by EOD.",
        "Will send it by end of day.",
        "Сегодня отправлю счёт.",
        "I'll send the final copy today.",
        "Скину всё сегодня вечером.",
    ],
)
def test_end_of_day_and_today_mean_closing_of_the_current_business_day(text: str) -> None:
    assert due(text, THU_MORNING) == "2026-11-26T18:00:00+03:00"


def test_end_of_day_after_closing_moves_to_next_business_day() -> None:
    assert due("До конца дня отправим счёт.", FRI_EVENING) == "2026-11-30T18:00:00+03:00"


def test_today_on_a_weekend_means_the_next_business_day() -> None:
    assert due("I'll send the link today.", SATURDAY) == "2026-12-07T18:00:00+03:00"


def test_tomorrow_is_closing_of_the_next_calendar_day_when_it_is_a_business_day() -> None:
    assert due("Завтра подготовим план.", THU_MORNING) == "2026-11-27T18:00:00+03:00"
    assert due("We will prepare the plan tomorrow.", THU_MORNING) == "2026-11-27T18:00:00+03:00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("К пятнице сделаем баннеры.", "2026-11-27T18:00:00+03:00"),
        ("I'll send it by Friday.", "2026-11-27T18:00:00+03:00"),
        ("Отчёт будет готов к среде.", "2026-12-02T18:00:00+03:00"),
        ("We're going to launch the campaign on Monday.", "2026-11-30T18:00:00+03:00"),
        ("Статьи опубликуем не позднее пятницы.", "2026-11-27T18:00:00+03:00"),
    ],
)
def test_a_weekday_means_closing_of_its_next_occurrence(text: str, expected: str) -> None:
    assert due(text, THU_MORNING) == expected


def test_the_weekday_of_today_means_today_while_the_day_is_open() -> None:
    assert due("I'll send it by Friday.", FRI_MORNING) == "2026-11-27T18:00:00+03:00"


def test_the_weekday_of_today_after_closing_means_next_week() -> None:
    assert due("We'll send the report by Friday.", FRI_EVENING) == "2026-12-04T18:00:00+03:00"


def test_next_weekday_means_that_weekday_of_next_week() -> None:
    assert due("Мы запустим ретаргетинг в следующий вторник.", THU_MORNING) == (
        "2026-12-01T18:00:00+03:00"
    )
    assert due("We'll roll out the changes next Tuesday.", THU_MORNING) == (
        "2026-12-01T18:00:00+03:00"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Подготовим аудит до 15 декабря.", "2026-12-15T18:00:00+03:00"),
        ("We'll send the audit by December 15.", "2026-12-15T18:00:00+03:00"),
        ("We'll deliver the first draft by Dec 3rd.", "2026-12-03T18:00:00+03:00"),
        ("Разместим баннеры 10.12.", "2026-12-10T18:00:00+03:00"),
    ],
)
def test_an_absolute_date_means_closing_of_that_business_day(text: str, expected: str) -> None:
    assert due(text, THU_MORNING) == expected


def test_a_date_without_year_already_passed_means_next_year_when_it_is_near() -> None:
    assert due("Отправлю акт до 20 января.", THU_MORNING) == "2027-01-20T18:00:00+03:00"


def test_a_date_just_passed_is_not_a_promise() -> None:
    assert detect("We'll send it by November 20.", THU_MORNING, CAL) == []


def test_a_day_of_month_means_its_next_occurrence() -> None:
    assert due("We'll deliver the content plan by the 10th.", THU_MORNING) == (
        "2026-12-10T18:00:00+03:00"
    )
    assert due("План на декабрь пришлём до 10-го.", THU_MORNING) == "2026-12-10T18:00:00+03:00"
