"""The agency's business calendar: working hours, weekends, public holidays, days off.

SLA timers ("first response within 2 business hours"), promise deadlines ("by end of day"),
recurring tasks ("the 3rd business day of the month"), playbook offsets and the scheduler all
measure time in the same calendar, so they all go through this one pure module.

How it works: for every calendar year that is touched we build (once, cached) the sorted list of
business days with their working periods as UTC instants and a running total of business time.
`add` and `between` are then a bisect inside a year plus a sum over whole years, never a loop
over minutes or days, and all arithmetic is done in integer microseconds so the algebraic laws
(additivity, antisymmetry, add/between round trip) hold exactly.

Conventions:
- Business time is real elapsed time. Working hours are local wall-clock times, so a working
  period that spans a DST switch (rare: only night hours) is an hour shorter or longer.
- A working period is [opening, closing) on one local date; overnight shifts are not supported.
- `add` returns the *closing* instant when the duration runs out exactly at closing time.
- Country "transferred working days" (e.g. RU Saturday 2027-02-20, reported by `holidays` as
  `weekend_workdays`) are business days, like the production calendar says.
- Precedence: `working_days` > `days_off` > country working Saturdays > public holidays >
  weekend. A date in both `working_days` and `days_off` is a configuration error.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_lib

__all__ = ["BusinessCalendar", "from_settings"]

# An agency's time zone unless it sets another: the demo agency's, and the one tests use.
DEFAULT_TIME_ZONE = "Europe/Moscow"
DEFAULT_TZ = ZoneInfo(DEFAULT_TIME_ZONE)

_US = timedelta(microseconds=1)


@lru_cache(maxsize=512)
def _country_year(
    country: str, subdiv: str | None, year: int
) -> tuple[frozenset[date], frozenset[date]]:
    """Public holidays and transferred working (weekend) days of one country-year.

    Shared by all calendar instances: Django builds a calendar per request, the `holidays`
    package is comparatively slow, and the answer never changes.
    """
    h = holidays_lib.country_holidays(country, subdiv=subdiv, years=year)
    public = frozenset(d for d in h if d.year == year)
    workdays = frozenset(d for d in getattr(h, "weekend_workdays", ()) if d.year == year)
    return public, workdays


@dataclass(frozen=True, slots=True)
class _Year:
    """Business days of one calendar year with their working periods (UTC) and running totals."""

    days: list[date]
    opens: list[datetime]  # UTC
    closes: list[datetime]  # UTC
    lens: list[int]  # microseconds
    cum_end: list[int]  # business microseconds of the year up to each day's closing
    total: int


def _require_aware(value: object, name: str) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{name} must be timezone-aware (got naive {value.isoformat()}); "
            "attach a tzinfo, e.g. datetime(..., tzinfo=ZoneInfo('Europe/Moscow'))"
        )
    # Work in UTC: same-tzinfo comparisons in Python ignore fold, which breaks DST folds.
    return value.astimezone(UTC)


def _require_date(value: object, name: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a date (not a datetime), got {type(value).__name__}")
    return value


class BusinessCalendar:
    """Working hours + weekend + public holidays + custom days off of one agency."""

    def __init__(
        self,
        tz: str | tzinfo = DEFAULT_TIME_ZONE,
        start: time = time(9),
        end: time = time(18),
        weekend: Iterable[int] = (5, 6),
        country: str | None = "RU",
        days_off: Iterable[date] = (),
        working_days: Iterable[date] = (),
        *,
        subdiv: str | None = None,
    ) -> None:
        if isinstance(tz, str):
            try:
                self.tz: ZoneInfo = ZoneInfo(tz)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise ValueError(
                    f"unknown time zone {tz!r} (use an IANA name such as 'Europe/Moscow')"
                ) from exc
        elif isinstance(tz, tzinfo):
            self.tz = tz  # type: ignore[assignment]
        else:
            raise TypeError(f"tz must be an IANA time-zone name, got {type(tz).__name__}")

        for name, value in (("start", start), ("end", end)):
            if not isinstance(value, time):
                raise TypeError(f"{name} must be a datetime.time, got {type(value).__name__}")
            if value.tzinfo is not None:
                raise ValueError(f"{name} must be a naive local wall-clock time (the zone is `tz`)")
        if start >= end:
            raise ValueError(
                f"working hours must start before they end on the same day (got {start}–{end}); "
                "the calendar would have no business time"
            )
        self.start: time = start
        self.end: time = end

        weekend_set = frozenset(int(d) for d in weekend)
        bad = sorted(d for d in weekend_set if not 0 <= d <= 6)
        if bad:
            raise ValueError(f"weekend days must be 0 (Monday) .. 6 (Sunday), got {bad}")
        if len(weekend_set) == 7:
            raise ValueError(
                "all seven weekdays are weekend: the calendar would have no business days"
            )
        self.weekend: frozenset[int] = weekend_set

        self.subdiv: str | None = subdiv
        if country is not None:
            country = country.strip().upper()
            supported = holidays_lib.list_supported_countries()
            if country not in supported:
                raise ValueError(
                    f"unknown country code {country!r} for public holidays "
                    "(use an ISO 3166-1 alpha-2 code such as 'RU', or None for no public holidays)"
                )
            if subdiv is not None and subdiv not in supported[country]:
                raise ValueError(f"unknown subdivision {subdiv!r} for country {country!r}")
        elif subdiv is not None:
            raise ValueError("subdiv needs a country")
        self.country: str | None = country

        self.days_off: frozenset[date] = frozenset(
            _require_date(d, "days_off item") for d in days_off
        )
        self.working_days: frozenset[date] = frozenset(
            _require_date(d, "working_days item") for d in working_days
        )
        clash = sorted(self.days_off & self.working_days)
        if clash:
            raise ValueError(
                "dates listed both as days off and as working days: "
                + ", ".join(d.isoformat() for d in clash)
            )

        self._years: dict[int, _Year] = {}
        self._holidays: dict[int, frozenset[date]] = {}

    def __repr__(self) -> str:
        return (
            f"BusinessCalendar(tz={str(self.tz)!r}, start={self.start}, end={self.end}, "
            f"weekend={sorted(self.weekend)}, country={self.country!r})"
        )

    # ----------------------------------------------------------------- days

    @property
    def hours_per_day(self) -> float:
        """Nominal length of a working day in hours (wall clock; ignores DST)."""
        s, e = self.start, self.end
        seconds = (e.hour - s.hour) * 3600 + (e.minute - s.minute) * 60 + (e.second - s.second)
        return (seconds + (e.microsecond - s.microsecond) / 1e6) / 3600

    def holidays_in(self, year: int) -> frozenset[date]:
        """Public holidays + the agency's days off in `year` (not corrected for working_days)."""
        cached = self._holidays.get(year)
        if cached is None:
            public = (
                _country_year(self.country, self.subdiv, year)[0] if self.country else frozenset()
            )
            cached = public | frozenset(d for d in self.days_off if d.year == year)
            self._holidays[year] = cached
        return cached

    def _country_workdays(self, year: int) -> frozenset[date]:
        return _country_year(self.country, self.subdiv, year)[1] if self.country else frozenset()

    def is_business_day(self, day: date) -> bool:
        """True if `day` has working hours."""
        _require_date(day, "day")
        return self._is_business_day(day)

    def _is_business_day(self, day: date) -> bool:
        if day in self.working_days:
            return True
        if day in self.days_off:
            return False
        if day in self.holidays_in(day.year):
            return False
        if day.weekday() in self.weekend:
            return day in self._country_workdays(day.year)
        return True

    def _year(self, year: int) -> _Year:
        """Build (once) the business days of `year` with UTC working periods and running totals."""
        cached = self._years.get(year)
        if cached is not None:
            return cached
        days: list[date] = []
        opens: list[datetime] = []
        closes: list[datetime] = []
        lens: list[int] = []
        cum_end: list[int] = []
        total = 0
        day = date(year, 1, 1)
        one = timedelta(days=1)
        while day.year == year:
            if self._is_business_day(day):
                o = self._utc(day, self.start)
                c = self._utc(day, self.end)
                if c > o:
                    length = (c - o) // _US
                    total += length
                    days.append(day)
                    opens.append(o)
                    closes.append(c)
                    lens.append(length)
                    cum_end.append(total)
            if day == date.max:
                break
            day += one
        built = _Year(days, opens, closes, lens, cum_end, total)
        self._years[year] = built
        return built

    def _utc(self, day: date, wall: time) -> datetime:
        return datetime.combine(day, wall, tzinfo=self.tz).astimezone(UTC)

    def _out(self, utc_instant: datetime) -> datetime:
        return utc_instant.astimezone(self.tz)

    def _local_year(self, at: datetime) -> int:
        return at.astimezone(self.tz).year

    def add_business_days(self, day: date, n: int) -> date:
        """The n-th business day after `day` (before it if n < 0); n=0 rolls forward to a business day."""
        _require_date(day, "day")
        y = day.year
        days = self._year(y).days
        if n == 0:
            idx = bisect.bisect_left(days, day)
        elif n > 0:
            idx = bisect.bisect_right(days, day) + n - 1
        else:
            idx = bisect.bisect_left(days, day) + n
        while idx >= len(days):
            idx -= len(days)
            y += 1
            days = self._year(y).days
        while idx < 0:
            y -= 1
            days = self._year(y).days
            idx += len(days)
        return days[idx]

    def _rank(self, day: date) -> int:
        """Number of business days d <= day within day's year."""
        return bisect.bisect_right(self._year(day.year).days, day)

    def business_days_between(self, a: date, b: date) -> int:
        """Number of business days d with a < d <= b (negative if b < a)."""
        _require_date(a, "a")
        _require_date(b, "b")
        if b < a:
            return -self.business_days_between(b, a)
        count = self._rank(b) - self._rank(a)
        for y in range(a.year, b.year):
            count += len(self._year(y).days)
        return count

    def business_days_in_month(self, year: int, month: int) -> list[date]:
        """All business days of a month, in order."""
        if not 1 <= month <= 12:
            raise ValueError(f"month must be 1..12, got {month}")
        days = self._year(year).days
        first = date(year, month, 1)
        after = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        return days[bisect.bisect_left(days, first) : bisect.bisect_left(days, after)]

    def nth_business_day(self, year: int, month: int, n: int) -> date:
        """n-th business day of the month (n >= 1), or counted from its end (n <= -1; -1 = last)."""
        month_days = self.business_days_in_month(year, month)
        if n == 0 or abs(n) > len(month_days):
            raise ValueError(
                f"{year}-{month:02d} has {len(month_days)} business days; "
                f"n must be 1..{len(month_days)} or -{len(month_days)}..-1, got {n}"
            )
        return month_days[n - 1] if n > 0 else month_days[n]

    # ------------------------------------------------------------- instants

    def opening_of(self, day: date) -> datetime:
        """Opening instant of that date (aware, in tz), no checks."""
        _require_date(day, "day")
        return self._out(self._utc(day, self.start))

    def closing_of(self, day: date) -> datetime:
        """Closing instant of that date (aware, in tz), no checks."""
        _require_date(day, "day")
        return self._out(self._utc(day, self.end))

    def start_of_business_day(self, day: date) -> datetime:
        """Opening instant of a business day; ValueError for a non-business day."""
        _require_date(day, "day")
        if not self._is_business_day(day):
            raise ValueError(f"{day.isoformat()} is not a business day")
        return self.opening_of(day)

    def is_working_time(self, at: datetime) -> bool:
        """True if `at` is within [opening, closing) of a business day."""
        t = _require_aware(at, "at")
        local = t.astimezone(self.tz)
        day = local.date()
        if not self._is_business_day(day):
            return False
        return self._utc(day, self.start) <= t < self._utc(day, self.end)

    def _first_closing_after(self, t: datetime) -> tuple[int, int]:
        """(year, index) of the first working period whose closing is strictly after instant t."""
        y = self._local_year(t)
        yr = self._year(y)
        i = bisect.bisect_right(yr.closes, t)
        while i >= len(yr.days):
            y += 1
            yr = self._year(y)
            i = 0
        return y, i

    def next_working_instant(self, at: datetime) -> datetime:
        """`at` itself if inside working time, else the next opening instant."""
        t = _require_aware(at, "at")
        y, i = self._first_closing_after(t)
        o = self._year(y).opens[i]
        return self._out(max(o, t))

    def end_of_business_day(self, at: datetime) -> datetime:
        """Closing of the business day `at` belongs to; after closing or on a day off, the next one's."""
        t = _require_aware(at, "at")
        y, i = self._first_closing_after(t)
        return self._out(self._year(y).closes[i])

    def _elapsed_in_year(self, y: int, t: datetime) -> int:
        """Business microseconds of year y's business days before instant t."""
        yr = self._year(y)
        i = bisect.bisect_right(yr.opens, t) - 1
        if i < 0:
            return 0
        before = yr.cum_end[i] - yr.lens[i]
        return before + min((t - yr.opens[i]) // _US, yr.lens[i])

    def between(self, a: datetime, b: datetime) -> timedelta:
        """Business time in [a, b); negative if b < a."""
        a = _require_aware(a, "a")
        b = _require_aware(b, "b")
        if b < a:
            return -self.between(b, a)
        ya, yb = self._local_year(a), self._local_year(b)
        us = self._elapsed_in_year(yb, b) - self._elapsed_in_year(ya, a)
        for y in range(ya, yb):
            us += self._year(y).total
        return timedelta(microseconds=us)

    def add(self, at: datetime, duration: timedelta) -> datetime:
        """Earliest instant t with between(at, t) == duration (closing instant if it ends at closing)."""
        t = _require_aware(at, "at")
        if not isinstance(duration, timedelta):
            raise TypeError(f"duration must be a timedelta, got {type(duration).__name__}")
        if duration < timedelta(0):
            raise ValueError(f"duration must be >= 0, got {duration}")
        if not duration:
            return at.astimezone(self.tz)
        y = self._local_year(t)
        target = self._elapsed_in_year(y, t) + duration // _US
        yr = self._year(y)
        while target > yr.total:
            target -= yr.total
            y += 1
            yr = self._year(y)
        i = bisect.bisect_left(yr.cum_end, target)
        offset = target - (yr.cum_end[i] - yr.lens[i])
        if offset == yr.lens[i]:
            return self._out(yr.closes[i])
        return self._out(yr.opens[i] + timedelta(microseconds=offset))

    def working_intervals(
        self, start: datetime, end: datetime
    ) -> Iterator[tuple[datetime, datetime]]:
        """Working periods clipped to [start, end), in order, as aware datetimes in tz."""
        return self._intervals(_require_aware(start, "start"), _require_aware(end, "end"))

    def _intervals(self, start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
        if end <= start:
            return
        y, i = self._first_closing_after(start)
        last_year = self._local_year(end)
        while y <= last_year:
            yr = self._year(y)
            while i < len(yr.days):
                o, c = yr.opens[i], yr.closes[i]
                if o >= end:
                    return
                yield self._out(max(o, start)), self._out(min(c, end))
                i += 1
            y += 1
            i = 0


def _parse_time(value: object, name: str) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        try:
            return time.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{name} must be a time like '09:00', got {value!r}")


def _parse_date(value: object, name: str) -> date:
    if isinstance(value, datetime):
        raise ValueError(f"{name} must be a date like '2026-12-31', got a datetime {value!r}")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{name} must be a date like '2026-12-31', got {value!r}")


_SETTINGS_KEYS = frozenset(
    {"tz", "start", "end", "weekend", "country", "subdiv", "days_off", "working_days"}
)


def from_settings(d: Mapping[str, object]) -> BusinessCalendar:
    """Build a calendar from a plain dict (as stored in Django fields/JSON); missing keys = defaults.

    Keys: tz, start, end ("09:00" or time), weekend ([5, 6]), country ("RU", "" or None = none),
    subdiv, days_off / working_days (["2026-12-31", ...] or dates). Unknown keys are an error so
    that a typo does not silently fall back to the default.
    """
    unknown = sorted(set(d) - _SETTINGS_KEYS)
    if unknown:
        raise ValueError(f"unknown business-calendar settings: {', '.join(unknown)}")
    kwargs: dict[str, object] = {}
    if d.get("tz") is not None:
        kwargs["tz"] = d["tz"]
    for key in ("start", "end"):
        if d.get(key) is not None:
            kwargs[key] = _parse_time(d[key], key)
    if d.get("weekend") is not None:
        weekend = d["weekend"]
        if isinstance(weekend, str) or not isinstance(weekend, Iterable):
            raise ValueError(f"weekend must be a list of weekday numbers 0..6, got {weekend!r}")
        try:
            kwargs["weekend"] = [int(x) for x in weekend]
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"weekend must be a list of weekday numbers 0..6, got {weekend!r}"
            ) from exc
    if "country" in d:
        country = d["country"]
        kwargs["country"] = country if country else None
    if d.get("subdiv"):
        kwargs["subdiv"] = d["subdiv"]
    for key in ("days_off", "working_days"):
        values = d.get(key)
        if values is None:
            continue
        if isinstance(values, str) or not isinstance(values, Iterable):
            raise ValueError(f"{key} must be a list of dates, got {values!r}")
        kwargs[key] = [_parse_date(v, f"{key} item") for v in values]
    return BusinessCalendar(**kwargs)  # type: ignore[arg-type]
