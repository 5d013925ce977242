"""A person's own working time as the planner sees it: their working hours, minus absences
(vacation, sick days, days off), capped at their own daily capacity.

Pure helpers on the planner's time axis (hours from the plan's epoch). The adapter builds each
person's working hours from their calendar, then calls :func:`personal_intervals` with their
absences and daily capacity; the result is ``Person.intervals``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

Interval = tuple[float, float]


def subtract(intervals: Iterable[Interval], holes: Iterable[Interval]) -> list[Interval]:
    """``intervals`` minus ``holes`` (both sorted or not; the result is sorted and disjoint)."""
    out = sorted((float(a), float(b)) for a, b in intervals if b > a)
    for ha, hb in sorted(holes):
        if hb <= ha:
            continue
        nxt: list[Interval] = []
        for a, b in out:
            if b <= ha or a >= hb:
                nxt.append((a, b))
                continue
            if a < ha:
                nxt.append((a, ha))
            if b > hb:
                nxt.append((hb, b))
        out = nxt
    return out


def cap_per_day(
    intervals: Sequence[Interval], hours_per_day: float, day_offset: float = 0.0
) -> list[Interval]:
    """Keep only the first ``hours_per_day`` working hours of each day; day k is
    ``[day_offset + 24k, day_offset + 24(k + 1))`` (``day_offset``: the first local midnight)."""
    if hours_per_day < 0:
        raise ValueError("daily capacity must be zero or more hours")
    out: list[Interval] = []
    used: dict[int, float] = {}
    for a, b in sorted(intervals):
        t = a
        while t < b - 1e-12:
            day = math.floor((t - day_offset) / 24.0)
            day_end = day_offset + 24.0 * (day + 1)
            end = min(b, day_end)
            left = hours_per_day - used.get(day, 0.0)
            if left > 1e-12:
                take = min(left, end - t)
                out.append((t, t + take))
                used[day] = used.get(day, 0.0) + take
            t = end
    merged: list[Interval] = []
    for a, b in out:
        if merged and abs(merged[-1][1] - a) <= 1e-12:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def personal_intervals(
    working: Sequence[Interval],
    absences: Iterable[Interval] = (),
    daily_capacity: float | None = None,
    day_offset: float = 0.0,
) -> list[Interval]:
    """A person's plannable time: their working hours without their absences, at most
    ``daily_capacity`` hours a day (None: the whole working day)."""
    free = subtract(working, absences)
    if daily_capacity is not None:
        free = cap_per_day(free, daily_capacity, day_offset)
    return free
