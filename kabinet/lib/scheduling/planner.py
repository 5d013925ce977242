"""Multi-person planner: who does what, in which order, and which deadlines are no longer honest.

Input is plain data. Time is a float axis in hours from the plan's epoch ("now"); each person
comes with sorted, disjoint working intervals on that axis (the adapter has already applied
working hours, days off and daily capacity). Work happens only inside a person's intervals and
may be split across them (a 6-hour task started at 16:00 continues next morning).

Semantics:

* ``PlanTask.pinned_start``: the task keeps that start (if it falls outside working time, work
  begins at the next working moment). Pinned tasks of one person are placed first, in order of
  their pinned start; other work flows around them. Two pins of one person that overlap cannot
  both hold: the later one starts when the earlier one ends, and ``Plan.conflicts`` says so.
  A pinned task is *not* moved for its blockers: if a blocker is predicted to finish after the
  pinned start, the plan keeps the pin and lists the clash in ``Plan.conflicts`` for a human.
* Every other task starts no earlier than the predicted finish of all its blockers (which may
  belong to other people) and runs without interruption except for non-working time.
* Unknown person, unknown blocker, a task blocking itself or a dependency cycle: ``ValueError``
  with the task ids involved.
* Work that does not fit before the end of a person's last interval is reported in
  ``Plan.unscheduled`` (no segments); for the objective it is assumed to run right after the
  horizon, so such plans are still comparable.

Optimisation: a serial schedule-generation scheme builds the plan from one priority list per
person (a person takes the next task of their list whose blockers are already placed; across
people, the earliest possible start goes first). Starting from the better of the two greedy
plans, each round recomputes every task's release time from its blockers' predicted finish and
improves each person's list by local search (insertions and swaps; random kicks once plain
descent stops paying off) for 1|r_j, prec|sum w_j T_j in that person's working-hours time. A
task with successors on other people's lists also carries their lateness: each such successor
adds a term (its weight, its latest on-time start). The true objective (weighted lateness in
calendar hours) of the rebuilt plan decides which plan is kept, so ``plan`` never returns
anything worse than the better greedy baseline. Each person gets a share of ``time_limit``
proportional to their number of tasks (long lists search only nearby moves).

Objective: ``sum(weight * late_hours)`` with ``late_hours = max(0, finish - due)`` on the
calendar axis (hours from now, nights and weekends included); tasks without a due date are
never late.
"""

from __future__ import annotations

import bisect
import heapq
import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ._jit import njit


@dataclass(frozen=True)
class Person:
    id: str
    intervals: list[tuple[float, float]]  # sorted, disjoint working periods, hours from now


@dataclass(frozen=True)
class PlanTask:
    id: str
    person: str
    hours: float
    due: float | None
    weight: float
    blocked_by: tuple[str, ...] = ()
    pinned_start: float | None = None


@dataclass
class PlannedTask:
    start: float
    finish: float
    late_hours: float
    person: str
    segments: list[tuple[float, float]] = field(default_factory=list)


@dataclass
class Plan:
    items: dict[str, PlannedTask]
    total_weighted_lateness: float
    late: list[str]
    conflicts: list[str] = field(default_factory=list)
    unscheduled: list[str] = field(default_factory=list)
    rule: str = "kabinet"


@dataclass
class Proposal:
    task_id: str
    old_due: float
    new_due: float
    lateness_hours: float


_EPS = 1e-9
# a first, conservative guess of the local search's speed (kernel steps per second); plan()
# re-measures it as it goes and gives each person a share of the time limit in steps
_OPS_PER_SECOND = 3e7


