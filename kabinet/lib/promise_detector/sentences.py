"""Sentences and clauses: where the promises are, and the `detect` entry point."""

from __future__ import annotations

import re
from collections.abc import Iterable
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
from kabinet.lib.promise_detector.conditions import client_conditions, condition_text, mask
from kabinet.lib.promise_detector.lexicon import _WORD
from kabinet.lib.promise_detector.model import DAY_OFF, DELIVERABLE, OUTCOME, DetectedPromise
from kabinet.lib.promise_detector.names import known_names
from kabinet.lib.promise_detector.outcomes import is_outcome
from kabinet.lib.promise_detector.resolve import _resolve, falls_on_day_off
from kabinet.lib.promise_detector.third_person import owner_of
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


# A sentence longer than this is not read: nobody promises in a 400-character sentence, and the
# cap keeps the work linear in the length of the text whatever is pasted into it.
MAX_SENTENCE_CHARS = 400
# Nor is a sentence of more than this many clauses (a list of items, not a promise).
MAX_CLAUSES = 10
# The most of one text that is read at all: a promise is made near the top of what people write,
# and the cap bounds the work whatever reaches the detector (the forms allow 100,000 characters).
MAX_TEXT_CHARS = 200_000


def detect(
    text: str,
    now: datetime,
    calendar: BusinessCalendar,
    lang: str | None = None,
    names: Iterable[str] = (),
) -> list[DetectedPromise]:
    """Promises in ``text`` written by agency staff, with due instants and who makes them.

    The writer's own promises (first person, the agency's "we"), and those the writer makes for
    a named person (``names``: the full names of the team, added to a built-in list of common
    first names). ``now`` must be timezone-aware; due instants are in ``calendar.tz``. ``lang``
    is "ru" or "en"; when None it is guessed per sentence. Work is linear in ``len(text)``,
    and only the first ``MAX_TEXT_CHARS`` characters are read.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    text = text[:MAX_TEXT_CHARS]
    known = known_names(names)
    results: list[DetectedPromise] = []
    for s_start, s_end in _spans(_SENTENCE_END, text, 0, len(text)):
        s_start, s_end = _strip_span(text, s_start, s_end)
        if s_start >= s_end or s_end - s_start > MAX_SENTENCE_CHARS:
            continue
        original = text[s_start:s_end]
        if _is_question(original):
            continue
        slang = lang or guess_language(original)
        if _SENTENCE_BLOCK.search(original):
            continue
        # The client's condition is not our promise: cut it out, and carry it on what remains.
        spans = client_conditions(original, slang)
        condition = condition_text(original, spans)
        sentence = mask(original, spans)
        if _CONDITION_ON_CLIENT.search(sentence):
            continue
        if _WEAK_SENTENCE.search(sentence) and not re.search(
            r"[,;]\s*(?:а|но|but)\b", sentence, re.I
        ):
            continue
        found = _in_sentence(text, s_start, sentence, slang, now, calendar, known, condition)
        results.extend(sorted(found, key=lambda p: p.start))
    return results


def _in_sentence(
    text: str,
    offset: int,
    sentence: str,
    slang: str,
    now: datetime,
    calendar: BusinessCalendar,
    known: frozenset[str],
    condition: str | None,
) -> list[DetectedPromise]:
    found: list[DetectedPromise] = []

    def emit(
        a: int, b: int, anchors: list[_Anchor], clause: str, owner: str | None, kind: str
    ) -> None:
        resolved = _resolve(anchors, clause, now, calendar, slang) if anchors else None
        if resolved is None and kind == DELIVERABLE:
            return
        due, rule = resolved if resolved else (None, "")
        warnings = (DAY_OFF,) if due is not None and falls_on_day_off(calendar, rule, due) else ()
        found.append(
            DetectedPromise(
                text[offset + a : offset + b],
                due,
                offset + a,
                offset + b,
                rule,
                owner=owner,
                condition=condition,
                kind=kind,
                warnings=warnings,
            )
        )

    clauses: list[tuple[int, int, str, list[_Anchor]]] = []
    pieces = _spans(_CLAUSE_SPLIT, sentence, 0, len(sentence))
    if len(pieces) > MAX_CLAUSES:
        return found
    for c_start, c_end in pieces:
        c_start, c_end = _strip_span(sentence, c_start, c_end)
        if c_start >= c_end:
            continue
        clause = sentence[c_start:c_end]
        anchors = _find_anchors(clause)
        if clauses and _only_time(clause, anchors):
            # «пришлю в понедельник, 7 декабря»: the date belongs to the previous clause.
            # Its anchors are shifted into the merged clause rather than searched again, so a
            # long run of such pieces stays linear.
            p_start, _p_end, _p_clause, p_anchors = clauses[-1]
            shift = c_start - p_start
            moved = [_Anchor(a.kind, a.start + shift, a.end + shift, a.value) for a in anchors]
            clauses[-1] = (p_start, c_end, sentence[p_start:c_end], p_anchors + moved)
            continue
        clauses.append((c_start, c_end, clause, anchors))

    # Promised results are flagged as outcomes, with or without a time, and read no further.
    deliverables = []
    for c in clauses:
        if is_outcome(c[2], slang):
            emit(c[0], c[1], c[3], c[2], owner_of(c[2], slang, known), OUTCOME)
        else:
            deliverables.append(c)
    clauses = deliverables

    owners = {c[0]: owner_of(c[2], slang, known) for c in clauses}

    def committed(c: tuple[int, int, str, list[_Anchor]]) -> bool:
        return _commitment(c[2], slang) or owners[c[0]] is not None

    timed = [c for c in clauses if c[3]]
    if not timed:
        return found
    if len(timed) == 1:
        # One time expression: the whole sentence is one candidate.
        c = timed[0]
        c_start, c_end, clause, anchors = c
        own = committed(c)
        owner = owners[c_start]
        if not own and _blocked(clause, slang) is None:
            doers = [d for d in clauses if committed(d)]
            own = bool(doers) and not any(_blocked(d[2], slang) for d in doers)
            if own:
                c_start, c_end = 0, len(sentence)
                owner = next((owners[d[0]] for d in doers if owners[d[0]]), None)
        if own and not _blocked(clause, slang):
            emit(c_start, c_end, anchors, clause, owner, DELIVERABLE)
        return found
    # Several timed clauses: each is a candidate; a clause without its own verb inherits
    # the commitment (and the owner) of the previous committed clause («пришлю отчёт сегодня,
    # а план — к пятнице»).
    prev_commit, prev_owner = False, None
    for idx, c in enumerate(clauses):
        c_start, c_end, clause, anchors = c
        own = committed(c)
        blocked = _blocked(clause, slang)
        has_verb = own or _has_finite_verb(clause, slang)
        is_committed = own or (not has_verb and prev_commit)
        owner = owners[c_start] if own else prev_owner
        if not anchors:
            if own and not blocked:
                prev_commit, prev_owner = True, owner
            elif has_verb:
                prev_commit, prev_owner = False, None
            continue
        if not is_committed and not has_verb:
            # «Завтра, как договорились, пришлю»: look ahead for a verb-only clause.
            nxt = clauses[idx + 1] if idx + 1 < len(clauses) else None
            is_committed = bool(nxt and not nxt[3] and committed(nxt))
            if is_committed and nxt is not None:
                owner = owners[nxt[0]]
        if is_committed and not blocked:
            emit(c_start, c_end, anchors, clause, owner, DELIVERABLE)
        if has_verb:
            prev_commit, prev_owner = is_committed and not blocked, owner
    return found
