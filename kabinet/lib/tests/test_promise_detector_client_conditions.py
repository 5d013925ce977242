"""The client's own conditions are not our promises; a promise that depends on one carries it."""

from __future__ import annotations

from datetime import datetime

import pytest

from kabinet.lib.business_calendar import BusinessCalendar
from kabinet.lib.promise_detector import detect

CAL = BusinessCalendar()
WED = datetime.fromisoformat("2026-12-02T10:00:00+03:00")


@pytest.mark.parametrize(
    ("text", "quote", "condition", "due"),
    [
        (
            "Если вы согласуете макеты до среды, запустим рекламу в пятницу.",
            "запустим рекламу в пятницу",
            "Если вы согласуете макеты до среды",
            "2026-12-04T18:00:00+03:00",
        ),
        (
            "If you approve the mock-ups by Wednesday, we'll launch the ads on Friday.",
            "we'll launch the ads on Friday",
            "If you approve the mock-ups by Wednesday",
            "2026-12-04T18:00:00+03:00",
        ),
        (
            "Пришлём отчёт завтра, если вы дадите доступ к рекламному кабинету сегодня.",
            "Пришлём отчёт завтра",
            "если вы дадите доступ к рекламному кабинету сегодня",
            "2026-12-03T18:00:00+03:00",
        ),
    ],
)
def test_the_promise_keeps_its_own_date_and_carries_the_condition(
    text: str, quote: str, condition: str, due: str
) -> None:
    [promise] = detect(text, WED, CAL)
    assert promise.quote.rstrip(".") == quote
    assert promise.condition == condition
    assert promise.due.isoformat() == due  # not the client's Wednesday


@pytest.mark.parametrize(
    "text",
    [
        "Если вы согласуете макеты до среды, будет здорово.",
        "If you need anything before Friday, just let me know.",
        "If you pay the invoice by December 5, the discount still applies.",
    ],
)
def test_a_condition_alone_promises_nothing(text: str) -> None:
    assert detect(text, WED, CAL) == []


def test_an_unconditional_promise_has_no_condition() -> None:
    [promise] = detect("Пришлю отчёт в пятницу.", WED, CAL)
    assert promise.condition is None
