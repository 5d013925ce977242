"""Whatever is pasted, the detector's work grows linearly with the text (counted, not timed)."""

from __future__ import annotations

from datetime import datetime

import pytest

from kabinet.lib.business_calendar import BusinessCalendar
from kabinet.lib.promise_detector import detect, sentences, times

CAL = BusinessCalendar()
WED = datetime.fromisoformat("2026-12-02T10:00:00+03:00")


def anchor_searches(text: str, monkeypatch: pytest.MonkeyPatch) -> int:
    calls = {"n": 0, "chars": 0}
    real = times._find_anchors

    def counting(clause: str):
        calls["n"] += 1
        calls["chars"] += len(clause)
        return real(clause)

    monkeypatch.setattr(sentences, "_find_anchors", counting)
    detect(text, WED, CAL)
    return calls["chars"]


@pytest.mark.parametrize(
    "piece",
    [
        "завтра, " * 9 + ". ",
        "к пятнице " * 30 + ". ",
        "Пришлю отчёт завтра, а план к пятнице. ",
    ],
)
def test_twice_the_text_is_twice_the_work(piece: str, monkeypatch: pytest.MonkeyPatch) -> None:
    once = anchor_searches(piece * 50, monkeypatch)
    twice = anchor_searches(piece * 100, monkeypatch)
    assert once > 0
    assert twice == 2 * once


def test_a_sentence_too_long_to_be_a_promise_is_not_read() -> None:
    text = "Пришлю отчёт завтра " + "и ещё кое-что " * 40 + "."
    assert len(text) > sentences.MAX_SENTENCE_CHARS
    assert detect(text, WED, CAL) == []
