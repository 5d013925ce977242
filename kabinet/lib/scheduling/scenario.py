"""Seeded agency scenarios for tests and benchmarks (people, calendars, tasks)."""

from __future__ import annotations

import numpy as np

from .planner import Person, PlanTask


def working_intervals(
    days: int, start_hour: float = 9.0, end_hour: float = 18.0
) -> list[tuple[float, float]]:
    """Weekday working hours for ``days`` calendar days; hour 0 is Monday 00:00."""
    out = []
    for day in range(days):
        if day % 7 in (5, 6):
            continue
        out.append((24.0 * day + start_hour, 24.0 * day + end_hour))
    return out


def agency_scenario(
    people: int,
    tasks: int,
    seed: int = 0,
    dependency_rate: float = 0.2,
    pin_rate: float = 0.02,
    promise_rate: float = 0.1,
) -> tuple[list[Person], list[PlanTask]]:
    """A seeded scenario: ``tasks`` tasks over ``people`` people with due dates, weights
    (a promise adds to the weight), cross-person dependencies on earlier tasks, and pins."""
    rng = np.random.default_rng(seed)
    per_person_load = tasks / people * 4.5  # mean hours per task ~4.5
    days = int(per_person_load / 9 * 7 / 5 * 2.5) + 30
    persons = [
        Person(f"p{i}", working_intervals(days, 9.0 + (i % 3) * 0.5, 18.0 + (i % 3) * 0.5))
        for i in range(people)
    ]
    horizon_work_days = per_person_load / 9 * 7 / 5 * 24  # calendar hours to do the load
    out: list[PlanTask] = []
    for k in range(tasks):
        hours = float(rng.choice([0.5, 1, 2, 3, 4, 6, 8, 12, 16]))
        due = (
            float(rng.uniform(12, max(24.0, horizon_work_days * 1.1)))
            if rng.random() < 0.9
            else None
        )
        promise = rng.random() < promise_rate
        weight = float(rng.integers(1, 11)) + (4.0 if promise else 0.0)
        blocked: tuple[str, ...] = ()
        if k > 5 and rng.random() < dependency_rate:
            nb = int(rng.integers(1, 3))
            blocked = tuple(sorted({f"t{int(b)}" for b in rng.integers(max(0, k - 200), k, nb)}))
        pinned = None
        if not blocked and rng.random() < pin_rate:
            day = int(rng.integers(0, 10))
            pinned = 24.0 * (day + (2 if day % 7 >= 5 else 0)) + 10.0 + (k % 3) * 0.5
        out.append(
            PlanTask(
                f"t{k}", f"p{int(rng.integers(0, people))}", hours, due, weight, blocked, pinned
            )
        )
    return persons, out
