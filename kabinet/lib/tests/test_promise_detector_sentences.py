"""A text is split into sentences and clauses; each promise carries its quote and offsets."""

from __future__ import annotations

from datetime import datetime

import pytest

from kabinet.lib.business_calendar import BusinessCalendar
from kabinet.lib.promise_detector import DetectedPromise, detect, guess_language

CAL = BusinessCalendar()
NOW = datetime.fromisoformat("2026-11-26T10:00:00+03:00")


def test_a_promise_has_quote_offsets_rule_and_an_aware_due_in_the_calendar_zone() -> None:
    text = "Марина, добрый день! Пришлю отчёт до конца дня."
    [p] = detect(text, NOW, CAL)
    assert isinstance(p, DetectedPromise)
    assert text[p.start : p.end] == p.quote
    assert "Пришлю отчёт" in p.quote and "Марина" not in p.quote
    assert p.due.tzinfo is not None and p.due.utcoffset() == CAL.tz.utcoffset(p.due)
    assert p.rule == "eod"


def test_two_promises_in_one_sentence_are_offered_separately() -> None:
    text = "Сегодня пришлю отчёт, а план — к понедельнику."
    found = detect(text, NOW, CAL)
    assert [p.due.isoformat() for p in found] == [
        "2026-11-26T18:00:00+03:00",
        "2026-11-30T18:00:00+03:00",
    ]
    assert "план" in found[1].quote and "отчёт" not in found[1].quote


def test_an_english_clause_without_its_own_verb_inherits_the_commitment() -> None:
    found = detect("We'll send the report today and the media plan by Monday.", NOW, CAL)
    assert len(found) == 2
    assert "media plan" in found[1].quote


def test_promises_in_several_sentences_are_all_found() -> None:
    text = (
        "Thanks for the call. I'll send the summary tomorrow.\n"
        "We sent the draft yesterday; we'll send the final version by Friday."
    )
    found = detect(text, NOW, CAL)
    assert [p.due.date().isoformat() for p in found] == ["2026-11-27", "2026-11-27"]
    assert all(text[p.start : p.end] == p.quote for p in found)


def test_only_our_half_of_a_mixed_sentence_is_a_promise() -> None:
    text = "Вы пришлёте доступы до среды, а мы настроим кампанию к пятнице."
    [p] = detect(text, NOW, CAL)
    assert "настроим" in p.quote and p.due.isoformat() == "2026-11-27T18:00:00+03:00"


def test_a_tag_question_does_not_hide_a_promise() -> None:
    [p] = detect("Пришлю смету завтра, хорошо?", NOW, CAL)
    assert p.due.isoformat() == "2026-11-27T18:00:00+03:00"


def test_the_language_is_guessed_per_sentence_or_can_be_forced() -> None:
    assert guess_language("Пришлю завтра") == "ru"
    assert guess_language("I'll send it tomorrow") == "en"
    assert len(detect("Пришлю отчёт завтра.", NOW, CAL, lang="ru")) == 1


def test_a_naive_now_is_rejected() -> None:
    with pytest.raises(ValueError, match="aware"):
        detect("Пришлю завтра.", datetime(2026, 11, 26, 10), CAL)


def test_empty_text_has_no_promises() -> None:
    assert detect("", NOW, CAL) == []
    assert detect("   \n  ", NOW, CAL) == []
