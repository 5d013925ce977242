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

Objective (the one the search optimises, the one ``Plan.total_weighted_lateness`` reports and
the one the pages and ``kabinet bench agency`` show): ``sum(weight * late_hours)`` with
``late_hours = max(0, finish - due)`` on the *calendar* axis (hours from now, nights and
weekends included); tasks without a due date are never late. Calendar hours, not working
hours, because lateness is what the client feels: a report due on Friday 18:00 and delivered on
Monday 09:30 has kept the client waiting a weekend (63.5 hours), not half a working hour; due
dates are calendar moments agreed with clients, and an hour of the agency's night is still an
hour of the client's wait. Working hours only decide *when* work can happen.

Optimisation. A plan is one sequence per person; each task starts as soon as its person is free
and its blockers are done (``search._evaluate`` times it exactly, on each person's working-hour
axis, and scores it in calendar hours). The search starts from the better of the two greedy
plans (deadline-first, priority-first) and works in rounds. Each round visits every person
(latest first) and improves their sequence by iterated local search (insertions and swaps
within ``WINDOW`` positions, then random kicks once plain descent stops paying off) against
their own lateness plus *prices on their finish times* for the work of others that waits for
them: a task that blocks a task ``u`` of another person pays ``u``'s weight for every hour it
ends after ``u``'s latest on-time start, and, from ``u``'s current start on, the rate at which
``u``'s delay makes later work late (``search._prices``, a backward pass through the plan). The
person's new sequence is then timed together with everyone else's and kept only if the whole
plan's objective improves, so ``plan`` never returns anything worse than the better greedy
baseline, and a blocker moves together with the work that waits for it across people. When a
round of these turns stalls, an exact cross-person neighbourhood runs: every blocker that a late
task of another person is waiting for is tried up to ``WINDOW`` places earlier in its own
person's sequence, each try timed with the whole plan (``_pull_blockers``).

