"""Promises the writer makes for a named teammate: the detector returns the name as written."""

from __future__ import annotations

from datetime import datetime

import pytest

from kabinet.lib.business_calendar import BusinessCalendar
from kabinet.lib.promise_detector import detect

CAL = BusinessCalendar()
WED = datetime.fromisoformat("2026-12-02T10:00:00+03:00")


@pytest.mark.parametrize(
    ("text", "owner", "due"),
    [
        ("Сергей подготовит отчёт к пятнице.", "Сергей", "2026-12-04T18:00:00+03:00"),
        ("Виктория пришлёт ТЗ в понедельник.", "Виктория", "2026-12-07T18:00:00+03:00"),
        ("Отчёт за ноябрь пришлёт Сергей в четверг.", "Сергей", "2026-12-03T18:00:00+03:00"),
        ("Sergey will prepare the report by Friday.", "Sergey", "2026-12-04T18:00:00+03:00"),
        ("Viktoria is sending the spec on Monday.", "Viktoria", "2026-12-07T18:00:00+03:00"),
        (
            "Сергей Соловьёв свяжется с вами завтра в 11:00.",
            "Сергей Соловьёв",
            "2026-12-03T11:00:00+03:00",
        ),
    ],
)
def test_a_named_teammate_is_the_owner(text: str, owner: str, due: str) -> None:
    [promise] = detect(text, WED, CAL)
    assert promise.owner == owner
    assert promise.due.isoformat() == due


def test_an_unusual_name_is_found_when_the_team_is_given() -> None:
    assert detect("Эльвира подготовит отчёт к пятнице.", WED, CAL) == []
    [promise] = detect("Эльвира подготовит отчёт к пятнице.", WED, CAL, names=["Эльвира Гарипова"])
    assert promise.owner == "Эльвира"


def test_a_name_being_addressed_is_not_the_owner() -> None:
    [promise] = detect("Марина, пришлю отчёт завтра.", WED, CAL)
    assert promise.owner is None


def test_two_promises_in_one_sentence_keep_their_own_owners() -> None:
    first, second = detect(
        "Я пришлю смету сегодня, а Виктория подготовит ТЗ к понедельнику.", WED, CAL
    )
    assert (first.owner, second.owner) == (None, "Виктория")


@pytest.mark.parametrize(
    "text",
    [
        "Сергей вчера отправил вам отчёт.",
        "Виктория, пришлите, пожалуйста, доступы до пятницы.",
        "Sergey is on holiday until Monday.",
        "Will Sergey send the report on Friday?",
    ],
)
def test_past_requests_states_and_questions_about_a_person_are_not_promises(text: str) -> None:
    assert detect(text, WED, CAL) == []