class _Calendar:
    """Free working time of one person, as sorted disjoint intervals."""

    def __init__(self, intervals: Iterable[tuple[float, float]]):
        iv = [(float(a), float(b)) for a, b in intervals if b - a > _EPS]
        for (_a1, b1), (a2, _b2) in zip(iv, iv[1:], strict=False):
            if a2 < b1 - _EPS:
                raise ValueError("working intervals must be sorted and disjoint")
        self.starts = [a for a, _ in iv]
        self.ends = [b for _, b in iv]
        cum = [0.0]
        for a, b in iv:
            cum.append(cum[-1] + b - a)
        self.cum = cum

    @property
    def horizon(self) -> float:
        return self.ends[-1] if self.ends else 0.0

    def work_before(self, t: float) -> float:
        """Working hours available in [0, t]."""
        k = bisect.bisect_right(self.starts, t) - 1
        if k < 0:
            return 0.0
        return self.cum[k] + min(t, self.ends[k]) - self.starts[k]

    def time_at_work(self, h: float) -> float:
        """Earliest time by which ``h`` working hours are available (inverse of work_before)."""
        if not self.starts or h <= 0:
            return self.starts[0] if self.starts and h <= 0 else max(0.0, h)
        k = bisect.bisect_left(self.cum, h) - 1
        if k >= len(self.starts):
            return self.horizon + (h - self.cum[-1])
        return self.starts[k] + (h - self.cum[k])

    def run(self, t: float, hours: float) -> tuple[float, float, list[tuple[float, float]], bool]:
        """Do ``hours`` of work from ``t``: (start, finish, segments, fits_in_horizon)."""
        k = bisect.bisect_right(self.ends, t + _EPS)
        segs: list[tuple[float, float]] = []
        left = hours
        start = None
        while k < len(self.starts):
            a = max(self.starts[k], t)
            b = self.ends[k]
            if b - a > _EPS:
                if start is None:
                    start = a
                if left <= _EPS:
                    break
                take = min(left, b - a)
                segs.append((a, a + take))
                left -= take
                if left <= _EPS:
                    return start, a + take, segs, True
            k += 1
        if left <= _EPS and start is not None:
            return start, start, segs, True
        h = self.horizon
        s = start if start is not None else max(t, h)
        return s, max(t, h) + left, segs, False

    def reserve(self, segs: Sequence[tuple[float, float]]) -> None:
        """Remove ``segs`` (which lie inside free time) from the calendar."""
        iv = list(zip(self.starts, self.ends, strict=False))
        for a, b in segs:
            out = []
            for s, e in iv:
                if e <= a + _EPS or s >= b - _EPS:
                    out.append((s, e))
                    continue
                if s < a - _EPS:
                    out.append((s, a))
                if e > b + _EPS:
                    out.append((b, e))
            iv = out
        self.__init__(iv)


# ------------------------------------------------------------------------------------------
# per-person local search (numba when available)
# ------------------------------------------------------------------------------------------


@njit
def _seq_cost(seq, p, r, tptr, tw, td, pptr, pidx, done):  # pragma: no cover - compiled
    n = seq.shape[0]
    for k in range(n):
        done[seq[k]] = False
    t = 0.0
    tot = 0.0
    for k in range(n):
        j = seq[k]
        for q in range(pptr[j], pptr[j + 1]):
            if not done[pidx[q]]:
                tot += 1e12
        if r[j] > t:
            t = r[j]
        t += p[j]
        for q in range(tptr[j], tptr[j + 1]):
            if t > td[q]:
                tot += tw[q] * (t - td[q])
        done[j] = True
    return tot


@njit
def _move(seq, i, j):  # pragma: no cover - compiled
    x = seq[i]
    if i < j:
        for q in range(i, j):
            seq[q] = seq[q + 1]
    else:
        for q in range(i, j, -1):
            seq[q] = seq[q - 1]
    seq[j] = x