Budget. The search is counted in work -- kernel operations (positions re-timed, edges relaxed)
-- ``OPS_PER_TASK`` per task and dependency (at least ``MIN_OPS``), times ``effort``; each
person's turn gets ``TURN_OPS_PER_TASK`` per task of theirs. All randomness comes from ``seed``.
So the same input gives the same plan on any machine and under any load; ``time_limit`` is
only a wall-clock safety net (``stats["stopped_because"] == "time_limit"`` says it was hit).
"""

from __future__ import annotations

import bisect
import heapq
import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import search


@dataclass(frozen=True)
class Person:
    id: str
    intervals: list[tuple[float, float]]  # sorted, disjoint working periods, hours from now
    skills: frozenset[str] = frozenset()  # what this person can do (see PlanTask.skill)


@dataclass(frozen=True)
class PlanTask:
    id: str
    person: str
    hours: float
    due: float | None
    weight: float
    blocked_by: tuple[str, ...] = ()
    pinned_start: float | None = None
    skill: str | None = None  # the skill the task needs; None: anyone can do it
    # people who may take the task over (e.g. those with access to its project); None: anyone
    eligible: tuple[str, ...] | None = None


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


class _Flat:
    """The problem as flat arrays for the compiled kernels (see ``search``)."""

    def __init__(self, prob: _Problem):
        self.prob = prob
        n = len(prob.tasks)
        self.pids = list(prob.persons)
        pindex = {pid: q for q, pid in enumerate(self.pids)}
        self.person = np.array([pindex[t.person] for t in prob.tasks], dtype=np.int64)
        cs: list[float] = []
        ce: list[float] = []
        cc: list[float] = []
        cptr = [0]
        total: list[float] = []
        horizon: list[float] = []
        for pid in self.pids:
            cal = prob.free[pid]
            cs += cal.starts
            ce += cal.ends
            cc += cal.cum[:-1]
            cptr.append(len(cs))
            total.append(cal.cum[-1])
            horizon.append(cal.horizon)
        self.cs = np.array(cs, dtype=np.float64)
        self.ce = np.array(ce, dtype=np.float64)
        self.cc = np.array(cc, dtype=np.float64)
        self.cptr = np.array(cptr, dtype=np.int64)
        self.total = np.array(total, dtype=np.float64)
        self.horizon = np.array(horizon, dtype=np.float64)
        self.p = prob.hours.astype(np.float64)
        self.w = prob.weight.astype(np.float64)
        self.due = prob.due.astype(np.float64)
        self.fixed = np.full(n, np.nan)
        for k, it in prob.pinned_items.items():
            self.fixed[k] = it.finish
        pptr = [0]
        pidx: list[int] = []
        for k in range(n):
            if prob.tasks[k].pinned_start is None:
                pidx += prob.preds[k]
            pptr.append(len(pidx))
        self.pptr = np.array(pptr, dtype=np.int64)
        self.pidx = np.array(pidx, dtype=np.int64)
        uptr = [0]
        uidx: list[int] = []
        for k in range(n):
            uidx += [u for u in prob.succs[k] if prob.tasks[u].pinned_start is None]
            uptr.append(len(uidx))
        self.uptr = np.array(uptr, dtype=np.int64)
        self.uidx = np.array(uidx, dtype=np.int64)
        self.fin = np.zeros(n)
        self.finw = np.zeros(n)
        self.startw = np.zeros(n)
        self.order = np.zeros(n, dtype=np.int64)
        self.g = np.zeros(n)
        self.static: list[tuple[list[int], list[int], list[int], list[tuple]]] | None = None
        # latest start (calendar) that keeps each task on time, on its own person's calendar
        self.lst = np.full(n, np.inf)
        for k in range(n):
            if math.isfinite(self.due[k]):
                h = self.work_before(int(self.person[k]), self.due[k]) - self.p[k]
                self.lst[k] = self.start_at(int(self.person[k]), max(0.0, h))

    def _prepare_static(self) -> None:
        """Per task, what does not change while the search runs: blockers on the same person
        and on others, successors on others, and the lateness terms with fixed deadlines (the
        task's own due date; each successor's latest on-time start) on its person's axis."""
        prob = self.prob
        self.static = []
        for k in range(len(prob.tasks)):
            q = int(self.person[k])
            mine = prob.tasks[k].pinned_start is None
            own_preds = [
                b for b in prob.preds[k] if mine and self.person[b] == q and np.isnan(self.fixed[b])
            ]
            cross_preds = [b for b in prob.preds[k] if b not in own_preds]
            cross_succs = [
                int(u)
                for u in self.uidx[self.uptr[k] : self.uptr[k + 1]]
                if int(self.person[u]) != q
            ]
            terms = []
            if math.isfinite(self.due[k]):
                terms.append(
                    (float(self.w[k]), float(self.due[k]), self.work_before(q, self.due[k]))
                )
            for u in cross_succs:
                if math.isfinite(self.lst[u]):
                    lst = float(self.lst[u])
                    terms.append((float(self.w[u]), lst, self.work_before(q, lst)))
            self.static.append((own_preds, cross_preds, cross_succs, terms))

    def cal(self, q: int) -> tuple:
        return (
            self.cs,
            self.ce,
            self.cc,
            int(self.cptr[q]),
            int(self.cptr[q + 1]),
            float(self.total[q]),
            float(self.horizon[q]),
        )

    def work_before(self, q: int, t: float) -> float:
        return float(search._work_before(*self.cal(q), float(t)))

    def start_at(self, q: int, h: float) -> float:
        return float(search._start_at(*self.cal(q), float(h)))

    def evaluate(
        self, seq: np.ndarray, sptr: np.ndarray, person: np.ndarray | None = None
    ) -> tuple[float, int]:
        who = self.person if person is None else person
        obj, ops = search._evaluate(
            seq,
            sptr,
            who,
            self.p,
            self.w,
            self.due,
            self.fixed,
            self.pptr,
            self.pidx,
            self.uptr,
            self.uidx,
            self.cs,
            self.ce,
            self.cc,
            self.cptr,
            self.total,
            self.horizon,
            self.fin,
            self.finw,
            self.startw,
            self.order,
        )
        return float(obj), int(ops)

    def prices(self, seq: np.ndarray, sptr: np.ndarray) -> None:
        search._prices(
            seq,
            sptr,
            self.person,
            self.p,
            self.w,
            self.due,
            self.fixed,
            self.pptr,
            self.pidx,
            self.uptr,
            self.uidx,
            self.cs,
            self.ce,
            self.cc,
            self.cptr,
            self.total,
            self.horizon,
            self.fin,
            self.finw,
            self.startw,
            self.order,
            self.g,
        )

    def improve_person(
        self, q: int, order: np.ndarray, kicks: int, seed: int, budget: int
    ) -> tuple[np.ndarray, int]:
        """Improve person ``q``'s sequence against their own lateness and the priced lateness
        of the work of others that waits for them (``fin``/``g`` of the current plan)."""
        m = len(order)
        if m < 2:
            return order, 0
        if self.static is None:
            self._prepare_static()
        assert self.static is not None
        loc = {int(k): i for i, k in enumerate(order)}
        p = self.p[order].copy()
        r = np.zeros(m)
        pptr = np.zeros(m + 1, dtype=np.int64)
        pidx: list[int] = []
        tptr = np.zeros(m + 1, dtype=np.int64)
        tw: list[float] = []
        tdc: list[float] = []
        tdw: list[float] = []
        for i, k in enumerate(order.tolist()):
            own_preds, cross_preds, cross_succs, terms = self.static[k]
            pidx += [loc[b] for b in own_preds]
            pptr[i + 1] = len(pidx)
            if cross_preds:
                rel = max(float(self.fin[b]) for b in cross_preds)
                r[i] = self.work_before(q, rel)
            # u is late by each hour this task ends after u's latest on-time start (were u
            # to start right then): the static terms, with the task's own deadline ...
            for a, c, d in terms:
                tw.append(a)
                tdc.append(c)
                tdw.append(d)
            # ... and once it ends after u's current start, the work u holds up pays too
            for u in cross_succs:
                down = float(self.g[u]) - (float(self.w[u]) if self.fin[u] >= self.due[u] else 0.0)
                if down > 1e-12:
                    t = self.start_at(int(self.person[u]), float(self.startw[u]))
                    tw.append(down)
                    tdc.append(t)
                    tdw.append(self.work_before(q, t))
            tptr[i + 1] = len(tw)
        seq = np.arange(m, dtype=np.int64)
        _cost, ops = search._person_ils(
            seq,
            p,
            r,
            tptr,
            np.array(tw, dtype=np.float64),
            np.array(tdw, dtype=np.float64),
            np.array(tdc, dtype=np.float64),
            pptr,
            np.array(pidx, dtype=np.int64),
            self.cal(q),
            kicks,
            seed,
            budget,
            min(m, WINDOW),
        )
        return order[seq], int(ops)


