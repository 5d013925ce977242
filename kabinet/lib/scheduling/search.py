"""Compiled kernels of the multi-person planner (numba when installed, plain Python otherwise).

A plan is one sequence per person (the order in which they do their unpinned tasks). Everything
here works on flat arrays built by ``planner._Problem``:

* calendars: person ``q`` owns intervals ``cptr[q]:cptr[q+1]`` of ``cs`` (starts), ``ce`` (ends)
  and ``cc`` (working hours before each interval); ``total[q]`` working hours in all,
  ``horizon[q]`` the end of the last interval. Past the horizon time runs on without breaks
  (that is how the planner scores work that does not fit), so the maps below are defined for
  every moment and every amount of work.
* ``_work_before(t)`` maps a calendar moment to the person's *working-hour axis*;
  ``_finish_at(h)`` maps back (the moment the h-th working hour is done), ``_start_at(h)`` gives
  the moment work continues after h hours.
* ``_evaluate`` turns sequences into finish times and the objective -- total weighted lateness
  in calendar hours, exactly what ``Plan.total_weighted_lateness`` reports -- and says when the
  sequences deadlock (a task waits for a blocker that is queued behind it, across people).
* ``_prices`` runs backwards through the evaluated plan: ``g[j]`` is the objective's rate of
  change when task j finishes later (its own weight if late, plus what every task it holds up
  costs). These are the prices on blockers' finish times that couple one person's search with
  the people who wait for them.
* ``_person_ils``: iterated local search over one person's sequence (insertions and swaps, then
  random kicks) against that person's own lateness and the priced lateness of the work that
  waits for them, in calendar hours.

Every kernel counts its work ("ops": positions re-timed, edges relaxed) so that the planner can
budget its search in work instead of seconds and give the same plan under any load.
"""

from __future__ import annotations

import numpy as np

from ._jit import njit

PENALTY = 1e12  # a sequence that puts a task before its own blocker


@njit
def _work_before(cs, ce, cc, lo, hi, total, horizon, t):  # pragma: no cover - compiled
    if hi == lo:
        return t if t > 0.0 else 0.0
    if t >= horizon:
        return total + (t - horizon)
    a = lo
    b = hi
    while a < b:
        m = (a + b) // 2
        if cs[m] <= t:
            a = m + 1
        else:
            b = m
    k = a - 1
    if k < lo:
        return 0.0
    e = ce[k]
    return cc[k] + (t if t < e else e) - cs[k]


@njit
def _finish_at(cs, ce, cc, lo, hi, total, horizon, h):  # pragma: no cover - compiled
    """The moment by which h working hours are done (h > 0)."""
    if h > total:
        return horizon + (h - total)
    a = lo
    b = hi
    while a < b:
        m = (a + b) // 2
        if cc[m] < h:
            a = m + 1
        else:
            b = m
    k = a - 1
    if k < lo:
        return cs[lo]
    return cs[k] + (h - cc[k])


@njit
def _start_at(cs, ce, cc, lo, hi, total, horizon, h):  # pragma: no cover - compiled
    """The first working moment after h working hours."""
    if h >= total:
        return horizon + (h - total)
    a = lo
    b = hi
    while a < b:
        m = (a + b) // 2
        if cc[m] <= h:
            a = m + 1
        else:
            b = m
    k = a - 1
    return cs[k] + (h - cc[k])


