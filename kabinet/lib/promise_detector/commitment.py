"""Whose commitment a clause is, in either language: hedges, conditions, questions, blockers."""

from __future__ import annotations

import re

from kabinet.lib.promise_detector.en import (
    _EN_COMMIT,
    _EN_FINITE,
    _EN_NEGATION,
    _EN_PAST,
    _OTHER_SUBJECT_EN,
    _en_commitment,
)
from kabinet.lib.promise_detector.lexicon import _WORD
from kabinet.lib.promise_detector.ru import (
    _OTHER_SUBJECT_RU,
    _RU_NEGATION,
    _RU_PAST,
    _ru_commitment,
)

_WEAK_SENTENCE = re.compile(
    r"\b(?:maybe|perhaps|possibly|hopefully|probably|if possible|if we can|ideally|"
    r"возможно|может быть|наверное|вероятно|если получится|если успеем|если повезёт|"
    r"если повезет|по возможности|в идеале)\b",
    re.IGNORECASE,
)
# Modal offers and hedges that make one clause too weak.
_WEAK = re.compile(
    r"\b(?:i|we)\s+(?:could|can|might|may|would)\b|\b(?:i|we)(?:'d|’d)\b|\bmight\b"
    r"|\bmay be able\b|\b(?:попробую|попробуем|могу|можем|смогу ли|может)\b",
    re.IGNORECASE,
)
_TAG_QUESTION = re.compile(
    r"[,\s]+(?:хорошо|ок|окей|ладно|подойд[её]т|устроит|годится|нормально|ok|okay|alright|"
    r"right|fine|does that work(?: for you)?|would that work(?: for you)?|is that ok(?:ay)?|"
    r"sounds good)\s*\?\s*$",
    re.IGNORECASE,
)
_CONDITION_ON_CLIENT = re.compile(
    r"\b(?:if|once|as soon as|when|after|unless|provided)\s+(?:you|your|the client|they)\b"
    r"|\b(?:если|как только|когда|после того как|при условии)\b[^.!?]{0,40}?"
    r"\b(?:вы|вам|ваш\w*|клиент\w*|они)\b",
    re.IGNORECASE,
)
_RECURRING = re.compile(
    r"\b(?:every|each|weekly|monthly|daily|каждый|каждую|каждое|каждые|ежедневно|"
    r"еженедельно|ежемесячно|по (?:понедельникам|вторникам|средам|четвергам|пятницам))\b",
    re.IGNORECASE,
)
_QUESTION_START = re.compile(
    r"^\s*(?:can|could|would|(?:will|shall)(?=\s+(?:you|they|it|we|he|she|the|your|this)\b)|"
    r"should|do|does|did|is|are|when|what|why|how|"
    r"сможете|можете|пришлёте|пришлете|когда|почему|а когда|можно ли|ли)\b",
    re.IGNORECASE,
)


def guess_language(text: str) -> str:
    """'ru' if the text is mostly Cyrillic, else 'en'."""
    cyr = len(re.findall(r"[а-яё]", text, re.IGNORECASE))
    lat = len(re.findall(r"[a-z]", text, re.IGNORECASE))
    return "ru" if cyr >= lat else "en"


def _commitment(clause: str, lang: str) -> bool:
    return _ru_commitment(clause) if lang == "ru" else _en_commitment(clause)


def _blocked(clause: str, lang: str) -> str | None:
    """Why a clause is not a promise of the agency even if it has a time (or None)."""
    if _RECURRING.search(clause):
        return "recurring"
    if _CONDITION_ON_CLIENT.search(clause):
        return "condition"
    if lang == "ru":
        if _RU_NEGATION.search(clause):
            return "negation"
        if _OTHER_SUBJECT_RU.search(clause):
            return "other_subject"
        if _RU_PAST.search(clause):
            return "past"
    else:
        if _EN_NEGATION.search(clause):
            return "negation"
        if _OTHER_SUBJECT_EN.search(clause):
            return "other_subject"
        if _EN_PAST.search(clause) and not _EN_COMMIT.search(clause):
            return "past"
    if _WEAK.search(clause):
        return "weak"
    return None


def _is_question(sentence: str) -> bool:
    s = _TAG_QUESTION.sub(".", sentence.rstrip())
    return s.endswith("?") or (bool(_QUESTION_START.match(s)) and not s.endswith((".", "!")))


def _has_finite_verb(clause: str, lang: str) -> bool:
    if lang == "en":
        return bool(_EN_FINITE.search(clause))
    words = [w.lower() for w in _WORD.findall(clause)]
    return any(
        w in ("вы", "они", "он", "она", "я", "мы", "будет", "будут", "был", "была", "было")
        or re.search(r"(ли|ла|ло|ете|ёте|ите|ут|ют|ат|ят|ет|ёт|ит)$", w)
        and len(w) > 4
        and not re.search(r"(ели|ели)$", w)
        for w in words
    )
