"""Resolution of time expressions to a due instant in the agency's business calendar."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from kabinet.lib.promise_detector.lexicon import _WEEKDAYS_EN, _WEEKDAYS_RU
from kabinet.lib.promise_detector.times import _P_DATE, _P_WEEKDAY, _Anchor

if TYPE_CHECKING:
    from kabinet.lib.business_calendar import BusinessCalendar

NOON = time(12, 0)
LUNCH = time(13, 0)
# A date without a year that has already passed this year is taken to mean next year only if
# that lands within this many days of now; otherwise it is a reference to the past.
NEXT_YEAR_HORIZON_DAYS = 183


def _at(d: date, t: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(d, t, tzinfo=tz)


def _on_or_after_business(cal: BusinessCalendar, d: date) -> date:
    for _ in range(400):
        if cal.is_business_day(d):
            return d
        d += timedelta(days=1)
    return d  # pragma: no cover - a calendar without business days


def _next_business_after(cal: BusinessCalendar, d: date) -> date:
    return _on_or_after_business(cal, d + timedelta(days=1))


def _nth_business_after(cal: BusinessCalendar, d: date, n: int) -> date:
    for _ in range(max(n, 1)):
        d = _next_business_after(cal, d)
    return d


def _close(cal: BusinessCalendar, d: date) -> datetime:
    return cal.closing_of(d).astimezone(cal.tz)


def _period_close_day(
    cal: BusinessCalendar, today: date, now: datetime, bounds, ahead: int
) -> date:
    """The last business day of this (ahead=0, from today on, still open) or the next period; a
    period with no business day left falls to the first business day after it."""
    if ahead == 0:
        _first, last = bounds(today)
        d = _last_business_in(cal, today, last)
        if d is not None and _close(cal, d) > now:
            return d
    first, last = bounds(today, 1)
    return _last_business_in(cal, first, last) or _next_business_after(cal, last)


def _last_business_in(cal: BusinessCalendar, first: date, last: date) -> date | None:
    d = last
    while d >= first:
        if cal.is_business_day(d):
            return d
        d -= timedelta(days=1)
    return None


def _first_business_in(cal: BusinessCalendar, first: date, last: date) -> date | None:
    d = first
    while d <= last:
        if cal.is_business_day(d):
            return d
        d += timedelta(days=1)
    return None


def _week_bounds(d: date, weeks_ahead: int = 0) -> tuple[date, date]:
    monday = d - timedelta(days=d.weekday()) + timedelta(weeks=weeks_ahead)
    return monday, monday + timedelta(days=6)


def _month_bounds(d: date, months_ahead: int = 0) -> tuple[date, date]:
    y, m = d.year, d.month + months_ahead
    y += (m - 1) // 12
    m = (m - 1) % 12 + 1
    first = date(y, m, 1)
    nxt = date(y + (m // 12), m % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def _quarter_bounds(d: date, quarters_ahead: int = 0) -> tuple[date, date]:
    first_month = (d.month - 1) // 3 * 3 + 1
    first, _ = _month_bounds(date(d.year, first_month, 1), 3 * quarters_ahead)
    _, last = _month_bounds(first, 2)
    return first, last


# Rules whose day is one the client was told: it stays that day even when it is a day off (the
# writer is warned instead), because moving it silently would make the client expect another.
GIVEN_DAY_RULES = frozenset(
    {
        "date",
        "day_of_month",
        "weekday",
        "tomorrow",
        "day_after_tomorrow",
        "calendar_days",
        "hours_clock",
    }
)


def falls_on_day_off(cal: BusinessCalendar, rule: str, due: datetime) -> bool:
    """True when a day the client was given is not a business day."""
    return rule.split("+")[0] in GIVEN_DAY_RULES and not cal.is_business_day(
        due.astimezone(cal.tz).date()
    )


def _weekday_index(word: str) -> int:
    w = word.lower()
    if w in _WEEKDAYS_EN:
        return _WEEKDAYS_EN[w]
    for stem, idx in _WEEKDAYS_RU.items():
        if w.startswith(stem):
            return idx
    raise ValueError(word)


def _parse_date(m: re.Match[str], clause_lang: str, today: date) -> tuple[date, bool] | None:
    """Day and month of a date expression (via dateparser); returns (date, year_given)."""
    import dateparser

    text = m.group(0)
    year = m.group("y1") or m.group("y2") or m.group("y3") or m.group("iy")
    if m.group("iy"):
        try:
            return date(int(m.group("iy")), int(m.group("im")), int(m.group("id"))), True
        except ValueError:
            return None
    if m.group("d3"):
        try:
            y = int(year) if year else today.year
            if y < 100:
                y += 2000
            return date(y, int(m.group("m3")), int(m.group("d3"))), bool(year)
        except ValueError:
            return None
    lang = "ru" if re.search(r"[а-яё]", text, re.I) else "en"
    fragment = re.sub(r"-?(го|е)\b", "", text) if lang == "ru" else text
    parsed = dateparser.parse(
        fragment if year else f"{fragment} {today.year}",
        languages=[lang],
        settings={"REQUIRE_PARTS": ["day", "month"], "DATE_ORDER": "DMY"},
    )
    if parsed is None:
        return None
    return parsed.date(), bool(year)


def _resolve(
    anchors: list[_Anchor], clause: str, now: datetime, cal: BusinessCalendar, lang: str
) -> tuple[datetime, str] | None:
    tz = cal.tz
    now = now.astimezone(tz)
    today = now.date()
    kinds = {a.kind for a in anchors}
    by_kind = {a.kind: a for a in anchors}

    # Time-of-day part.
    tod: time | None = None
    tod_rule = ""
    if "clock" in by_kind:
        tod, tod_rule = by_kind["clock"].value, "clock"  # type: ignore[assignment]
    elif "lunch" in kinds:
        tod, tod_rule = LUNCH, "lunch"
    elif "noon" in kinds:
        tod, tod_rule = NOON, "noon"

    def with_tod(d: date, rule: str) -> tuple[datetime, str]:
        if tod is None:
            return _close(cal, d), rule
        return _at(d, tod, tz), f"{rule}+{tod_rule}"

    # Durations and periods resolve on their own.
    if "hours" in kinds:
        span: timedelta = by_kind["hours"].value  # type: ignore[assignment]
        if span >= timedelta(hours=24):
            # "Within 24 hours" is 24 hours on the clock, as the client counts them (an absolute
            # span: a DST change does not stretch it), not a business day.
            return (now.astimezone(UTC) + span).astimezone(tz), "hours_clock"
        return cal.add(now, span).astimezone(tz), "hours"
    if "business_days" in kinds:
        n = int(by_kind["business_days"].value)  # type: ignore[arg-type]
        return _close(cal, _nth_business_after(cal, today, n)), "business_days"
    if "calendar_days" in kinds:
        days = int(by_kind["calendar_days"].value)  # type: ignore[arg-type]
        return _close(cal, today + timedelta(days=days)), "calendar_days"
    if "early_next_week" in kinds:
        first, last = _week_bounds(today, 1)
        d = _first_business_in(cal, first, last) or _next_business_after(cal, last)
        return with_tod(d, "early_next_week")

    # Explicit dates and weekdays.
    if "date" in kinds:
        a = by_kind["date"]
        m = _P_DATE.search(clause, a.start)
        parsed = _parse_date(m, lang, today) if m else None
        if parsed is None:
            return None
        d, year_given = parsed
        if d < today:
            if year_given:
                return None
            try:
                d = d.replace(year=d.year + 1)
            except ValueError:
                return None
            if (d - today).days > NEXT_YEAR_HORIZON_DAYS:
                return None
        due, rule = with_tod(d, "date")
        return (due, rule) if due > now else None
    if "day_of_month" in kinds:
        day = int(by_kind["day_of_month"].value)  # type: ignore[arg-type]
        first, _ = _month_bounds(today)
        for months in (0, 1, 2):
            first, last = _month_bounds(today, months)
            if day <= last.day and date(first.year, first.month, day) >= today:
                due, rule = with_tod(date(first.year, first.month, day), "day_of_month")
                if due > now:
                    return due, rule
        return None
    if "weekday" in kinds:
        a = by_kind["weekday"]
        m = _P_WEEKDAY.search(clause, a.start)
        assert m is not None
        target = _weekday_index(m.group("day"))
        mod = (m.group("mod") or m.group("prep") or "").lower()
        next_week = (
            mod.startswith(("next", "следующ", "будущ"))
            or bool(m.group("nw"))
            or "next_week" in kinds
        )
        if next_week:
            monday, _ = _week_bounds(today, 1)
            d = monday + timedelta(days=target)
        else:
            d = today + timedelta(days=(target - today.weekday()) % 7)
            if d == today:
                due_today = _at(d, tod, tz) if tod else _close(cal, d)
                if not cal.is_business_day(d) or due_today <= now:
                    d += timedelta(days=7)
        return with_tod(d, "weekday")
    periods = {
        "next_week": (_week_bounds, 1),
        "this_week": (_week_bounds, 0),
        "next_month": (_month_bounds, 1),
        "end_of_month": (_month_bounds, 0),
        "end_of_quarter": (_quarter_bounds, 0),
    }
    for kind, (bounds, ahead) in periods.items():
        if kind in kinds:
            return with_tod(_period_close_day(cal, today, now, bounds, ahead), kind)

    # Relative days.
    if "day_after_tomorrow" in kinds:
        return with_tod(today + timedelta(days=2), "day_after_tomorrow")
    if "tomorrow" in kinds:
        return with_tod(today + timedelta(days=1), "tomorrow")

    # Today / no day: a clock time or a part of the day.
    if tod is not None:
        candidate = _at(today, tod, tz)
        rule = "today" if "today" in kinds else "time"
        if cal.is_business_day(today) and candidate > now:
            return candidate, f"{rule}+{tod_rule}"
        return _at(_next_business_after(cal, today), tod, tz), f"{rule}+{tod_rule}"
    if kinds & {"eod", "today", "afternoon"}:
        return cal.end_of_business_day(now).astimezone(tz), "eod"
    return None
