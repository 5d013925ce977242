"""Priority weights: how much each hour of a task's lateness costs, and why.

Every factor is normalised to [0, 1] (``PriorityResult.values``) and multiplied by a per-agency
factor weight (``DEFAULT_WEIGHTS``, overridable) to give its contribution; the task's weight is
``config.base`` plus the sum of contributions. Everything is vectorised over the N tasks (columns
of numpy arrays), so re-weighting 100,000 tasks is a handful of array operations.

Factors and their normalisation (``PriorityConfig`` holds the scales):

=============== =============================================================================
deadline        slack = business hours until the due date minus remaining work;
                ``exp(-max(slack, 0) / slack_scale_hours)`` -> 1 when there is no slack left
                (or the task is overdue), 0 without a due date
promise         1 when a promise to the client is attached to the task
tier            client tier mapped through ``tier_values`` (unknown tier -> 0)
budget          ``log1p(budget) / log1p(max budget of the agency)``
health          ``(10 - understanding index) / 10``; unknown (NaN) -> 0.5 (neutral)
blocks_tasks    tasks it blocks, transitively: ``n / (n + blocks_tasks_scale)``
blocks_hours    hours of work it blocks, transitively: ``h / (h + blocks_hours_scale)``
client_visible  1 when the client can see the task
age             business days waited: ``a / (a + age_scale_days)``
boost           manager's manual boost, ``min(boost, max_boost) / max_boost``
=============== =============================================================================
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

FACTORS: tuple[str, ...] = (
    "deadline",
    "promise",
    "tier",
    "budget",
    "health",
    "blocks_tasks",
    "blocks_hours",
    "client_visible",
    "age",
    "boost",
)

DEFAULT_WEIGHTS: dict[str, float] = {
    "deadline": 3.0,
    "promise": 4.0,
    "tier": 1.0,
    "budget": 1.0,
    "health": 1.5,
    "blocks_tasks": 1.5,
    "blocks_hours": 1.0,
    "client_visible": 1.0,
    "age": 0.5,
    "boost": 3.0,
}

DEFAULT_TIERS: dict[str, float] = {"standard": 0.0, "gold": 0.5, "platinum": 1.0}

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "deadline": "deadline is close for the remaining work",
        "deadline_passed": "the deadline has passed",
        "promise": "a promise to the client depends on it",
        "tier": "high-tier client",
        "budget": "large client budget",
        "health": "the client's understanding is low",
        "blocks_tasks": "other tasks wait for it",
        "blocks_hours": "a lot of work waits for it",
        "client_visible": "the client sees it",
        "age": "it has been waiting long",
        "boost": "a manager raised it",
        "_none": "no urgent factors",
        "_priority": "Priority {weight:.1f}",
    },
    "ru": {
        "deadline": "до срока мало времени на оставшуюся работу",
        "deadline_passed": "срок уже прошёл",
        "promise": "от задачи зависит обещание клиенту",
        "tier": "клиент высокого уровня",
        "budget": "крупный бюджет клиента",
        "health": "у клиента низкий индекс понимания",
        "blocks_tasks": "её ждут другие задачи",
        "blocks_hours": "её ждёт много работы",
        "client_visible": "задачу видит клиент",
        "age": "задача давно ждёт",
        "boost": "приоритет поднят менеджером",
        "_none": "срочных факторов нет",
        "_priority": "Приоритет {weight:.1f}",
    },
}


@dataclass
class PriorityConfig:
    base: float = 1.0
    tier_values: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_TIERS))
    slack_scale_hours: float = 16.0
    blocks_tasks_scale: float = 3.0
    blocks_hours_scale: float = 16.0
    age_scale_days: float = 5.0
    max_boost: float = 3.0
    max_budget: float | None = None  # the agency's max monthly budget; None -> max of the input


@dataclass
class PriorityInput:
    """Columns for N open tasks. Missing values: due -> NaN, health -> NaN."""

    hours_to_due: np.ndarray  # business hours from now to the due date (NaN = no due date)
    remaining_hours: np.ndarray  # remaining work, hours
    promise: np.ndarray  # bool
    tier: np.ndarray  # str (e.g. "gold") or object
    budget: np.ndarray  # monthly budget of the client
    health: np.ndarray  # understanding index 0..10, NaN = unknown
    blocks_tasks: np.ndarray  # number of tasks blocked, transitively
    blocks_hours: np.ndarray  # hours of work blocked, transitively
    client_visible: np.ndarray  # bool
    age_days: np.ndarray  # business days since the task became open
    boost: np.ndarray  # manager's manual boost, 0..max_boost

    def __len__(self) -> int:
        return len(self.remaining_hours)


@dataclass
class PriorityResult:
    weight: np.ndarray  # (N,) cost of one hour of lateness
    contributions: np.ndarray  # (N, F) factor weight * normalised value
    values: np.ndarray  # (N, F) normalised values in [0, 1]
    factor_names: tuple[str, ...]
    base: float


@dataclass
class Explanation:
    one_line: str
    details: list[tuple[str, float, float]]  # (factor, normalised value, contribution)


def merged_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """Agency overrides on top of ``DEFAULT_WEIGHTS``; unknown names are an error."""
    out = dict(DEFAULT_WEIGHTS)
    if weights:
        unknown = sorted(set(weights) - set(FACTORS))
        if unknown:
            raise ValueError(f"unknown priority factor(s): {', '.join(unknown)}")
        for k, v in weights.items():
            if v < 0:
                raise ValueError(f"factor weight {k!r} must not be negative")
            out[k] = float(v)
    return out


def _f(a: Iterable | np.ndarray) -> np.ndarray:
    return np.asarray(a, dtype=np.float64)


def normalised_values(inputs: PriorityInput, config: PriorityConfig | None = None) -> np.ndarray:
    """(N, F) matrix of factor values in [0, 1], columns in ``FACTORS`` order."""
    cfg = config or PriorityConfig()
    n = len(inputs)
    vals = np.empty((n, len(FACTORS)), dtype=np.float64)

    due = _f(inputs.hours_to_due)
    slack = due - np.nan_to_num(_f(inputs.remaining_hours))
    with np.errstate(invalid="ignore"):
        dl = np.exp(-np.maximum(slack, 0.0) / cfg.slack_scale_hours)
    vals[:, 0] = np.where(np.isnan(due), 0.0, dl)
    vals[:, 1] = np.asarray(inputs.promise, dtype=bool)

    tier = np.asarray(inputs.tier)
    if n:
        uniq, inv = np.unique(tier.astype(str), return_inverse=True)
        lut = np.array([float(cfg.tier_values.get(str(u), 0.0)) for u in uniq])
        vals[:, 2] = np.clip(lut[inv.reshape(-1)], 0.0, 1.0)

    budget = np.maximum(np.nan_to_num(_f(inputs.budget)), 0.0)
    top = cfg.max_budget if cfg.max_budget is not None else (budget.max() if n else 0.0)
    vals[:, 3] = np.clip(np.log1p(budget) / np.log1p(top), 0.0, 1.0) if top > 0 else 0.0

    health = _f(inputs.health)
    vals[:, 4] = np.where(np.isnan(health), 0.5, np.clip((10.0 - health) / 10.0, 0.0, 1.0))

    bt = np.maximum(np.nan_to_num(_f(inputs.blocks_tasks)), 0.0)
    vals[:, 5] = bt / (bt + cfg.blocks_tasks_scale)
    bh = np.maximum(np.nan_to_num(_f(inputs.blocks_hours)), 0.0)
    vals[:, 6] = bh / (bh + cfg.blocks_hours_scale)
    vals[:, 7] = np.asarray(inputs.client_visible, dtype=bool)
    age = np.maximum(np.nan_to_num(_f(inputs.age_days)), 0.0)
    vals[:, 8] = age / (age + cfg.age_scale_days)
    boost = np.nan_to_num(_f(inputs.boost))
    vals[:, 9] = np.clip(boost, 0.0, cfg.max_boost) / cfg.max_boost if cfg.max_boost > 0 else 0.0
    return vals


def compute(
    inputs: PriorityInput,
    weights: Mapping[str, float] | None = None,
    config: PriorityConfig | None = None,
) -> PriorityResult:
    """Weights for all tasks at once (vectorised)."""
    cfg = config or PriorityConfig()
    w = merged_weights(weights)
    vals = normalised_values(inputs, cfg)
    fw = np.array([w[f] for f in FACTORS], dtype=np.float64)
    contrib = vals * fw
    weight = cfg.base + contrib.sum(axis=1)
    return PriorityResult(weight, contrib, vals, FACTORS, cfg.base)


def explain(
    result: PriorityResult,
    i: int,
    lang: str = "ru",
    share: float = 0.7,
    top: int = 3,
    overdue: bool = False,
) -> Explanation:
    """The factors that decided task ``i``'s weight: the largest contributions that together
    make up ``share`` of the non-base weight (at most ``top`` of them). For an ``overdue`` task
    the deadline factor says the date has passed ("close" read wrong on a task late by days)."""
    labels = LABELS.get(lang)
    if labels is None:
        raise ValueError(f"unsupported language {lang!r}; use one of {sorted(LABELS)}")
    contrib = result.contributions[i]
    total = float(contrib.sum())
    order = np.argsort(-contrib, kind="stable")
    picked: list[int] = []
    acc = 0.0
    for k in order:
        c = float(contrib[k])
        if c <= 1e-9 or len(picked) >= top:
            break
        picked.append(int(k))
        acc += c
        if acc >= share * total:
            break
    head = labels["_priority"].format(weight=float(result.weight[i]))
    if picked:
        names = [result.factor_names[k] for k in picked]
        if overdue:
            names = ["deadline_passed" if name == "deadline" else name for name in names]
        reasons = ", ".join(labels[name] for name in names)
    else:
        reasons = labels["_none"]
    details = [
        (result.factor_names[k], float(result.values[i, k]), float(contrib[k])) for k in picked
    ]
    return Explanation(f"{head}: {reasons}", details)


def transitive_blocked(
    n: int, edges: Iterable[tuple[int, int]], hours: np.ndarray | Iterable[float]
) -> tuple[np.ndarray, np.ndarray]:
    """For each task, how many tasks and how many hours it blocks, transitively.

    ``edges`` are ``(blocker, blocked)`` index pairs. Exact (a task reachable by two paths is
    counted once); uses Python integers as bitsets, fine for tens of thousands of tasks.
    Raises ``ValueError`` on a dependency cycle.
    """
    hrs = np.asarray(list(hours) if not isinstance(hours, np.ndarray) else hours, dtype=float)
    succ: list[list[int]] = [[] for _ in range(n)]
    indeg = np.zeros(n, dtype=np.int64)
    for a, b in edges:
        succ[a].append(b)
        indeg[b] += 1
    # topological order (Kahn)
    stack = [i for i in range(n) if indeg[i] == 0]
    topo: list[int] = []
    while stack:
        v = stack.pop()
        topo.append(v)
        for u in succ[v]:
            indeg[u] -= 1
            if indeg[u] == 0:
                stack.append(u)
    if len(topo) != n:
        raise ValueError("dependency cycle among tasks")
    reach = [0] * n
    count = np.zeros(n, dtype=np.int64)
    total = np.zeros(n, dtype=np.float64)
    for v in reversed(topo):
        r = 0
        for u in succ[v]:
            r |= reach[u] | (1 << u)
        reach[v] = r
        if r:
            idx = [k for k in range(n) if (r >> k) & 1] if n <= 64 else _bits(r)
            count[v] = len(idx)
            total[v] = float(hrs[idx].sum())
    return count, total


def _bits(r: int) -> list[int]:
    out = []
    while r:
        low = r & -r
        out.append(low.bit_length() - 1)
        r ^= low
    return out
