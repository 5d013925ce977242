"""Prioritisation and scheduling engine (pure Python + numpy; numba speeds up the kernels).

* ``wt``: single-machine total weighted tardiness -- iterated enhanced dynasearch.
* ``priority``: per-task weights (cost of an hour of lateness) from explained factors.
* ``planner``: multi-person plans with working calendars, dependencies and pins; deadline moves.
* ``scenario``: seeded agency scenarios for tests and benchmarks.

No Django imports here: adapters in the domain apps convert models to these dataclasses.
"""

from __future__ import annotations

from .planner import (
    Person,
    Plan,
    PlannedTask,
    PlanTask,
    Proposal,
    greedy_plan,
    plan,
    propose_moves,
)
from .priority import (
    DEFAULT_WEIGHTS,
    FACTORS,
    Explanation,
    PriorityConfig,
    PriorityInput,
    PriorityResult,
    compute,
    explain,
)
from .wt import WTResult, solve

__all__ = [
    "DEFAULT_WEIGHTS",
    "FACTORS",
    "Explanation",
    "Person",
    "Plan",
    "PlanTask",
    "PlannedTask",
    "PriorityConfig",
    "PriorityInput",
    "PriorityResult",
    "Proposal",
    "WTResult",
    "compute",
    "explain",
    "greedy_plan",
    "plan",
    "propose_moves",
    "solve",
]