@njit
def _prepare(seq, p, r, tptr, tw, td, pptr, pidx, pos, tb, cpre):  # pragma: no cover
    """Positions, times before each position and prefix costs of ``seq``; returns the cost."""
    n = seq.shape[0]
    for k in range(n):
        pos[seq[k]] = k
    t = 0.0
    c = 0.0
    tb[0] = 0.0
    cpre[0] = 0.0
    for k in range(n):
        j = seq[k]
        for q in range(pptr[j], pptr[j + 1]):
            if pos[pidx[q]] > k:
                c += 1e12
        if r[j] > t:
            t = r[j]
        t += p[j]
        for q in range(tptr[j], tptr[j + 1]):
            if t > td[q]:
                c += tw[q] * (t - td[q])
        tb[k + 1] = t
        cpre[k + 1] = c
    return c


@njit
def _seg_cost(seq, lo, hi, p, r, tptr, tw, td, pptr, pidx, pos, tb, cpre, done):  # pragma: no cover
    """Cost of ``seq`` after a move that only reordered positions lo..hi of the prepared
    sequence: the prefix is reused, and the suffix as soon as the clock is back in step."""
    n = seq.shape[0]
    t = tb[lo]
    c = cpre[lo]
    steps = n - lo
    for k in range(lo, n):
        j = seq[k]
        if k <= hi:
            for q in range(pptr[j], pptr[j + 1]):
                pq = pos[pidx[q]]
                if pq > hi or (pq >= lo and not done[pidx[q]]):
                    c += 1e12
            done[j] = True
        else:
            for q in range(pptr[j], pptr[j + 1]):
                if pos[pidx[q]] > k:
                    c += 1e12
        if r[j] > t:
            t = r[j]
        t += p[j]
        for q in range(tptr[j], tptr[j + 1]):
            if t > td[q]:
                c += tw[q] * (t - td[q])
        if k >= hi and abs(t - tb[k + 1]) <= 1e-9:
            c += cpre[n] - cpre[k + 1]
            steps = k - lo + 1
            break
    for k in range(lo, hi + 1):
        done[seq[k]] = False
    return c, steps


