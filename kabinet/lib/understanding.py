"""The understanding index: how well a client sees what the agency does, from 0 to 10.

A transparent weighted mean. Each component turns one measurement into a normalised score
between 0 (bad) and 1 (good); the index is ten times the weighted mean of the scores of the
components that have data. Each component's contribution is its share of the index, so the
contributions add up to the index and the explanation is the arithmetic:

    index = 10 * sum(w_i * s_i) / sum(w_i)            (over components with data)
    contribution_i = 10 * w_i * s_i / sum(w_i)

Components (the key, what it measures, how the score falls):

=================  ========================================================  ======================
silence            business days since the agency's last client-visible      1 up to the cadence,
                   update                                                    0 at 3x the cadence
schedule           share of due reports and plans published on time          the share
opened             share of published documents a client person opened       the share
decisions          business days the client's pending decisions have waited  1 / (1 + days / 10)
                   (summed over the decisions)
open_questions     questions waiting for the agency now                      1 / (1 + n / 3)
sla                share of answers given within the SLA                     the share
reopened           share of answered questions the client reopened           1 - the share
rating             the client's mean rating of answers (1..5)                (r - 1) / 4
promises           share of promises due that were broken or moved           1 - the share
logins             business days since a client person last opened Kabinet   1 up to the cadence,
                                                                             0 at 4x the cadence
expectation        KPIs whose client expectation lies outside our forecast   1 / (1 + n)
                   (the adapter counts one beyond our best forecast twice)
=================  ========================================================  ======================

A component with no data (no reports due, no questions asked...) is left out of the weighted
mean and shown as "no data". Silence always has data (never updated = infinitely silent). A client
with no person holding an account cannot open anything: "opened" and "logins" have no data.

Pure Python: no Django. The Django side (kabinet.health.understanding) measures, stores daily
snapshots and raises the alarms.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace

COMPONENTS: tuple[str, ...] = (
    "silence",
    "schedule",
    "opened",
    "decisions",
    "open_questions",
    "sla",
    "reopened",
    "rating",
    "promises",
    "logins",
    "expectation",
)

DEFAULT_WEIGHTS: dict[str, float] = {
    "silence": 3.0,
    "schedule": 1.5,
    "opened": 1.0,
    "decisions": 1.0,
    "open_questions": 1.0,
    "sla": 1.0,
    "reopened": 0.5,
    "rating": 1.0,
    "promises": 1.5,
    "logins": 1.0,
    "expectation": 2.5,
}
DEFAULT_CADENCE_DAYS = 5  # business days between client-visible updates the agency agreed to
DECISION_DAYS_SCALE = 10.0
OPEN_QUESTIONS_SCALE = 3.0
MAX_INDEX = 10.0

# Which way each component's raw value moves the index: +1 more is better, -1 more is worse.
DIRECTION: dict[str, int] = {
    "silence": -1,
    "schedule": +1,
    "opened": +1,
    "decisions": -1,
    "open_questions": -1,
    "sla": +1,
    "reopened": -1,
    "rating": +1,
    "promises": -1,
    "logins": -1,
    "expectation": -1,
}


@dataclass(frozen=True)
class Measurements:
    """What was measured for one project (or one client company: `merge` adds projects up).

    Counts, not ratios, so that a company's figures are the sum of its projects'.
    `None` for "days since" means: never.
    """

    days_since_update: float | None = None
    reports_due: int = 0
    reports_on_time: int = 0
    documents_published: int = 0
    documents_opened: int = 0
    decisions_waiting: int = 0
    decision_days: float = 0.0
    questions_open: int = 0
    responses: int = 0
    responses_within_sla: int = 0
    questions_answered: int = 0
    questions_reopened: int = 0
    ratings_count: int = 0
    ratings_sum: float = 0.0
    promises_due: int = 0
    promises_broken_or_moved: int = 0
    days_since_client_seen: float | None = None
    expectation_gaps: int = 0
    # Client people with an account; with none, "opened" and "logins" cannot be measured (no data).
    client_accounts: int = 1

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: Mapping) -> Measurements:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


def _min_days(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return min(known) if known else None


def merge(items: Iterable[Measurements]) -> Measurements:
    """A client company's measurements from its projects': counts add up, and the company has
    heard from the agency (or looked) as recently as its most recently served project."""
    items = list(items)
    if not items:
        return Measurements()
    sums = {
        f.name: sum(getattr(m, f.name) for m in items)
        for f in fields(Measurements)
        if f.name not in ("days_since_update", "days_since_client_seen", "client_accounts")
    }
    return Measurements(
        client_accounts=max(m.client_accounts for m in items),
        days_since_update=_min_days(m.days_since_update for m in items),
        days_since_client_seen=_min_days(m.days_since_client_seen for m in items),
        **sums,
    )


@dataclass(frozen=True)
class Settings:
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    cadence_days: float = DEFAULT_CADENCE_DAYS

    def __post_init__(self) -> None:
        if self.cadence_days <= 0:
            raise ValueError("cadence_days must be positive")
        for key, weight in self.weights.items():
            if key not in COMPONENTS:
                raise ValueError(f"unknown component {key!r}")
            if not (weight >= 0 and math.isfinite(weight)):
                raise ValueError(f"weight of {key!r} must be a finite number >= 0")

    def weight(self, key: str) -> float:
        return float(self.weights.get(key, DEFAULT_WEIGHTS[key]))


@dataclass(frozen=True)
class Component:
    key: str
    value: float | None  # the measurement shown (days, share, count, mean rating); None = no data
    score: float | None  # normalised 0..1, 1 = good; None = no data (left out)
    weight: float
    contribution: float  # points of the index this component gives (0 when no data)
    lost: float  # points it could give at a perfect score and does not


@dataclass(frozen=True)
class Score:
    index: float
    components: tuple[Component, ...]

    def component(self, key: str) -> Component:
        return next(c for c in self.components if c.key == key)

    def as_dict(self) -> dict:
        return {
            "index": self.index,
            "components": {
                c.key: {
                    "value": c.value,
                    "score": c.score,
                    "weight": c.weight,
                    "contribution": c.contribution,
                    "lost": c.lost,
                }
                for c in self.components
            },
        }


def _clip(x: float) -> float:
    return min(1.0, max(0.0, x))


def _days_score(days: float | None, cadence: float, zero_at: float) -> float:
    """1 while within the cadence, falling linearly to 0 at `zero_at` times the cadence."""
    if days is None:
        return 0.0
    if days <= cadence:
        return 1.0
    return _clip(1.0 - (days - cadence) / (cadence * (zero_at - 1.0)))


def _share(num: float, den: float) -> float | None:
    return _clip(num / den) if den > 0 else None


def values_and_scores(
    m: Measurements, cadence: float
) -> dict[str, tuple[float | None, float | None]]:
    """Each component's shown value and its normalised score (None, None: no data)."""
    out: dict[str, tuple[float | None, float | None]] = {}
    out["silence"] = (m.days_since_update, _days_score(m.days_since_update, cadence, 3.0))
    share = _share(m.reports_on_time, m.reports_due)
    out["schedule"] = (share, share)
    share = _share(m.documents_opened, m.documents_published) if m.client_accounts > 0 else None
    out["opened"] = (share, share)
    days = max(0.0, float(m.decision_days))
    out["decisions"] = (days, 1.0 / (1.0 + days / DECISION_DAYS_SCALE))
    n = max(0, m.questions_open)
    out["open_questions"] = (float(n), 1.0 / (1.0 + n / OPEN_QUESTIONS_SCALE))
    share = _share(m.responses_within_sla, m.responses)
    out["sla"] = (share, share)
    share = _share(m.questions_reopened, m.questions_answered)
    out["reopened"] = (share, None if share is None else 1.0 - share)
    if m.ratings_count > 0:
        mean = min(5.0, max(1.0, m.ratings_sum / m.ratings_count))
        out["rating"] = (mean, (mean - 1.0) / 4.0)
    else:
        out["rating"] = (None, None)
    share = _share(m.promises_broken_or_moved, m.promises_due)
    out["promises"] = (share, None if share is None else 1.0 - share)
    if m.client_accounts > 0:
        seen = m.days_since_client_seen
        out["logins"] = (seen, _days_score(seen, cadence, 4.0))
    else:
        out["logins"] = (None, None)
    n = max(0, m.expectation_gaps)
    out["expectation"] = (float(n), 1.0 / (1.0 + n))
    return out


