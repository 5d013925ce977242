"""Does a name written in a text mean this person? «Сергей», "Sergey", «Серёжа» and "Sergei" are
all Сергей Соловьёв; «Вика» and "Victoria" are Виктория Лебедева.

Names are compared as a Latin skeleton (a simple transliteration, then the spellings that differ
between transliteration schemes folded together: y/j/i, kh/h, x/ks, doubled letters), with the
everyday short forms of common Russian first names. Pure Python, no Django.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

_CYR = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "sch",
    "ъ": "",
    "ы": "i",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
}  # fmt: skip  (a transliteration table reads best as a table)

# Everyday short forms → the full first name (Russian; the Latin spellings follow by skeleton).
_SHORT = {
    "вика": "виктория",
    "серёжа": "сергей",
    "сережа": "сергей",
    "саша": "александр",
    "дима": "дмитрий",
    "миша": "михаил",
    "паша": "павел",
    "женя": "евгений",
    "костя": "константин",
    "лёша": "алексей",
    "леша": "алексей",
    "вова": "владимир",
    "коля": "николай",
    "петя": "пётр",
    "катя": "екатерина",
    "маша": "мария",
    "настя": "анастасия",
    "оля": "ольга",
    "лена": "елена",
    "таня": "татьяна",
    "юля": "юлия",
    "даша": "дарья",
    "аня": "анна",
    "ира": "ирина",
    "наташа": "наталья",
    "света": "светлана",
    "ксюша": "ксения",
    "лиза": "елизавета",
    "соня": "софья",
}


def skeleton(word: str) -> str:
    """A spelling-independent key for one name («Виктория», "Viktoriya", "Victoria" → viktoria)."""
    w = "".join(_CYR.get(ch, ch) for ch in word.casefold() if ch.isalpha() or ch in _CYR)
    for a, b in (
        ("kh", "h"),
        ("x", "ks"),
        ("ck", "k"),
        ("c", "k"),
        ("w", "v"),
        ("ph", "f"),
        ("y", "i"),
        ("j", "i"),
        ("ie", "e"),
        ("ei", "i"),
        ("yo", "e"),
        ("io", "e"),
    ):
        w = w.replace(a, b)
    out: list[str] = []
    for ch in w:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


_SHORT_SKELETONS = {skeleton(k): skeleton(v) for k, v in _SHORT.items()}


def _first(word: str) -> str:
    s = skeleton(word)
    return _SHORT_SKELETONS.get(s, s)


def same_person(named: str, full_name: str) -> bool:
    """True when ``named`` (as written in a text: a first name, maybe with the surname) can mean
    the person called ``full_name``."""
    words = named.split()
    parts = full_name.split()
    if not words or not parts:
        return False
    if _first(words[0]) != _first(parts[0]):
        return False
    if len(words) > 1:
        return len(parts) > 1 and skeleton(words[1]) == skeleton(parts[1])
    return True


T = TypeVar("T")


def match(named: str, people: Iterable[tuple[str, T]]) -> T | None:
    """The one person among ``(full_name, person)`` pairs that ``named`` means; None when nobody
    or more than one matches (an ambiguous name is not guessed)."""
    hits = [person for full_name, person in people if same_person(named, full_name)]
    return hits[0] if len(hits) == 1 else None