@njit
def _evaluate(
    seq,
    sptr,
    person,
    p,
    w,
    due,
    fixed,
    pptr,
    pidx,
    uptr,
    uidx,
    cs,
    ce,
    cc,
    cptr,
    total,
    horizon,
    fin,
    finw,
    startw,
    order,
):  # pragma: no cover - compiled
    """Finish times of every task for the given sequences; returns (objective, ops).

    ``fixed[j]`` is the finish of a pinned task (NaN for tasks in a sequence); pinned tasks do not
    wait for anything. ``order`` receives a topological order of the tasks. A deadlock gives an
    infinite objective.
    """
    n = p.shape[0]
    nxt = np.full(n, -1, np.int64)
    prv = np.full(n, -1, np.int64)
    indeg = np.zeros(n, np.int64)
    stack = np.empty(n, np.int64)
    top = 0
    for q in range(sptr.shape[0] - 1):
        for k in range(sptr[q], sptr[q + 1]):
            j = seq[k]
            if k + 1 < sptr[q + 1]:
                nxt[j] = seq[k + 1]
            if k > sptr[q]:
                prv[j] = seq[k - 1]
                indeg[j] += 1
    for j in range(n):
        if np.isnan(fixed[j]):
            indeg[j] += pptr[j + 1] - pptr[j]
        if indeg[j] == 0:
            stack[top] = j
            top += 1
    cost = 0.0
    ops = 0
    done = 0
    while top > 0:
        top -= 1
        j = stack[top]
        order[done] = j
        done += 1
        if not np.isnan(fixed[j]):
            fin[j] = fixed[j]
            finw[j] = 0.0
            startw[j] = 0.0
        else:
            q = person[j]
            lo = cptr[q]
            hi = cptr[q + 1]
            t = finw[prv[j]] if prv[j] >= 0 else 0.0
            for e in range(pptr[j], pptr[j + 1]):
                b = pidx[e]
                rb = _work_before(cs, ce, cc, lo, hi, total[q], horizon[q], fin[b])
                if rb > t:
                    t = rb
            ops += 1 + pptr[j + 1] - pptr[j]
            startw[j] = t
            f = t + p[j]
            finw[j] = f
            if p[j] > 0.0:
                fin[j] = _finish_at(cs, ce, cc, lo, hi, total[q], horizon[q], f)
            else:
                fin[j] = _start_at(cs, ce, cc, lo, hi, total[q], horizon[q], f)
        if fin[j] > due[j]:
            cost += w[j] * (fin[j] - due[j])
        for e in range(uptr[j], uptr[j + 1]):
            u = uidx[e]
            indeg[u] -= 1
            if indeg[u] == 0:
                stack[top] = u
                top += 1
        u = nxt[j]
        if u >= 0:
            indeg[u] -= 1
            if indeg[u] == 0:
                stack[top] = u
                top += 1
    if done < n:
        return np.inf, ops
    return cost, ops


@njit
def _prices(
    seq,
    sptr,
    person,
    p,
    w,
    due,
    fixed,
    pptr,
    pidx,
    uptr,
    uidx,
    cs,
    ce,
    cc,
    cptr,
    total,
    horizon,
    fin,
    finw,
    startw,
    order,
    g,
):  # pragma: no cover - compiled
    """``g[j]``: how much the objective grows per hour that task j finishes later (a local
    rate, over the tasks whose start j currently decides)."""
    n = p.shape[0]
    nxt = np.full(n, -1, np.int64)
    for q in range(sptr.shape[0] - 1):
        for k in range(sptr[q], sptr[q + 1] - 1):
            nxt[seq[k]] = seq[k + 1]
    for i in range(n - 1, -1, -1):
        j = order[i]
        v = 0.0
        if fin[j] >= due[j] - 1e-9:
            v = w[j]
        u = nxt[j]
        if u >= 0 and startw[u] <= finw[j] + 1e-9:
            v += g[u]
        for e in range(uptr[j], uptr[j + 1]):
            u = uidx[e]
            if u == nxt[j]:
                continue
            q = person[u]
            lo = cptr[q]
            hi = cptr[q + 1]
            if _work_before(cs, ce, cc, lo, hi, total[q], horizon[q], fin[j]) >= startw[u] - 1e-9:
                v += g[u]
        if not np.isnan(fixed[j]):
            v = 0.0  # a pinned task does not move
        g[j] = v