_warm = False


def warm_up() -> None:
    """Compile (or load from the on-disk cache) the kernels once per process."""
    global _warm
    if _warm:
        return
    persons = [Person("a", [(0.0, 8.0), (24.0, 32.0)]), Person("b", [(1.0, 9.0)])]
    tasks = [
        PlanTask("x", "a", 3.0, 4.0, 2.0),
        PlanTask("y", "a", 2.0, 3.0, 1.0),
        PlanTask("z", "b", 1.0, 2.0, 1.0, ("x",)),
        PlanTask("v", "a", 0.0, 1.0, 1.0),
    ]
    _warm = True
    plan(persons, tasks, effort=0.01)


# search budget, in kernel operations (positions re-timed, edges relaxed): a fixed amount per
# task and per dependency, so the work grows with the problem and never with the clock
OPS_PER_TASK = 11_000
MIN_OPS = 40_000_000  # smaller plans: room to converge (at most about 1.5 s of one core here)
# one person's turn in a round: this many operations per task of theirs
TURN_OPS_PER_TASK = 10_000
# insertions and swaps look at most this many positions away
WINDOW = 15
# safety net only: a plan is returned after this many seconds whatever the budget says
DEFAULT_TIME_CAP = 60.0


def search_budget(tasks: int, dependencies: int, effort: float = 1.0) -> int:
    """The search's budget in kernel operations: a fixed amount per task and dependency."""
    return int(effort * max(MIN_OPS, OPS_PER_TASK * (tasks + dependencies)))