@njit
def _descent(seq, p, r, tptr, tw, td, pptr, pidx, done, cost, budget):  # pragma: no cover
    n = seq.shape[0]
    # long lists: only moves over a bounded distance
    win = n if n <= 120 else max(8, 14400 // n)
    pos = np.empty(n, np.int64)
    tb = np.empty(n + 1)
    cpre = np.empty(n + 1)
    cost = _prepare(seq, p, r, tptr, tw, td, pptr, pidx, pos, tb, cpre)
    ops = n
    improved = True
    passes = 0
    while improved and passes < 50 and ops < budget:
        improved = False
        passes += 1
        for i in range(n):
            if ops >= budget:
                break
            for j in range(max(0, i - win), min(n, i + win + 1)):
                if i == j:
                    continue
                lo = min(i, j)
                hi = max(i, j)
                _move(seq, i, j)
                c, steps = _seg_cost(
                    seq, lo, hi, p, r, tptr, tw, td, pptr, pidx, pos, tb, cpre, done
                )
                ops += steps + 1
                if c < cost - 1e-9:
                    cost = _prepare(seq, p, r, tptr, tw, td, pptr, pidx, pos, tb, cpre)
                    ops += n
                    improved = True
                else:
                    _move(seq, j, i)
        for i in range(n - 1):
            if ops >= budget:
                break
            for j in range(i + 1, min(n, i + win + 1)):
                a = seq[i]
                seq[i] = seq[j]
                seq[j] = a
                c, steps = _seg_cost(seq, i, j, p, r, tptr, tw, td, pptr, pidx, pos, tb, cpre, done)
                ops += steps + 1
                if c < cost - 1e-9:
                    cost = _prepare(seq, p, r, tptr, tw, td, pptr, pidx, pos, tb, cpre)
                    ops += n
                    improved = True
                else:
                    seq[j] = seq[i]
                    seq[i] = a
    return cost, ops


@njit
def _person_ils(
    seq, p, r, tptr, tw, td, pptr, pidx, kicks, seed, budget
):  # pragma: no cover - compiled
    np.random.seed(seed)
    n = seq.shape[0]
    done = np.zeros(n, np.bool_)
    cost = _seq_cost(seq, p, r, tptr, tw, td, pptr, pidx, done)
    cost, ops = _descent(seq, p, r, tptr, tw, td, pptr, pidx, done, cost, budget // (kicks + 1))
    if n < 3 or cost <= 0:
        return cost, ops
    best = seq.copy()
    trial = seq.copy()
    for _ in range(kicks):
        for q in range(n):
            trial[q] = best[q]
        for _k in range(2 + np.random.randint(0, 3)):
            i = np.random.randint(0, n - 1)
            j = min(n - 1, i + 1 + np.random.randint(0, max(1, n // 5)))
            a = trial[i]
            trial[i] = trial[j]
            trial[j] = a
        c = _seq_cost(trial, p, r, tptr, tw, td, pptr, pidx, done)
        c, used = _descent(trial, p, r, tptr, tw, td, pptr, pidx, done, c, budget // (kicks + 1))
        ops += used
        if c <= cost:
            cost = c
            for q in range(n):
                best[q] = trial[q]
            if cost <= 0:
                break
    for q in range(n):
        seq[q] = best[q]
    return cost, ops


# ------------------------------------------------------------------------------------------
# building plans
# ------------------------------------------------------------------------------------------


class _Problem:
    def __init__(self, persons: Sequence[Person], tasks: Sequence[PlanTask]):
        self.persons = {p.id: p for p in persons}
        if len(self.persons) != len(persons):
            raise ValueError("duplicate person id")
        self.tasks = list(tasks)
        self.index = {t.id: k for k, t in enumerate(self.tasks)}
        if len(self.index) != len(self.tasks):
            raise ValueError("duplicate task id")
        for t in self.tasks:
            if t.person not in self.persons:
                raise ValueError(f"task {t.id!r}: unknown person {t.person!r}")
            if t.hours < 0 or t.weight < 0:
                raise ValueError(f"task {t.id!r}: hours and weight must be non-negative")
            for b in t.blocked_by:
                if b not in self.index:
                    raise ValueError(f"task {t.id!r} is blocked by unknown task {b!r}")
                if b == t.id:
                    raise ValueError(f"task {t.id!r} blocks itself")
        n = len(self.tasks)
        self.preds = [[self.index[b] for b in t.blocked_by] for t in self.tasks]
        self.succs: list[list[int]] = [[] for _ in range(n)]
        for k, ps in enumerate(self.preds):
            for b in ps:
                self.succs[b].append(k)
        self._check_acyclic()
        self.pinned = [k for k, t in enumerate(self.tasks) if t.pinned_start is not None]
        self.by_person: dict[str, list[int]] = {pid: [] for pid in self.persons}
        for k, t in enumerate(self.tasks):
            if t.pinned_start is None:
                self.by_person[t.person].append(k)
        self.hours = np.array([t.hours for t in self.tasks], dtype=float)
        self.weight = np.array([t.weight for t in self.tasks], dtype=float)
        self.due = np.array(
            [math.inf if t.due is None else float(t.due) for t in self.tasks], dtype=float
        )
        self._pin_layout()
        # latest start that keeps each task on time (its pinned start if pinned)
        self.lst = np.full(n, math.inf)
        for k, t in enumerate(self.tasks):
            if t.pinned_start is not None:
                self.lst[k] = float(t.pinned_start)
            elif t.due is not None:
                cal = self.free[t.person]
                self.lst[k] = cal.time_at_work(cal.work_before(float(t.due)) - t.hours)

    def _check_acyclic(self) -> None:
        n = len(self.tasks)
        indeg = [len(ps) for ps in self.preds]
        stack = [k for k in range(n) if indeg[k] == 0]
        seen = 0
        while stack:
            v = stack.pop()
            seen += 1
            for u in self.succs[v]:
                indeg[u] -= 1
                if indeg[u] == 0:
                    stack.append(u)
        if seen != n:
            cyc = sorted(self.tasks[k].id for k in range(n) if indeg[k] > 0)
            raise ValueError("dependency cycle among tasks: " + ", ".join(cyc[:20]))

    def _pin_layout(self) -> None:
        """Place pinned tasks; the rest of each person's time is the free calendar."""
        self.free: dict[str, _Calendar] = {}
        self.pinned_items: dict[int, PlannedTask] = {}
        self.pinned_overflow: set[int] = set()
        self.pin_clashes: list[str] = []
        for pid, person in self.persons.items():
            cal = _Calendar(person.intervals)
            base = _Calendar(person.intervals)
            mine = sorted(
                (k for k in self.pinned if self.tasks[k].person == pid),
                key=lambda k: (self.tasks[k].pinned_start, self.tasks[k].id),
            )
            for k in mine:
                t = self.tasks[k]
                s, f, segs, ok = cal.run(float(t.pinned_start), t.hours)
                if not ok:
                    self.pinned_overflow.add(k)
                if base.work_before(s) > base.work_before(float(t.pinned_start)) + 1e-6:
                    self.pin_clashes.append(
                        f"pinned task {t.id!r} cannot start at {t.pinned_start:.2f}: another "
                        f"pinned task of {pid!r} is there; it starts at {s:.2f}"
                    )
                cal.reserve(segs)
                self.pinned_items[k] = PlannedTask(s, f, 0.0, pid, segs)
            self.free[pid] = cal

    # -- the serial schedule-generation scheme --------------------------------------------
    def build(self, lists: dict[str, list[int]]) -> tuple[np.ndarray, np.ndarray, dict]:
        n = len(self.tasks)
        start = np.zeros(n)
        finish = np.zeros(n)
        segs: dict[int, list[tuple[float, float]]] = {}
        overflow: set[int] = set(self.pinned_overflow)
        placed = np.zeros(n, dtype=bool)
        waiting = np.array([len(ps) for ps in self.preds], dtype=np.int64)
        ready_time = np.zeros(n)

        def mark(k: int) -> None:
            placed[k] = True
            for u in self.succs[k]:
                waiting[u] -= 1
                if finish[k] > ready_time[u]:
                    ready_time[u] = finish[k]

        for k, it in self.pinned_items.items():
            start[k], finish[k] = it.start, it.finish
            segs[k] = it.segments
            mark(k)
        cur = {pid: 0.0 for pid in self.persons}
        queues = {pid: list(lst) for pid, lst in lists.items() if lst}
        heap: list[tuple[float, str]] = []

        def candidate(pid: str) -> tuple[float, int] | None:
            q = queues[pid]
            for pos, k in enumerate(q):
                if waiting[k] == 0:
                    return max(cur[pid], ready_time[k]), pos
            return None

        blocked: set[str] = set()
        for pid in queues:
            c = candidate(pid)
            if c is None:
                blocked.add(pid)
            else:
                heapq.heappush(heap, (c[0], pid))
        while heap:
            est, pid = heapq.heappop(heap)
            c = candidate(pid)
            if c is None:
                blocked.add(pid)
                continue
            if c[0] > est + _EPS:  # stale entry
                heapq.heappush(heap, (c[0], pid))
                continue
            k = queues[pid].pop(c[1])
            s, f, sg, ok = self.free[pid].run(c[0], self.hours[k])
            if not ok:
                overflow.add(k)
            start[k], finish[k] = s, f
            segs[k] = sg
            cur[pid] = max(cur[pid], f)
            mark(k)
            touched = {self.tasks[u].person for u in self.succs[k]} | {pid}
            for q in touched:
                if q in blocked or q == pid:
                    if queues.get(q):
                        cc = candidate(q)
                        if cc is None:
                            blocked.add(q)
                        else:
                            blocked.discard(q)
                            heapq.heappush(heap, (cc[0], q))
        if not bool(placed.all()):  # pragma: no cover - impossible for an acyclic graph
            raise RuntimeError("planner could not place every task")
        return start, finish, {"segments": segs, "overflow": overflow}

    def objective(self, finish: np.ndarray) -> float:
        late = np.maximum(0.0, finish - self.due)
        return float(np.sum(self.weight * np.where(np.isfinite(late), late, 0.0)))

    def to_plan(self, start: np.ndarray, finish: np.ndarray, extra: dict, rule: str) -> Plan:
        items: dict[str, PlannedTask] = {}
        late: list[str] = []
        conflicts: list[str] = list(self.pin_clashes)
        for k, t in enumerate(self.tasks):
            lh = max(0.0, float(finish[k] - self.due[k])) if t.due is not None else 0.0
            if lh > 1e-6:
                late.append(t.id)
            else:
                lh = 0.0
            items[t.id] = PlannedTask(
                float(start[k]), float(finish[k]), lh, t.person, list(extra["segments"][k])
            )
            if t.pinned_start is not None:
                for b in self.preds[k]:
                    if finish[b] > start[k] + 1e-6:
                        conflicts.append(
                            f"pinned task {t.id!r} starts at {start[k]:.2f} before its blocker "
                            f"{self.tasks[b].id!r} finishes at {finish[b]:.2f}"
                        )
        unscheduled = sorted(self.tasks[k].id for k in extra["overflow"])
        for tid in unscheduled:
            items[tid].segments = []
        return Plan(items, self.objective(finish), late, conflicts, unscheduled, rule)

    def greedy_lists(self, rule: str) -> dict[str, list[int]]:
        if rule == "deadline":
            key = lambda k: (self.due[k], -self.weight[k], self.tasks[k].id)  # noqa: E731
        elif rule == "priority":
            key = lambda k: (-self.weight[k], self.due[k], self.tasks[k].id)  # noqa: E731
        else:
            raise ValueError(f"unknown rule {rule!r}; use 'deadline' or 'priority'")
        return {pid: sorted(ks, key=key) for pid, ks in self.by_person.items()}


def greedy_plan(
    persons: Sequence[Person], tasks: Sequence[PlanTask], rule: str = "deadline"
) -> Plan:
    """Baseline: each person works through their tasks by due date ("deadline") or by weight
    ("priority"), as soon as blockers allow."""
    prob = _Problem(persons, tasks)
    start, finish, extra = prob.build(prob.greedy_lists(rule))
    return prob.to_plan(start, finish, extra, rule)


def _improve_person(
    prob: _Problem,
    pid: str,
    order: list[int],
    finish: np.ndarray,
    kicks: int,
    seed: int,
    budget: int = 10**9,
) -> tuple[list[int], int]:
    """Improve one person's list; returns it and the kernel operations spent."""
    if len(order) < 2:
        return order, 0
    cal = prob.free[pid]
    loc = {k: i for i, k in enumerate(order)}
    m = len(order)
    p = prob.hours[order].astype(np.float64)
    r = np.zeros(m)
    pptr = np.zeros(m + 1, dtype=np.int64)
    pidx: list[int] = []
    # tardiness terms (weight, due in this person's working hours): the task's own deadline,
    # plus the latest start of each successor elsewhere (its lateness costs that successor)
    tptr = np.zeros(m + 1, dtype=np.int64)
    tw: list[float] = []
    td: list[float] = []
    for i, k in enumerate(order):
        rel = 0.0
        for b in prob.preds[k]:
            if b in loc:
                pidx.append(loc[b])
            else:
                rel = max(rel, float(finish[b]))
        r[i] = cal.work_before(rel) if rel > 0 else 0.0
        pptr[i + 1] = len(pidx)
        due = prob.due[k]
        if math.isfinite(due):
            tw.append(float(prob.weight[k]))
            td.append(cal.work_before(due))
        for u in prob.succs[k]:
            if u not in loc and math.isfinite(prob.lst[u]):
                tw.append(float(prob.weight[u]))
                td.append(cal.work_before(prob.lst[u]))
        tptr[i + 1] = len(tw)
    seq = np.arange(m, dtype=np.int64)
    _cost, ops = _person_ils(
        seq,
        p,
        r,
        tptr,
        np.array(tw, dtype=np.float64),
        np.array(td, dtype=np.float64),
        pptr,
        np.array(pidx, dtype=np.int64),
        kicks,
        seed,
        budget,
    )
    return [order[i] for i in seq], int(ops)


_warm = False


def warm_up() -> None:
    """Compile (or load from the on-disk cache) the kernels once per process."""
    global _warm
    if _warm:
        return
    seq = np.arange(3, dtype=np.int64)
    f = np.array([1.0, 2.0, 3.0])
    ptr = np.array([0, 1, 2, 3], dtype=np.int64)
    none = np.zeros(4, dtype=np.int64)
    _person_ils(seq, f, f * 0, ptr, f, f, none, np.zeros(0, dtype=np.int64), 1, 0, 1000)
    _warm = True


def plan(
    persons: Sequence[Person],
    tasks: Sequence[PlanTask],
    time_limit: float = 1.5,
    seed: int = 0,
    rounds: int = 50,
) -> Plan:
    """Minimise total weighted lateness (weight x hours late) over everyone's schedule."""
    warm_up()
    started = time.perf_counter()
    prob = _Problem(persons, tasks)
    best = None
    for rule in ("deadline", "priority"):
        lists = prob.greedy_lists(rule)
        s, f, extra = prob.build(lists)
        obj = prob.objective(f)
        if best is None or obj < best[0]:
            best = (obj, lists, s, f, extra)
    assert best is not None
    obj, lists, s, f, extra = best
    rng = np.random.default_rng(seed)
    n_free = max(1, sum(len(v) for v in lists.values()))
    rate = _OPS_PER_SECOND  # kernel operations per second, re-measured as we go
    stale = 0  # rounds in a row without improvement
    for _ in range(rounds):
        elapsed = time.perf_counter() - started
        if obj <= 0 or stale > 3 or elapsed > time_limit * 0.75:
            break
        # each round may use half of the time left; each person a share by list length
        round_time = (time_limit * 0.9 - elapsed) * 0.5
        # plain descent while it keeps paying off, then kicks of growing strength
        kicks = 0 if stale == 0 else 2 * stale
        new_lists = {}
        for pid, order in lists.items():
            # each person's current order, as the built schedule has it
            current = sorted(order, key=lambda k: s[k])
            t0 = time.perf_counter()
            if t0 - started > time_limit * 0.9:
                new_lists[pid] = current
                continue
            budget = int(rate * round_time * len(current) / n_free) + 1
            new_lists[pid], ops = _improve_person(
                prob, pid, current, f, kicks, int(rng.integers(0, 2**31 - 1)), budget
            )
            dt = time.perf_counter() - t0
            if dt > 0.002 and ops > 0:
                rate = 0.5 * rate + 0.5 * (ops / dt)
        s2, f2, extra2 = prob.build(new_lists)
        obj2 = prob.objective(f2)
        if obj2 < obj - 1e-9:
            obj, lists, s, f, extra = obj2, new_lists, s2, f2, extra2
            stale = 0
        else:
            stale += 1
    return prob.to_plan(s, f, extra, "kabinet")


def propose_moves(tasks: Sequence[PlanTask], plan_: Plan) -> list[Proposal]:
    """Deadline moves that make every remaining deadline honest: one per task predicted late,
    to its predicted finish (the adapter rounds to the end of a business day). Tasks on time
    are left alone. Ordered by lateness, largest first."""
    out: list[Proposal] = []
    for t in tasks:
        it = plan_.items.get(t.id)
        if it is None or t.due is None or it.late_hours <= 1e-6:
            continue
        out.append(Proposal(t.id, float(t.due), it.finish, it.finish - float(t.due)))
    out.sort(key=lambda pr: (-pr.lateness_hours, pr.task_id))
    return out
