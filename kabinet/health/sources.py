"""Where KPI points come from automatically: the seam for source connectors.

A source is an object with a `key` (stored on each point it writes, see `models.Source`), a
`label`, and `fetch(project, metrics, start, end) -> Iterable[PointIn]` that returns the values of
those metrics for the days `start..end` (inclusive). It does not write: `sync` writes what it
returns through `services.write_points`, the one idempotent upsert by (metric, date) — so pulling
the same days twice changes nothing.

Connectors for Yandex Metrica, Yandex Direct, GA4 and Google Ads register themselves here with
`register(...)` (credentials and the periodic job live with them). The built-in `sample` source
draws a deterministic, plausible series for the demo and for tests.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol

from kabinet.clients.models import Project
from kabinet.health.models import Metric, Period, Source
from kabinet.health.services import PointIn, WriteResult, write_points


class PointSource(Protocol):
    key: str
    label: str

    def fetch(
        self, project: Project, metrics: Sequence[Metric], start: date, end: date
    ) -> Iterable[PointIn]: ...


_REGISTRY: dict[str, PointSource] = {}


def register(source: PointSource) -> PointSource:
    _REGISTRY[source.key] = source
    return source


def get(key: str) -> PointSource:
    try:
        return _REGISTRY[key]
    except KeyError:
        raise LookupError(f"no KPI source {key!r}; known: {', '.join(sorted(_REGISTRY))}") from None


def available() -> list[PointSource]:
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]


def sync(project: Project, source_key: str, start: date, end: date) -> WriteResult:
    """Pull `start..end` for the project's metrics filled from this source, and upsert them."""
    source = get(source_key)
    metrics = list(Metric.objects.filter(project=project, source=source_key))
    if not metrics:
        return WriteResult()
    return write_points(
        project=project, points=source.fetch(project, metrics, start, end), source=source_key
    )


def period_days(period: str, start: date, end: date) -> list[date]:
    """The dates a metric of this period has points on between start and end (Mondays, 1st days)."""
    days: list[date] = []
    day = start
    while day <= end:
        if (
            period == Period.DAY
            or (period == Period.WEEK and day.weekday() == 0)
            or (period == Period.MONTH and day.day == 1)
        ):
            days.append(day)
        day += timedelta(days=1)
    return days


@dataclass(frozen=True)
class SampleProfile:
    """How a sample series behaves: its level on `origin`, growth per 30 days, noise share."""

    level: float
    growth_per_month: float = 0.03
    noise: float = 0.08
    weekly: float = 0.15


# Levels per typical metric key (per day for daily sums; the value itself for averages).
SAMPLE_PROFILES: dict[str, SampleProfile] = {
    "organic_sessions": SampleProfile(level=900, growth_per_month=0.05),
    "sessions": SampleProfile(level=1500, growth_per_month=0.02),
    "leads": SampleProfile(level=14, growth_per_month=0.04, noise=0.25),
    "conversions": SampleProfile(level=20, growth_per_month=0.03, noise=0.2),
    "revenue": SampleProfile(level=180000, growth_per_month=0.03, noise=0.2),
    "spend": SampleProfile(level=8000, growth_per_month=0.0, noise=0.1, weekly=0.05),
    "cost_per_lead": SampleProfile(level=650, growth_per_month=-0.02, noise=0.15, weekly=0.0),
    "avg_position": SampleProfile(level=14, growth_per_month=-0.04, noise=0.04, weekly=0.0),
    "reach": SampleProfile(level=5200, growth_per_month=0.04, noise=0.2),
}
DEFAULT_PROFILE = SampleProfile(level=100)


def _unit_noise(*parts: object) -> float:
    """A stable pseudo-random number in [-1, 1] from its inputs (same inputs, same number)."""
    digest = hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**63 - 1.0


class SampleSource:
    """Plausible, deterministic values: a trend, a weekly rhythm and noise, seeded per project.

    `profiles` maps metric keys to a `SampleProfile`; `overrides` (project pk → key → profile) lets
    the demo make one project grow slower than its forecast.
    """

    key = Source.SAMPLE
    label = "Sample data"

    def __init__(self, origin: date = date(2026, 1, 1)):
        self.origin = origin
        self.overrides: dict[int, dict[str, SampleProfile]] = {}

    def profile(self, project: Project, metric: Metric) -> SampleProfile:
        return self.overrides.get(project.pk, {}).get(metric.key) or SAMPLE_PROFILES.get(
            metric.key, DEFAULT_PROFILE
        )

    def value(self, project: Project, metric: Metric, day: date) -> Decimal:
        p = self.profile(project, metric)
        months = (day - self.origin).days / 30.0
        level = p.level * (1 + p.growth_per_month) ** months
        if metric.period == Period.WEEK:
            level *= 7
        elif metric.period == Period.MONTH and metric.aggregation == "sum":
            level *= 30
        rhythm = (
            1 - p.weekly
            if day.weekday() >= 5 and metric.period == Period.DAY
            else 1 + p.weekly * 0.4
        )
        noise = 1 + p.noise * _unit_noise(project.pk, metric.key, day.isoformat())
        value = max(0.0, level * rhythm * noise)
        if math.isfinite(value):
            return Decimal(str(round(value, metric.decimals)))
        return Decimal(0)

    def fetch(
        self, project: Project, metrics: Sequence[Metric], start: date, end: date
    ) -> Iterable[PointIn]:
        for metric in metrics:
            for day in period_days(metric.period, start, end):
                yield PointIn(
                    metric_key=metric.key, date=day, value=self.value(project, metric, day)
                )


SAMPLE = register(SampleSource())


def _register_connectors() -> None:
    """The four reporting APIs on this seam: their fetch reads the project's `Connection`."""
    from kabinet.health import connectors

    for connector in connectors.all_connectors():
        register(connectors.ConnectionSource(connector))


_register_connectors()