def plan(
    persons: Sequence[Person],
    tasks: Sequence[PlanTask],
    time_limit: float = DEFAULT_TIME_CAP,
    seed: int = 0,
    effort: float = 1.0,
    stats: dict | None = None,
) -> Plan:
    """Minimise total weighted lateness (weight x calendar hours late) over everyone's schedule.

    The search is budgeted in work (``effort`` x a fixed number of kernel operations per task),
    so the same input and ``seed`` give the same plan on any machine and under any load.
    ``time_limit`` is a safety net in wall-clock seconds; a run that reaches it says so in
    ``stats["stopped_because"]`` (the plan is then still valid, but may differ run to run).
    """
    warm_up()
    started = time.perf_counter()
    prob = _Problem(persons, tasks)
    flat = _Flat(prob)
    n = len(prob.tasks)
    best_greedy = None
    for rule in ("deadline", "priority"):
        s, f, extra = prob.build(prob.greedy_lists(rule))
        obj = prob.objective(f)
        if best_greedy is None or obj < best_greedy[0]:
            best_greedy = (obj, s, f)
    assert best_greedy is not None
    _obj, s0, f0 = best_greedy
    topo = _topological_rank(prob)
    seqs = [sorted(prob.by_person[pid], key=lambda k: (s0[k], f0[k], topo[k])) for pid in flat.pids]
    sptr = np.zeros(len(seqs) + 1, dtype=np.int64)
    for q, sq in enumerate(seqs):
        sptr[q + 1] = sptr[q] + len(sq)
    seq = np.array([k for sq in seqs for k in sq], dtype=np.int64)
    cur, ops = flat.evaluate(seq, sptr)
    if not math.isfinite(cur):  # pragma: no cover - the greedy order never deadlocks
        raise RuntimeError("planner: the starting sequences deadlock")
    budget = search_budget(n, len(flat.pidx), effort)
    rng = np.random.default_rng(seed)
    stale = 0
    rounds = 0
    reason = "converged"
    while cur > 0:
        if ops >= budget:
            reason = "budget"
            break
        if stale > 6:
            break
        rounds += 1
        flat.prices(seq, sptr)
        kicks = 0 if stale == 0 else 2 * stale
        # the people whose own work is latest go first
        own = np.zeros(len(flat.pids))
        late = np.maximum(0.0, flat.fin - flat.due)
        np.add.at(own, flat.person, np.where(np.isfinite(late), flat.w * late, 0.0))
        improved = False
        for q in sorted(range(len(flat.pids)), key=lambda q: (-own[q], q)):
            a, b = int(sptr[q]), int(sptr[q + 1])
            if b - a < 2:
                continue
            if ops >= budget or time.perf_counter() - started > time_limit:
                break
            old = seq[a:b].copy()
            turn = int(TURN_OPS_PER_TASK * (b - a) * (1 + kicks))
            new, used = flat.improve_person(q, old, kicks, int(rng.integers(0, 2**31 - 1)), turn)
            ops += used
            if np.array_equal(new, old):
                continue
            seq[a:b] = new
            val, used = flat.evaluate(seq, sptr)
            ops += used
            if val < cur - 1e-9:
                cur = val
                improved = True
                if stats is not None:
                    stats.setdefault("trace", []).append((ops, time.process_time(), cur))
                flat.prices(seq, sptr)
                ops += used
            else:
                if stats is not None and not math.isfinite(val):
                    stats["deadlocks"] = stats.get("deadlocks", 0) + 1
                if stats is not None:
                    stats["rejected"] = stats.get("rejected", 0) + 1
                seq[a:b] = old
                _val, used = flat.evaluate(seq, sptr)  # restore fin/finw/startw/order
                ops += used
        if time.perf_counter() - started > time_limit:
            reason = "time_limit"
            break
        if cur > 0 and ops < budget and (stale > 0 or not improved):
            # once the people's own searches stall: across people, exactly, pull the blockers
            # that late work waits for forward
            flat.prices(seq, sptr)
            val, used = _pull_blockers(flat, seq, sptr, cur, budget - ops)
            ops += used
            if val < cur - 1e-9:
                cur = val
                improved = True
        stale = 0 if improved else stale + 1
    result = _replay(prob, flat, seq, sptr)
    if stats is not None:
        stats.update(
            {
                "ops": ops,
                "budget": budget,
                "rounds": rounds,
                "stopped_because": reason if cur > 0 else "zero",
                "search_objective": cur,
                "seconds": time.perf_counter() - started,
            }
        )
    return result


