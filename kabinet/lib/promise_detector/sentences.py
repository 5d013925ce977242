"""Sentences and clauses: where the promises are, and the `detect` entry point."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from kabinet.lib.promise_detector.commitment import (
    _CONDITION_ON_CLIENT,
    _WEAK_SENTENCE,
    _blocked,
    _commitment,
    _has_finite_verb,
    _is_question,
    guess_language,
)
from kabinet.lib.promise_detector.lexicon import _WORD
from kabinet.lib.promise_detector.model import DetectedPromise
from kabinet.lib.promise_detector.resolve import _resolve
from kabinet.lib.promise_detector.times import _Anchor, _find_anchors

if TYPE_CHECKING:
    from kabinet.lib.business_calendar import BusinessCalendar

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+|(?<=[.!?])(?=[A-ZА-ЯЁ])")
_CLAUSE_SPLIT = re.compile(
    r"\s*;\s*|\s+[—–-]\s+(?=(?:а|и|но|and|but|then|потом|затем)\b)"
    r"|,\s*(?=(?:а|но|and|but|then|and then|while|whereas|потом|затем|плюс|а также)\b)"
    r"|\s+(?=(?:а|но|but|and|и)\s+(?:i|we|я|мы)(?:'ll|’ll|'m|'re)?\b)"
    r"|\s+(?=(?:а|но|but|and|и)\s+(?:[а-яёa-z'’]+\s+){0,3}?(?:"
    r"tomorrow|today|by|within|next|on|завтра|сегодня|к|до|в течение|на следующей|через|"
    r"in)\b)"
    r"|,(?!\s*\d)\s*",
    re.IGNORECASE,
)
_FILLER = set("at on in by до к в во на — – - the a and и а".split())
_SENTENCE_BLOCK = re.compile(
    r"\bне обеща\w*|\bне гарантир\w*|\b(?:can't|cannot|can not|won't)\s+(?:promise|guarantee)\b"
    r"|\bno promises\b|\bnot promising\b",
    re.IGNORECASE,
)


def _only_time(clause: str, anchors: list[_Anchor]) -> bool:
    """True if the clause is nothing but time expressions («, 7 декабря», ", at 3pm")."""
    rest = list(clause)
    for a in anchors:
        rest[a.start : a.end] = [" "] * (a.end - a.start)
    words = [w.lower() for w in _WORD.findall("".join(rest))]
    return bool(anchors) and all(w in _FILLER for w in words)


def _spans(pattern: re.Pattern[str], text: str, start: int, end: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = start
    for m in pattern.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return out


def _strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " \t\r\n,;:—–-\"'«»()":
        s += 1
    while e > s and text[e - 1] in " \t\r\n,;:—–-\"'«»(":
        e -= 1
    return s, e


def detect(
    text: str, now: datetime, calendar: BusinessCalendar, lang: str | None = None
) -> list[DetectedPromise]:
    """Promises made by the writer (first person / agency "we") in ``text``, with due instants.

    ``now`` must be timezone-aware; due instants are in ``calendar.tz``. ``lang`` is "ru" or
    "en"; when None it is guessed per sentence.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    results: list[DetectedPromise] = []
    for s_start, s_end in _spans(_SENTENCE_END, text, 0, len(text)):
        s_start, s_end = _strip_span(text, s_start, s_end)
        if s_start >= s_end:
            continue
        sentence = text[s_start:s_end]
        if _is_question(sentence):
            continue
        slang = lang or guess_language(sentence)
        if _CONDITION_ON_CLIENT.search(sentence) or _SENTENCE_BLOCK.search(sentence):
            continue
        if _WEAK_SENTENCE.search(sentence) and not re.search(
            r"[,;]\s*(?:а|но|but)\b", sentence, re.I
        ):
            continue
        clauses: list[tuple[int, int, str, list[_Anchor]]] = []
        for c_start, c_end in _spans(_CLAUSE_SPLIT, text, s_start, s_end):
            c_start, c_end = _strip_span(text, c_start, c_end)
            if c_start >= c_end:
                continue
            clause = text[c_start:c_end]
            anchors = _find_anchors(clause)
            if clauses and _only_time(clause, anchors):
                # «пришлю в понедельник, 7 декабря»: the date belongs to the previous clause.
                p_start = clauses[-1][0]
                clause = text[p_start:c_end]
                clauses[-1] = (p_start, c_end, clause, _find_anchors(clause))
                continue
            clauses.append((c_start, c_end, clause, anchors))
        timed = [c for c in clauses if c[3]]
        if not timed:
            continue
        if len(timed) == 1:
            # One time expression: the whole sentence is one candidate.
            c_start, c_end, clause, anchors = timed[0]
            own = _commitment(clause, slang)
            if not own and _blocked(clause, slang) is None:
                own = any(_commitment(c[2], slang) for c in clauses) and not any(
                    _blocked(c[2], slang) for c in clauses if _commitment(c[2], slang)
                )
                if own:
                    c_start, c_end = s_start, s_end
            if not own or _blocked(clause, slang):
                continue
            resolved = _resolve(anchors, clause, now, calendar, slang)
            if resolved is None:
                continue
            results.append(
                DetectedPromise(text[c_start:c_end], resolved[0], c_start, c_end, resolved[1])
            )
            continue
        # Several timed clauses: each is a candidate; a clause without its own verb inherits
        # the commitment of the previous committed clause («пришлю отчёт сегодня, а план — к
        # пятнице»).
        prev_commit = False
        for idx, (c_start, c_end, clause, anchors) in enumerate(clauses):
            own = _commitment(clause, slang)
            blocked = _blocked(clause, slang)
            has_verb = own or _has_finite_verb(clause, slang)
            committed = own or (not has_verb and prev_commit)
            if not anchors:
                if own and not blocked:
                    prev_commit = True
                elif has_verb:
                    prev_commit = False
                continue
            if not committed and not has_verb:
                # «Завтра, как договорились, пришлю»: look ahead for a verb-only clause.
                nxt = clauses[idx + 1] if idx + 1 < len(clauses) else None
                committed = bool(nxt and not nxt[3] and _commitment(nxt[2], slang))
            if committed and not blocked:
                resolved = _resolve(anchors, clause, now, calendar, slang)
                if resolved is not None:
                    results.append(
                        DetectedPromise(clause, resolved[0], c_start, c_end, resolved[1])
                    )
            if has_verb:
                prev_commit = committed and not blocked
    return results