def score(m: Measurements, settings: Settings | None = None) -> Score:
    settings = settings or Settings()
    vs = values_and_scores(m, float(settings.cadence_days))
    total_weight = sum(settings.weight(k) for k in COMPONENTS if vs[k][1] is not None)
    components = []
    index = 0.0
    for key in COMPONENTS:
        value, s = vs[key]
        weight = settings.weight(key)
        if s is None or total_weight <= 0:
            components.append(Component(key, value, s, weight, 0.0, 0.0))
            continue
        contribution = MAX_INDEX * weight * s / total_weight
        lost = MAX_INDEX * weight * (1.0 - s) / total_weight
        index += contribution
        components.append(Component(key, value, s, weight, contribution, lost))
    if total_weight <= 0:
        index = MAX_INDEX / 2  # every weight zero: nothing to judge by
    return Score(index=min(MAX_INDEX, max(0.0, index)), components=tuple(components))


def with_component(m: Measurements, **changes) -> Measurements:
    return replace(m, **changes)


# --------------------------------------------------------------------------- calibration


def auc(scores_positive: Iterable[float], scores_negative: Iterable[float]) -> float | None:
    """ROC AUC by the exact Mann–Whitney count: the probability that a random positive scores
    higher than a random negative (ties count half). None when either side is empty."""
    pos = sorted(float(x) for x in scores_positive)
    neg = sorted(float(x) for x in scores_negative)
    if not pos or not neg:
        return None
    # Rank-sum with average ranks for ties: O((n+m) log(n+m)).
    pooled = sorted([(x, 1) for x in pos] + [(x, 0) for x in neg])
    rank_sum = 0.0
    i = 0
    while i < len(pooled):
        j = i
        while j + 1 < len(pooled) and pooled[j + 1][0] == pooled[i][0]:
            j += 1
        average_rank = (i + j) / 2.0 + 1.0
        rank_sum += average_rank * sum(1 for k in range(i, j + 1) if pooled[k][1] == 1)
        i = j + 1
    u = rank_sum - len(pos) * (len(pos) + 1) / 2.0
    return u / (len(pos) * len(neg))


def proposed_weights(
    component_aucs: Mapping[str, float | None], current: Mapping[str, float]
) -> dict[str, float]:
    """Weights in proportion to how much better than chance each component separated the
    clients who left (risk = low score): (AUC - 0.5), floored at 0, scaled to the same total as
    the current weights. A component with no data or no better than chance gets 0; when none
    separates, the current weights stay."""
    lift = {k: max(0.0, (a or 0.5) - 0.5) for k, a in component_aucs.items() if k in COMPONENTS}
    total_lift = sum(lift.values())
    if total_lift <= 0:
        return {k: float(current.get(k, DEFAULT_WEIGHTS[k])) for k in COMPONENTS}
    total = sum(float(current.get(k, DEFAULT_WEIGHTS[k])) for k in COMPONENTS)
    return {k: round(total * lift.get(k, 0.0) / total_lift, 2) for k in COMPONENTS}
