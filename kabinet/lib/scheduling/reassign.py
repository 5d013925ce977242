"""Reassignment proposals: would another person's taking a late task remove lateness?

For each task the plan predicts late (largest weighted lateness first), every other person who
has the task's skill and may take it (``PlanTask.eligible``, e.g. people with access to the
project) is tried: the task leaves its person's sequence and is inserted into the candidate's
sequence at each position, and the whole plan is timed again exactly (``search._evaluate``: the
same objective, weight x calendar hours late, that ``planner.plan`` optimises). A proposal is
made when the best such move lowers the plan's objective *and* the task itself ends less late.
Nothing is moved: the caller shows the proposals to a manager, who accepts or rejects them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .planner import Person, Plan, PlanTask, _Flat, _Problem, _topological_rank

# how many late tasks are examined, and insertion positions tried per candidate person
MAX_TASKS = 50
MAX_POSITIONS = 80
# Work budget: whole-plan timings tried in one call. Counted, not timed, so the same input gives
# the same proposals under any load; late tasks not reached when it runs out get none this run.
MAX_EVALUATIONS = 20_000


@dataclass(frozen=True)
class Reassignment:
    task_id: str
    from_person: str
    to_person: str
    late_hours_before: float  # the task's own lateness, calendar hours
    late_hours_after: float
    new_finish: float
    objective_before: float  # the whole plan's weighted lateness
    objective_after: float

    @property
    def saves(self) -> float:
        return self.objective_before - self.objective_after


def can_take(person: Person, task: PlanTask) -> bool:
    """``person`` has the skill ``task`` needs and is among the people who may take it."""
    if task.skill is not None and task.skill not in person.skills:
        return False
    return task.eligible is None or person.id in task.eligible


def candidates(persons: Sequence[Person], task: PlanTask) -> list[str]:
    """Everyone else who could do ``task`` (for "who else could do it")."""
    return [p.id for p in persons if p.id != task.person and can_take(p, task)]


def propose_reassignments(
    persons: Sequence[Person],
    tasks: Sequence[PlanTask],
    plan_: Plan,
    max_evaluations: int = MAX_EVALUATIONS,
) -> list[Reassignment]:
    """At most one proposal per late, unpinned task: the move to another eligible person that
    lowers the plan's objective most, if any; largest saving first. Late tasks are examined
    latest (weighted) first until ``max_evaluations`` whole-plan timings have been spent."""
    prob = _Problem(persons, tasks)
    flat = _Flat(prob)
    n = len(prob.tasks)
    start = np.array([plan_.items[t.id].start for t in prob.tasks])
    finish = np.array([plan_.items[t.id].finish for t in prob.tasks])
    topo = _topological_rank(prob)
    seqs = [
        sorted(prob.by_person[pid], key=lambda k: (start[k], finish[k], topo[k]))
        for pid in flat.pids
    ]
    base, _ops = _evaluate(flat, seqs, flat.person)
    if not math.isfinite(base):  # pragma: no cover - a plan's own order never deadlocks
        return []
    base_fin = flat.fin.copy()
    pindex = {pid: q for q, pid in enumerate(flat.pids)}
    late = [
        k
        for k in range(n)
        if prob.tasks[k].pinned_start is None and base_fin[k] > flat.due[k] + 1e-6
    ]
    late.sort(key=lambda k: (-flat.w[k] * (base_fin[k] - flat.due[k]), prob.tasks[k].id))
    out: list[Reassignment] = []
    spent = 0
    for k in late[:MAX_TASKS]:
        if spent >= max_evaluations:
            break
        t = prob.tasks[k]
        q_from = pindex[t.person]
        without = [k2 for k2 in seqs[q_from] if k2 != k]
        best: tuple[float, float, str] | None = None
        for pid in candidates(persons, t):
            q = pindex[pid]
            person = flat.person.copy()
            person[k] = q
            target = seqs[q]
            positions = range(len(target) + 1)
            if len(target) + 1 > MAX_POSITIONS:
                step = (len(target) + 1) / MAX_POSITIONS
                positions = sorted({int(i * step) for i in range(MAX_POSITIONS)} | {len(target)})
            for pos in positions:
                trial = list(seqs)
                trial[q_from] = without
                trial[q] = target[:pos] + [k] + target[pos:]
                obj, _ops = _evaluate(flat, trial, person)
                spent += 1
                if obj < base - 1e-6 and (best is None or obj < best[0] - 1e-9):
                    best = (obj, float(flat.fin[k]), pid)
        if best is None:
            continue
        obj, fin, pid = best
        before = float(base_fin[k] - flat.due[k])
        after = max(0.0, fin - float(flat.due[k]))
        if after < before - 1e-6:
            out.append(Reassignment(t.id, t.person, pid, before, after, fin, base, obj))
    out.sort(key=lambda r: (-r.saves, r.task_id))
    return out


def _evaluate(flat: _Flat, seqs: list[list[int]], person: np.ndarray) -> tuple[float, int]:
    sptr = np.zeros(len(seqs) + 1, dtype=np.int64)
    for q, sq in enumerate(seqs):
        sptr[q + 1] = sptr[q] + len(sq)
    seq = np.array([k for sq in seqs for k in sq], dtype=np.int64)
    return flat.evaluate(seq, sptr, person)
