"""Words shared by both languages: numbers, weekdays, months, what a word is."""

from __future__ import annotations

import re

# The word tables below keep `# fmt: skip`: one word per line would turn each into a column of
# sixty lines; packed by family they read as the table they are.
_NUM_WORDS = {
    # English
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a couple of": 2, "couple of": 2,
    "a few": 3, "few": 3,
    # Russian (all cases used after «в течение / за / через»)
    "один": 1, "одного": 1, "одну": 1, "одной": 1, "одни": 1,
    "два": 2, "двух": 2, "две": 2, "двое": 2, "пару": 2, "пары": 2, "трое": 3,
    "три": 3, "трёх": 3, "трех": 3, "четыре": 4, "четырёх": 4, "четырех": 4,
    "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7,
    "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9, "десять": 10, "десяти": 10,
    "нескольких": 3, "несколько": 3,
}  # fmt: skip
_NUM_ALT = r"\d{1,3}|" + "|".join(sorted((re.escape(k) for k in _NUM_WORDS), key=len, reverse=True))


def _num_group(name: str) -> str:
    return f"(?P<{name}>{_NUM_ALT})"


_WEEKDAYS_EN = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}  # fmt: skip
_WEEKDAYS_RU = {
    "понедельник": 0, "вторник": 1, "сред": 2, "четверг": 3, "пятниц": 4, "суббот": 5,
    "воскресень": 6,
}  # fmt: skip
_MONTHS_RU = (
    "январ[яье]|феврал[яье]|март[ае]?|апрел[яье]|ма[яйе]|июн[яье]|июл[яье]|август[ае]?|"
    "сентябр[яье]|октябр[яье]|ноябр[яье]|декабр[яье]"
)
_MONTHS_EN = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)


_WORD = re.compile(r"[а-яёa-z]+(?:['’][a-z]+)?", re.IGNORECASE)
