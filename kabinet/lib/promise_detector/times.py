"""Time expressions in a clause (Russian and English), found before they are resolved."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time, timedelta

from kabinet.lib.promise_detector.lexicon import _MONTHS_EN, _MONTHS_RU, _NUM_WORDS, _num_group

_BY = r"(?:by|before|until|till|no later than|not later than|on|for|this|at|до|к|ко|в|во|на|не позднее|не позже)"

_P_EOD = re.compile(
    r"\b(?:by\s+|until\s+|before\s+)?(?:the\s+)?(?:eod|cob|eob|end of (?:the |my |our )?"
    r"(?:business |working |work )?day|close of (?:business|play)|end of business)\b"
    r"|(?:до|к|в)\s+конц[ау]\s+(?:этого\s+|сегодняшнего\s+)?(?:рабочего\s+)?дня"
    r"|\bв течение (?:сегодняшнего |этого )?(?:рабочего )?дня\b"
    r"|\bсегодня\s+вечером\b|\bсегодня\s+до\s+вечера\b|\bдо\s+вечера\b|\bк\s+вечеру\b"
    r"|\btonight\b|\bthis evening\b|\bthis afternoon\b|\blater today\b",
    re.IGNORECASE,
)
_P_TODAY = re.compile(r"\b(?:today|сегодня|сейчас же)\b", re.IGNORECASE)
_P_DAY_AFTER = re.compile(r"\b(?:the )?day after tomorrow\b|\bпослезавтра\b", re.IGNORECASE)
_P_TOMORROW = re.compile(r"\b(?:tomorrow|tmrw|завтра|завтрашнего дня)\b", re.IGNORECASE)
_P_LUNCH = re.compile(
    r"\b(?:до|перед)\s+обеда\b|\bк\s+обеду\b|\b(?:before|by)\s+lunch(?:time)?\b",
    re.IGNORECASE,
)
_P_NOON = re.compile(
    r"\b(?:до|к)\s+полудн[яю]\b|\b(?:noon|midday)\b|\bутром\b|\bс утра\b"
    r"|(?<!good )\bmorning\b|\bfirst thing\b|\bв первой половине дня\b|\bдо середины дня\b"
    r"|\b(?:in|during) the first half of the day\b|\bby mid-?day\b",
    re.IGNORECASE,
)
_P_AFTERNOON = re.compile(
    r"\bпосле обеда\b|\bin the afternoon\b|(?<!good )\bafternoon\b|\bвечером\b|\bin the evening\b"
    r"|\bво второй половине дня\b|\bin the second half of the day\b",
    re.IGNORECASE,
)
_P_CLOCK = re.compile(
    r"(?:\b(?:by|before|until|till|at|no later than|до|к|в|не позднее)\s+)"
    r"(?P<h>[01]?\d|2[0-3])(?:(?::(?P<m>[0-5]\d))|(?:\.(?P<m2>00|15|30|45)))?"
    r"\s*(?P<ampm>a\.?m\.?|p\.?m\.?)?(?:\s*(?P<ru>час(?:ам|ов|а)?|ч\b\.?))?"
    r"(?:\s*(?P<rupart>утра|дня|вечера))?"
    r"|\b(?P<h3>[01]?\d|2[0-3]):(?P<m3>[0-5]\d)\b"
    r"|\b(?P<h4>1[0-2]|[1-9])\s*(?P<ampm4>a\.?m\.?|p\.?m\.?)(?![a-z])",
    re.IGNORECASE,
)
_P_HOURS = re.compile(
    r"\b(?:(?:within|in|during)\s+(?:the\s+(?:next\s+)?)?(?:"
    + _num_group("num1")
    + r"\s+)?(?P<unit>hours?|minutes?|mins?)"
    r"|(?:within|in)\s+(?P<half>half an hour|an hour and a half)"
    r"|(?:через|в течение|за|в ближайшие)\s+(?:"
    + _num_group("num2")
    + r"\s+)?(?P<ruunit>час(?:а|ов)?|минут[ау]?)"
    r"|(?:через|в течение|за)\s+(?P<ruhalf>полчаса|полтора часа)"
    r"|(?:через|в течение|за|в ближайшие)\s+(?:"
    + _num_group("num3")
    + r"\s+)?(?P<days24>сут(?:ки|ок))"
    r"|(?:within|in)\s+(?:an?\s+|the\s+(?:next\s+)?)?(?P<num4>\d{1,3})-hour\b)\b",
    re.IGNORECASE,
)
_P_BDAYS = re.compile(
    r"\b(?:(?:within|in|during)\s+(?:the\s+next\s+)?"
    + _num_group("num1")
    + r"\s+(?:business|working|work)\s+days?"
    r"|(?:в течение|за|через|в ближайшие|в)\s+"
    + _num_group("num2")
    + r"\s+рабоч(?:их|его|ий|ие|ую)\s+(?:дн(?:я|ей|и)|день)"
    r"|(?:в течение|за)\s+(?:одного\s+)?рабочего\s+дня(?=\s+(?:после|с момента)))\b",
    re.IGNORECASE,
)
_P_NEXT_BDAY = re.compile(
    r"\b(?:(?:by|on|within)\s+)?(?:the\s+)?next\s+(?:business|working)\s+day\b"
    r"|\b(?:в\s+|на\s+|к\s+|до\s+)?следующ(?:ий|его|ему)\s+рабоч(?:ий|его|ему)\s+дн[юяь]\b",
    re.IGNORECASE,
)
_P_CDAYS = re.compile(
    r"\b(?:(?:within|in)\s+(?:the\s+next\s+)?"
    + _num_group("num1")
    + r"\s+(?:calendar\s+)?(?P<u>days?|weeks?)"
    r"|(?:within|in)\s+(?P<u2>a week|a fortnight|two weeks)"
    r"|(?:в течение|за|через|в ближайшие)\s+(?:" + _num_group("num2") + r"\s+)?(?:календарных\s+)?"
    r"(?P<ru>дн(?:я|ей|и)|день|недел(?:и|ю|ь)|недел)"
    r"|(?:в течение|за|через)\s+(?P<ru2>неделю|недели|пару дней|пару недель))\b",
    re.IGNORECASE,
)
_P_NEXT_WEEK = re.compile(
    r"\b(?:(?:by\s+)?(?:the\s+)?end\s+of\s+next\s+week|next\s+week|(?:during|over)\s+the\s+next\s+week"
    r"|(?:до\s+конца\s+|к\s+концу\s+)?следующей\s+недели|на\s+следующей\s+неделе"
    r"|на\s+будущей\s+неделе|на\s+той\s+неделе)\b",
    re.IGNORECASE,
)
_P_EARLY_NEXT_WEEK = re.compile(
    r"\b(?:early\s+next\s+week|(?:at\s+)?the\s+(?:beginning|start)\s+of\s+next\s+week"
    r"|в\s+начале\s+(?:следующей|будущей)\s+недели)\b",
    re.IGNORECASE,
)
_P_THIS_WEEK = re.compile(
    r"\b(?:(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?week|eow|this\s+week|later\s+this\s+week"
    r"|(?:до|к)\s+конц[ау]\s+(?:этой\s+|текущей\s+)?недели|на\s+этой\s+неделе)\b",
    re.IGNORECASE,
)
_P_NEXT_MONTH = re.compile(
    r"\b(?:next\s+month|в\s+следующем\s+месяце|в\s+начале\s+следующего\s+месяца)\b", re.I
)
_P_END_OF_QUARTER = re.compile(
    r"\b(?:(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?quarter|this\s+quarter"
    r"|(?:до|к)\s+конц[ау]\s+(?:этого\s+|текущего\s+)?квартала|в\s+этом\s+квартале)\b",
    re.IGNORECASE,
)
_P_END_OF_MONTH = re.compile(
    r"\b(?:(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?month|this\s+month|eom"
    r"|(?:до|к)\s+конц[ау]\s+(?:этого\s+|текущего\s+)?месяца|в\s+этом\s+месяце)\b",
    re.IGNORECASE,
)
_P_WEEKDAY = re.compile(
    r"(?:\b(?P<prep>by|before|until|till|on|this|next|coming|до|к|ко|в|во|на|не позднее|"
    r"не позже)\s+)?(?:(?P<mod>this|next|coming|следующ(?:ий|ую|его|ей|ему)|"
    r"эт(?:от|у|ого|ой)|ближайш(?:ий|ую|его|ей|ему)|будущ(?:ий|ую|его|ей))\s+)?"
    r"\b(?P<day>monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"понедельник[ау]?|вторник[ау]?|сред[ауые]|четверг[ау]?|пятниц[ауые]|суббот[ауые]|"
    r"воскресень[еяю])\b(?P<nw>\s+next\s+week|\s+on\s+next\s+week)?",
    re.IGNORECASE,
)
_P_DATE = re.compile(
    r"\b(?P<d1>[0-3]?\d)(?:-?(?:го|е|st|nd|rd|th))?\s+(?:of\s+)?(?P<m1>"
    + _MONTHS_RU
    + "|"
    + _MONTHS_EN
    + r")\.?(?:,?\s+(?P<y1>20\d\d))?\b"
    r"|\b(?P<m2>"
    + _MONTHS_EN
    + r")\.?\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?(?:,?\s+(?P<y2>20\d\d))?\b"
    r"|(?<![\d.:])(?P<d3>[0-3]?\d)\.(?P<m3>[01]\d)(?:\.(?P<y3>(?:20)?\d\d))?(?![\d:])"
    r"|\b(?P<iy>20\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d)\b",
    re.IGNORECASE,
)
_RU_DAYPART_BEFORE = re.compile(
    r"\b(?:вечера|утра|обеда|полудня|конца дня|середины дня|первой половины|второй половины)"
    r"(?:\s+дня)?\s*$",
    re.IGNORECASE,
)
_P_DAY_OF_MONTH = re.compile(
    r"\b(?:on|by|until|before|no later than)\s+the\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)\b"
    r"(?!\s+of\b)"
    r"|\b(?:до|к|не позднее)\s+(?P<d2>[0-3]?\d)-?(?:го|му|е)(?:\s+числа)?\b"
    r"(?!\s+(?:" + _MONTHS_RU + r"))",
    re.IGNORECASE,
)
_PAST_TIME_WORDS = re.compile(r"\b(?:last|прошл\w+|позапрошл\w+)\s*$", re.IGNORECASE)
_NOT_DEADLINE_PREP = re.compile(r"(?:\bfor|\bза|\bпосле|\bafter|\bsince|\bс|\bсо|'s)\s*$", re.I)


@dataclass
class _Anchor:
    """What a clause says about time, before resolution."""

    kind: str  # rule family
    start: int
    end: int
    value: object = None


def _num_of(m: re.Match[str]) -> str | None:
    for key, value in m.groupdict().items():
        if key.startswith("num") and value:
            return value
    return None


def _num(value: str | None, default: int = 1) -> int:
    if not value:
        return default
    value = value.lower()
    if value.isdigit():
        return int(value)
    return _NUM_WORDS.get(value, default)


def _find_anchors(clause: str) -> list[_Anchor]:
    """All time expressions in a clause, longest/strongest first, without overlaps."""
    found: list[_Anchor] = []

    def add(kind: str, m: re.Match[str], value: object = None) -> None:
        found.append(_Anchor(kind, m.start(), m.end(), value))

    for m in _P_HOURS.finditer(clause):
        if m.group("half") or m.group("ruhalf"):
            txt = (m.group("half") or m.group("ruhalf")).lower()
            minutes = 90 if ("half" in txt and "and" in txt) or "полтора" in txt else 30
        elif m.group("days24"):
            minutes = _num(_num_of(m)) * 24 * 60  # «сутки»: whole days of 24 hours
        elif m.group("num4"):
            minutes = int(m.group("num4")) * 60  # "within a 24-hour window"
        else:
            unit = (m.group("unit") or m.group("ruunit") or "").lower()
            n = _num(_num_of(m))
            minutes = n * (60 if unit.startswith(("hour", "час")) else 1)
        add("hours", m, timedelta(minutes=minutes))
    for m in _P_BDAYS.finditer(clause):
        add("business_days", m, _num(_num_of(m)))
    for m in _P_NEXT_BDAY.finditer(clause):
        add("business_days", m, 1)
    for m in _P_CDAYS.finditer(clause):
        unit = (m.group("u") or m.group("u2") or m.group("ru") or m.group("ru2") or "").lower()
        if unit in ("a fortnight", "two weeks"):
            n, unit = 14, "day"
        elif unit == "пару дней":
            n, unit = 2, "day"
        elif unit == "пару недель":
            n, unit = 14, "day"
        else:
            n = _num(_num_of(m))
        days = n * 7 if unit.startswith(("week", "a week", "недел")) else n
        add("calendar_days", m, days)
    for m in _P_EARLY_NEXT_WEEK.finditer(clause):
        add("early_next_week", m)
    for m in _P_NEXT_WEEK.finditer(clause):
        add("next_week", m)
    for m in _P_THIS_WEEK.finditer(clause):
        add("this_week", m)
    for m in _P_NEXT_MONTH.finditer(clause):
        add("next_month", m)
    for m in _P_END_OF_QUARTER.finditer(clause):
        add("end_of_quarter", m)
    for m in _P_END_OF_MONTH.finditer(clause):
        add("end_of_month", m)
    for m in _P_DATE.finditer(clause):
        add("date", m)
    for m in _P_DAY_OF_MONTH.finditer(clause):
        add("day_of_month", m, int(m.group("d") or m.group("d2")))
    for m in _P_WEEKDAY.finditer(clause):
        before = clause[max(0, m.start() - 40) : m.start()]  # bounded: linear work
        if not m.group("prep") and not m.group("mod"):
            if _NOT_DEADLINE_PREP.search(before) or _PAST_TIME_WORDS.search(before):
                continue
            if not re.match(r"[a-z]", m.group("day"), re.I) and not _RU_DAYPART_BEFORE.search(
                before
            ):
                continue  # a bare Russian weekday («пятница») is not a deadline
        if m.group("prep") and m.group("prep").lower() in ("for",):
            continue
        if _PAST_TIME_WORDS.search(before):
            continue
        add("weekday", m)
    for m in _P_DAY_AFTER.finditer(clause):
        add("day_after_tomorrow", m)
    for m in _P_TOMORROW.finditer(clause):
        add("tomorrow", m)
    for m in _P_EOD.finditer(clause):
        add("eod", m)
    for m in _P_TODAY.finditer(clause):
        add("today", m)
    for m in _P_LUNCH.finditer(clause):
        add("lunch", m)
    for m in _P_NOON.finditer(clause):
        add("noon", m)
    for m in _P_AFTERNOON.finditer(clause):
        add("afternoon", m)
    for m in _P_CLOCK.finditer(clause):
        h = m.group("h") or m.group("h3") or m.group("h4")
        mi = m.group("m") or m.group("m2") or m.group("m3") or "0"
        ampm = (m.group("ampm") or m.group("ampm4") or "").lower().replace(".", "")
        has_marker = bool(
            m.group("m")
            or m.group("m2")
            or m.group("m3")
            or ampm
            or m.group("ru")
            or m.group("rupart")
        )
        if not has_marker:
            continue  # «к 15» alone is too ambiguous (a date? a count?)
        hour = int(h)
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        part = (m.group("rupart") or "").lower()
        if part in ("дня", "вечера") and hour < 12:
            hour += 12
        add("clock", m, time(hour, int(mi)))

    # Drop anchors that sit inside a longer one (e.g. «дня» inside «в течение дня»).
    found.sort(key=lambda a: (a.start, -(a.end - a.start)))
    # Sorted by start, longest first: an anchor is inside a kept one exactly when it ends before
    # the furthest end kept so far (one pass, linear in the number of anchors).
    kept: list[_Anchor] = []
    furthest = -1
    for a in found:
        if a.end <= furthest:
            continue
        kept.append(a)
        furthest = a.end
    return kept