# ------------------------------------------------------------------------------------------
# one person's sequence: clock in that person's working hours, costs in calendar hours
# ------------------------------------------------------------------------------------------


@njit
def _advance(cc, hi, kk, h):  # pragma: no cover - compiled
    """Move the interval pointer ``kk`` forward to the interval where working hour h ends."""
    while kk + 1 < hi and cc[kk + 1] < h:
        kk += 1
    return kk


@njit
def _term_cost(t, tptr, tw, tdw, tdc, j, cs, cc, lo, hi, total, horizon, kk):  # pragma: no cover
    """Priced lateness of task j finishing at working hour t; ``kk`` is an interval pointer at
    or before t (clocks only move forward), returned advanced."""
    c = 0.0
    f = -1.0
    for q in range(tptr[j], tptr[j + 1]):
        if t > tdw[q]:
            if f < 0.0:
                if hi == lo or t > total:
                    f = horizon + (t - total)
                else:
                    kk = _advance(cc, hi, kk, t)
                    f = cs[kk] + (t - cc[kk])
            if f > tdc[q]:
                c += tw[q] * (f - tdc[q])
    return c, kk


@njit
def _seq_cost(seq, p, r, tptr, tw, tdw, tdc, pptr, pidx, done, cal):  # pragma: no cover
    cs, ce, cc, lo, hi, total, horizon = cal
    n = seq.shape[0]
    for k in range(n):
        done[seq[k]] = False
    t = 0.0
    tot = 0.0
    kk = lo
    for k in range(n):
        j = seq[k]
        for q in range(pptr[j], pptr[j + 1]):
            if not done[pidx[q]]:
                tot += PENALTY
        if r[j] > t:
            t = r[j]
        t += p[j]
        c, kk = _term_cost(t, tptr, tw, tdw, tdc, j, cs, cc, lo, hi, total, horizon, kk)
        tot += c
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
def _prepare(seq, p, r, tptr, tw, tdw, tdc, pptr, pidx, pos, tb, cpre, kb, cal):  # pragma: no cover
    """Positions, clock before each position (and an interval pointer for it) and prefix costs
    of ``seq``; returns the cost."""
    cs, ce, cc, lo, hi, total, horizon = cal
    n = seq.shape[0]
    for k in range(n):
        pos[seq[k]] = k
    t = 0.0
    c = 0.0
    tb[0] = 0.0
    cpre[0] = 0.0
    kk = lo
    for k in range(n):
        kb[k] = kk  # an interval pointer valid for any clock from tb[k] on
        j = seq[k]
        for q in range(pptr[j], pptr[j + 1]):
            if pos[pidx[q]] > k:
                c += PENALTY
        if r[j] > t:
            t = r[j]
        t += p[j]
        dc, kk = _term_cost(t, tptr, tw, tdw, tdc, j, cs, cc, lo, hi, total, horizon, kk)
        c += dc
        tb[k + 1] = t
        cpre[k + 1] = c
    return c


@njit
def _seg_cost(
    seq, lo_, hi_, p, r, tptr, tw, tdw, tdc, pptr, pidx, pos, tb, cpre, kb, done, cal, bound
):  # pragma: no cover - compiled
    """Cost of ``seq`` after a move that only reordered positions lo_..hi_ of the prepared
    sequence: the prefix is reused, the suffix as soon as the clock is back in step, and the
    evaluation stops early (returning infinity) once the cost reaches ``bound``."""
    cs, ce, cc, lo, hi, total, horizon = cal
    n = seq.shape[0]
    t = tb[lo_]
    c = cpre[lo_]
    kk = kb[lo_]
    steps = n - lo_
    for k in range(lo_, n):
        j = seq[k]
        if k <= hi_:
            for q in range(pptr[j], pptr[j + 1]):
                pq = pos[pidx[q]]
                if pq > hi_ or (pq >= lo_ and not done[pidx[q]]):
                    c += PENALTY
            done[j] = True
        else:
            for q in range(pptr[j], pptr[j + 1]):
                if pos[pidx[q]] > k:
                    c += PENALTY
        if r[j] > t:
            t = r[j]
        t += p[j]
        dc, kk = _term_cost(t, tptr, tw, tdw, tdc, j, cs, cc, lo, hi, total, horizon, kk)
        c += dc
        if k >= hi_ and abs(t - tb[k + 1]) <= 1e-9:
            c += cpre[n] - cpre[k + 1]
            steps = k - lo_ + 1
            break
        if c >= bound:
            # every term is non-negative: this move can no longer beat ``bound``
            steps = k - lo_ + 1
            c = np.inf
            break
    for k in range(lo_, hi_ + 1):
        done[seq[k]] = False
    return c, steps