def _pull_blockers(
    flat: _Flat, seq: np.ndarray, sptr: np.ndarray, cur: float, budget: int
) -> tuple[float, int]:
    """For every task of another person whose start a blocker decides and whose delay costs
    something (a positive price), try the blocker up to ``WINDOW`` places earlier in its
    person's sequence; each move is timed exactly with the whole plan and kept if the objective
    falls. Returns the objective and the operations spent."""
    ops = 0
    n = len(flat.p)
    pos = np.empty(n, dtype=np.int64)
    pos[seq] = np.arange(len(seq))
    first = np.zeros(n, dtype=np.int64)
    for q in range(len(flat.pids)):
        first[seq[int(sptr[q]) : int(sptr[q + 1])]] = int(sptr[q])
    pulls: list[tuple[float, int]] = []
    for u in range(n):
        if flat.fin[u] <= flat.due[u] or not np.isnan(flat.fixed[u]):
            continue
        qu = int(flat.person[u])
        for e in range(int(flat.pptr[u]), int(flat.pptr[u + 1])):
            b = int(flat.pidx[e])
            if int(flat.person[b]) == qu or not np.isnan(flat.fixed[b]):
                continue
            if flat.work_before(qu, float(flat.fin[b])) >= flat.startw[u] - 1e-9:
                pulls.append((-float(flat.g[u]), b))
    pulls.sort()
    tried: set[int] = set()
    for _price, b in pulls:
        if b in tried or ops >= budget:
            continue
        tried.add(b)
        i = int(pos[b])
        lo = max(int(first[b]), i - WINDOW)
        if lo >= i:
            continue
        best = (cur, i)
        for j in range(i - 1, lo - 1, -1):
            seq[j + 1 : i + 1] = seq[j:i].copy()
            seq[j] = b
            val, used = flat.evaluate(seq, sptr)
            ops += used
            if val < best[0] - 1e-9:
                best = (val, j)
            seq[j:i] = seq[j + 1 : i + 1].copy()
            seq[i] = b
        if best[1] != i:
            j = best[1]
            seq[j + 1 : i + 1] = seq[j:i].copy()
            seq[j] = b
            pos[seq[j : i + 1]] = np.arange(j, i + 1)
            cur = best[0]
    val, used = flat.evaluate(seq, sptr)  # leave the state of the kept sequences
    return val, ops + used


def _topological_rank(prob: _Problem) -> list[int]:
    n = len(prob.tasks)
    indeg = [len(ps) for ps in prob.preds]
    ready = [k for k in range(n) if indeg[k] == 0]
    heapq.heapify(ready)
    rank = [0] * n
    r = 0
    while ready:
        v = heapq.heappop(ready)
        rank[v] = r
        r += 1
        for u in prob.succs[v]:
            indeg[u] -= 1
            if indeg[u] == 0:
                heapq.heappush(ready, u)
    return rank


def _replay(prob: _Problem, flat: _Flat, seq: np.ndarray, sptr: np.ndarray) -> Plan:
    """The plan of the given sequences, timed again from scratch on the working calendars
    (independently of the kernels' arithmetic): each person does their sequence in order, each
    task as soon as the person is free and its blockers are done."""
    n = len(prob.tasks)
    obj, _ops = flat.evaluate(seq, sptr)
    if not math.isfinite(obj):  # pragma: no cover - the search never accepts a deadlock
        raise RuntimeError("planner: sequences deadlock")
    order = flat.order.copy()
    prev = np.full(n, -1, dtype=np.int64)
    for q in range(len(flat.pids)):
        for k in range(int(sptr[q]) + 1, int(sptr[q + 1])):
            prev[seq[k]] = seq[k - 1]
    start = np.zeros(n)
    finish = np.zeros(n)
    segs: dict[int, list[tuple[float, float]]] = {}
    overflow: set[int] = set(prob.pinned_overflow)
    for k in order.tolist():
        t = prob.tasks[k]
        if t.pinned_start is not None:
            it = prob.pinned_items[k]
            start[k], finish[k], segs[k] = it.start, it.finish, it.segments
            continue
        ready = finish[prev[k]] if prev[k] >= 0 else 0.0
        for b in prob.preds[k]:
            ready = max(ready, finish[b])
        s, f, sg, ok = prob.free[t.person].run(ready, float(prob.hours[k]))
        if not ok:
            overflow.add(k)
        start[k], finish[k], segs[k] = s, f, sg
    return prob.to_plan(start, finish, {"segments": segs, "overflow": overflow}, "kabinet")


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
