"""Promises made for a named member of the team: «Сергей подготовит отчёт к пятнице», "Viktoria
will send the spec on Monday".

The detector only says *who is named* (as written, with a surname when one follows); matching
the name to a member of the project's team is the product's job.
"""

from __future__ import annotations

import re

from kabinet.lib.promise_detector.en import _EN_NOT_DELIVERY
from kabinet.lib.promise_detector.ru import _RU_FIRST_PERSON, _RU_IMPERFECTIVE

_TOKEN = re.compile(r"[A-Za-zА-Яа-яЁё][A-Za-zА-Яа-яЁё'’\-]*")


def _third(word: str) -> str | None:
    for first, third in (
        ("емся", "ется"),
        ("имся", "ится"),
        ("ёмся", "ётся"),
        ("ем", "ет"),
        ("им", "ит"),
        ("ём", "ёт"),
    ):
        if word.endswith(first):
            return word[: -len(first)] + third
    return None


# 3rd-person singular forms of the verbs staff promise with (from the 1st-person plural ones).
_RU_THIRD = frozenset(
    {t.replace("ё", "е") for w in _RU_FIRST_PERSON if (t := _third(w))}
    | {
        "даст",
        "передаст",
        "создаст",
        "продаст",
        "допишет",
        "напишет",
        "скинет",
        "пришлет",
        "вышлет",
    }
) - {"будет", "работает", "хочет", "может", "сможет", "ждет", "думает", "считает"}
_RU_PERF_THIRD = re.compile(
    r"^(пере|при|под|от|вы|за|на|по|про|об|обо|до|из|ис|раз|рас|с|со|у|вз|вс|в)[а-я]{3,}"
    r"(ит|ет|ится|ется)$"
)
_RU_PRESENT_OK = re.compile(r"(?:ит|ет|ится|ется)$")


def _ru_verb(word: str) -> bool:
    w = word.lower().replace("ё", "е")
    if w in _RU_THIRD:
        return True
    if _RU_PERF_THIRD.match(w) and not _RU_IMPERFECTIVE.search(w[:-1] + "ю"):
        return not re.search(r"(?:а|я)(?:ет|ется)$", w)
    return False


def _is_name(token: str, known: frozenset[str]) -> bool:
    return (
        token[:1].isupper()
        and token.casefold().replace("ё", "е") in known
        or (token[:1].isupper() and token.casefold() in known)
    )


def _name_at(tokens: list[re.Match[str]], i: int, known: frozenset[str]) -> str | None:
    """The name starting at token i (with a capitalised surname after it), or None."""
    if not _is_name(tokens[i].group(), known):
        return None
    name = tokens[i].group()
    if i + 1 < len(tokens):
        nxt = tokens[i + 1].group()
        if nxt[:1].isupper() and not _ru_verb(nxt) and not _is_name(nxt, known):
            name = f"{name} {nxt}"
    return name


def ru_owner(clause: str, known: frozenset[str]) -> str | None:
    """The named person who promises in a Russian clause (subject of a 3rd-person verb)."""
    tokens = list(_TOKEN.finditer(clause))
    for i, tok in enumerate(tokens):
        if not _ru_verb(tok.group()):
            continue
        # «Сергей (Соловьёв) (завтра) подготовит …»: a name up to three words before the verb.
        for j in range(i - 1, max(-1, i - 4), -1):
            name = _name_at(tokens, j, known)
            if name:
                return name
        # «Отчёт пришлёт Сергей …»: the name right after the verb.
        if i + 1 < len(tokens):
            name = _name_at(tokens, i + 1, known)
            if name:
                return name
    return None


_EN_WILL = re.compile(
    r"(?:'ll|’ll|\s+will|\s+shall|\s+is\s+going\s+to|'s\s+going\s+to|’s\s+going\s+to)"
    r"(?:\s+(?:also|then|definitely|personally|quickly))?\s+(?!" + _EN_NOT_DELIVERY + r"|not\b)"
    r"[a-z]+"
    r"|\s+is\s+(?!going\b)[a-z]+ing\b",
    re.IGNORECASE,
)


def en_owner(clause: str, known: frozenset[str]) -> str | None:
    """The named person who promises in an English clause ("Sergey will send …")."""
    tokens = list(_TOKEN.finditer(clause))
    for i, tok in enumerate(tokens):
        raw = tok.group()
        base = re.sub(r"(?:'ll|’ll|'s|’s)$", "", raw)
        if not (base[:1].isupper() and base.casefold() in known):
            continue
        name, last = base, tok
        if base == raw and i + 1 < len(tokens):
            nxt = tokens[i + 1].group()
            nbase = re.sub(r"(?:'ll|’ll|'s|’s)$", "", nxt)
            if nbase[:1].isupper() and clause[tok.end() : tokens[i + 1].start()].strip() == "":
                name, last = f"{base} {nbase}", tokens[i + 1]
        after = clause[last.start() + len(re.sub(r"(?:'ll|’ll|'s|’s)$", "", last.group())) :]
        if _EN_WILL.match(after):
            return name
    return None


def owner_of(clause: str, lang: str, known: frozenset[str]) -> str | None:
    return ru_owner(clause, known) if lang == "ru" else en_owner(clause, known)