@njit
def _descent(seq, p, r, tptr, tw, tdw, tdc, pptr, pidx, done, cal, budget, win):  # pragma: no cover
    n = seq.shape[0]
    pos = np.empty(n, np.int64)
    tb = np.empty(n + 1)
    cpre = np.empty(n + 1)
    kb = np.empty(n + 1, np.int64)
    cost = _prepare(seq, p, r, tptr, tw, tdw, tdc, pptr, pidx, pos, tb, cpre, kb, cal)
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
                lo_ = min(i, j)
                hi_ = max(i, j)
                _move(seq, i, j)
                c, steps = _seg_cost(
                    seq,
                    lo_,
                    hi_,
                    p,
                    r,
                    tptr,
                    tw,
                    tdw,
                    tdc,
                    pptr,
                    pidx,
                    pos,
                    tb,
                    cpre,
                    kb,
                    done,
                    cal,
                    cost,
                )
                ops += steps + 1
                if c < cost - 1e-9:
                    cost = _prepare(
                        seq, p, r, tptr, tw, tdw, tdc, pptr, pidx, pos, tb, cpre, kb, cal
                    )
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
                c, steps = _seg_cost(
                    seq,
                    i,
                    j,
                    p,
                    r,
                    tptr,
                    tw,
                    tdw,
                    tdc,
                    pptr,
                    pidx,
                    pos,
                    tb,
                    cpre,
                    kb,
                    done,
                    cal,
                    cost,
                )
                ops += steps + 1
                if c < cost - 1e-9:
                    cost = _prepare(
                        seq, p, r, tptr, tw, tdw, tdc, pptr, pidx, pos, tb, cpre, kb, cal
                    )
                    ops += n
                    improved = True
                else:
                    seq[j] = seq[i]
                    seq[i] = a
    return cost, ops


@njit
def _person_ils(
    seq, p, r, tptr, tw, tdw, tdc, pptr, pidx, cal, kicks, seed, budget, win
):  # pragma: no cover - compiled
    np.random.seed(seed)
    n = seq.shape[0]
    done = np.zeros(n, np.bool_)
    share = budget // (kicks + 1)
    cost, ops = _descent(seq, p, r, tptr, tw, tdw, tdc, pptr, pidx, done, cal, share, win)
    if n < 3 or cost <= 0:
        return cost, ops
    best = seq.copy()
    trial = seq.copy()
    for _ in range(kicks):
        if ops >= budget:
            break
        for q in range(n):
            trial[q] = best[q]
        for _k in range(2 + np.random.randint(0, 3)):
            i = np.random.randint(0, n - 1)
            j = min(n - 1, i + 1 + np.random.randint(0, max(1, n // 5)))
            a = trial[i]
            trial[i] = trial[j]
            trial[j] = a
        c, used = _descent(trial, p, r, tptr, tw, tdw, tdc, pptr, pidx, done, cal, share, win)
        ops += used + n
        if c <= cost:
            cost = c
            for q in range(n):
                best[q] = trial[q]
            if cost <= 0:
                break
    for q in range(n):
        seq[q] = best[q]
    return cost, ops
