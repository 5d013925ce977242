"""Promised results are flagged as outcomes (expectation risks), not offered as deliverables."""

from __future__ import annotations

from datetime import datetime

import pytest

from kabinet.lib.business_calendar import BusinessCalendar
from kabinet.lib.promise_detector import detect

CAL = BusinessCalendar()
WED = datetime.fromisoformat("2026-12-02T10:00:00+03:00")


def test_top_ten_by_the_end_of_the_quarter_is_an_outcome_due_on_its_last_business_day() -> None:
    [promise] = detect("К концу квартала выведем 20 запросов в топ-10.", WED, CAL)
    assert promise.kind == "outcome"
    assert promise.due.isoformat() == "2026-12-30T18:00:00+03:00"


def test_an_outcome_without_a_time_is_still_flagged() -> None:
    [promise] = detect("We'll double your leads.", WED, CAL)
    assert promise.kind == "outcome"
    assert promise.due is None


def test_a_deliverable_and_an_outcome_in_one_sentence_are_told_apart() -> None:
    text = "Пришлю отчёт по позициям в пятницу, а к концу квартала выведем сайт в топ-10."
    report, outcome = detect(text, WED, CAL)
    assert (report.kind, outcome.kind) == ("deliverable", "outcome")


@pytest.mark.parametrize(
    "text",
    [
        "I'll send the traffic growth report on Friday.",
        "Пришлю отчёт о росте трафика в пятницу.",
    ],
)
def test_a_report_about_a_metric_is_a_deliverable(text: str) -> None:
    [promise] = detect(text, WED, CAL)
    assert promise.kind == "deliverable"


@pytest.mark.parametrize(
    "text",
    [
        "Traffic grew by 20% in November.",
        "Надеемся, что к весне заявок станет больше.",
        "Мы не гарантируем позиции в топе: поисковики меняют алгоритмы.",
        "Can you guarantee sales growth?",
    ],
)
def test_facts_hopes_refusals_and_questions_are_not_outcome_promises(text: str) -> None:
    assert detect(text, WED, CAL) == []
