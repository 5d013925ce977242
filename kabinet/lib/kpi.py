"""KPI arithmetic without Django: monthly figures, period comparison, linear trends and the
checks of an expectation and of the actuals against the agency's forecast range.

Everything takes plain data — `(date, float)` pairs — and returns plain data. Forecasts and
expectations are stated in the metric's *monthly figure* (the sum of a month's sessions, the
average position of a month, the last subscriber count of a month), so the trend is fitted on
complete months' figures and projected to the month of the forecast's date.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = [
    "Aggregation",
    "Position",
    "Trend",
    "Comparison",
    "ExpectationCheck",
    "TrendCheck",
    "month_start",
    "add_months",
    "monthly_figures",
    "fit_trend",
    "position_in_range",
    "check_expectation",
    "check_trend",
    "compare",
    "month_bounds",
]


class Aggregation(StrEnum):
    SUM = "sum"
    AVERAGE = "avg"
    LAST = "last"


class Position(StrEnum):
    """Where a value lies against a forecast range, in terms of the metric's direction."""

    WORSE = "worse"  # below the range for higher-is-better, above it for lower-is-better
    INSIDE = "inside"
    BETTER = "better"


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _month_end(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def monthly_figures(points: Iterable[tuple[date, float]], aggregation: str) -> dict[date, float]:
    """The figure of every month that has points, keyed by the month's first day."""
    by_month: dict[date, list[tuple[date, float]]] = defaultdict(list)
    for day, value in points:
        by_month[month_start(day)].append((day, float(value)))
    figures: dict[date, float] = {}
    for first, rows in by_month.items():
        values = [v for _, v in sorted(rows)]
        if aggregation == Aggregation.SUM:
            figures[first] = sum(values)
        elif aggregation == Aggregation.AVERAGE:
            figures[first] = sum(values) / len(values)
        elif aggregation == Aggregation.LAST:
            figures[first] = values[-1]
        else:
            raise ValueError(f"unknown aggregation {aggregation!r}")
    return dict(sorted(figures.items()))


@dataclass(frozen=True)
class Trend:
    """A least-squares line through (day, value): value = intercept + slope_per_day * (day - origin)."""

    origin: date
    intercept: float
    slope_per_day: float
    n: int

    def at(self, day: date) -> float:
        return self.intercept + self.slope_per_day * (day - self.origin).days


def fit_trend(points: Sequence[tuple[date, float]]) -> Trend | None:
    """Ordinary least squares; None with fewer than two distinct days (no line to draw)."""
    if len({d for d, _ in points}) < 2:
        return None
    origin = min(d for d, _ in points)
    xs = [float((d - origin).days) for d, _ in points]
    ys = [float(v) for _, v in points]
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    return Trend(origin=origin, intercept=mean_y - slope * mean_x, slope_per_day=slope, n=n)


def position_in_range(
    value: float, low: float, high: float, *, higher_is_better: bool = True
) -> Position:
    if low > high:
        raise ValueError("the range's low end is above its high end")
    if low <= value <= high:
        return Position.INSIDE
    above = value > high
    return Position.BETTER if above == higher_is_better else Position.WORSE


@dataclass(frozen=True)
class ExpectationCheck:
    target: float
    low: float
    high: float
    position: Position

    @property
    def outside(self) -> bool:
        return self.position != Position.INSIDE

    @property
    def talk_now(self) -> bool:
        """The client expects more than the agency's most optimistic forecast."""
        return self.position == Position.BETTER


def check_expectation(
    target: float, low: float, high: float, *, higher_is_better: bool = True
) -> ExpectationCheck:
    """Is what the client expects inside what the agency forecasts?"""
    position = position_in_range(target, low, high, higher_is_better=higher_is_better)
    return ExpectationCheck(
        target=float(target), low=float(low), high=float(high), position=position
    )


@dataclass(frozen=True)
class TrendCheck:
    projected: float | None
    position: Position | None
    months_used: int
    by_month: date

    @property
    def behind(self) -> bool:
        """The actuals trend to a figure worse than the forecast's range."""
        return self.position == Position.WORSE


def check_trend(
    figures: dict[date, float],
    *,
    low: float,
    high: float,
    by_date: date,
    higher_is_better: bool = True,
    last_complete_month: date | None = None,
    window: int = 6,
) -> TrendCheck:
    """Project the monthly figures' linear trend to the forecast's month and place it in the range.

    Only complete months count (`last_complete_month` and before) — a half month would read as a
    fall — and at most the last `window` of them. Fewer than two months: no projection.
    """
    target_month = month_start(by_date)
    months = sorted(m for m in figures if last_complete_month is None or m <= last_complete_month)[
        -window:
    ]
    trend = fit_trend([(m, figures[m]) for m in months])
    if trend is None:
        return TrendCheck(
            projected=None, position=None, months_used=len(months), by_month=target_month
        )
    projected = trend.at(target_month)
    position = position_in_range(projected, low, high, higher_is_better=higher_is_better)
    return TrendCheck(
        projected=projected, position=position, months_used=len(months), by_month=target_month
    )


@dataclass(frozen=True)
class Comparison:
    """A month's figure against another month's: the change, and whether it is an improvement."""

    month: date
    value: float | None
    other_month: date
    other: float | None

    @property
    def change(self) -> float | None:
        if self.value is None or self.other is None:
            return None
        return self.value - self.other

    @property
    def change_share(self) -> float | None:
        """The change as a share of the other month's figure (None when that is missing or zero)."""
        if self.change is None or not self.other:
            return None
        return self.change / abs(self.other)

    def improved(self, *, higher_is_better: bool = True) -> bool | None:
        if self.change is None or self.change == 0:
            return None
        return (self.change > 0) == higher_is_better


def compare(figures: dict[date, float], month: date, *, months_back: int) -> Comparison:
    """`month`'s figure against the one `months_back` earlier (1: last month, 12: a year ago)."""
    first = month_start(month)
    other = add_months(first, -months_back)
    return Comparison(
        month=first, value=figures.get(first), other_month=other, other=figures.get(other)
    )


def month_bounds(day: date) -> tuple[date, date]:
    first = month_start(day)
    return first, _month_end(first)
