"""Single-machine total weighted tardiness (1||sum w_j T_j).

Method: iterated *enhanced dynasearch* (Congram, Potts & van de Velde 2002; Grosso, Della Croce
& Tadei 2004). One dynasearch step evaluates, for every segment ``[i, j]`` of the current
sequence, the best of three moves that only touch that segment -- swap the end jobs, move the
first job to the end (forward insertion), move the last job to the front (backward insertion) --
and then picks, by dynamic programming, the best set of non-overlapping segments; all of their
moves are applied at once (their gains simply add up, because a move inside a segment does not
change any completion time outside it). Swaps that provably cannot gain (bounded by the tardy
weight between the two jobs) are not evaluated. The descent is iterated from random kicks (3-8
random pairwise swaps), accepting equal-or-better local optima and going back to the best
sequence found when the search stagnates. Starting point: the best of EDD, WSPT, weighted MDD
and ATC (several look-ahead values), each taken to a dynasearch local optimum.

The kernels are compiled with numba when it is installed (see ``_jit``). Time is checked between
small batches of kicks, so ``time_limit`` is honoured to within a few milliseconds.

Stopping: at ``time_limit``; early when the objective is 0 (optimal), when it reaches a lower
bound (only the trivial bound ``sum w_j max(0, p_j - d_j)`` is used), or when it reaches an
optional caller-supplied ``target`` (used by benchmarks that know the best value).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._jit import njit

ArrayLike = Sequence[int] | np.ndarray


# iterated-search parameters: a kick is KICK_MIN..KICK_MAX random swaps of jobs at most
# KICK_SPAN * n positions apart; after STALL_BASE + STALL_PER_JOB * n kicks without
# improvement the search goes back to the best sequence found.
KICK_MIN = 3
KICK_MAX = 8
KICK_SPAN = 1.0
STALL_BASE = 20
STALL_PER_JOB = 2.0


@dataclass
class WTResult:
    order: list[int]
    objective: int
    seconds: float
    seconds_to_best: float
    # "time_limit" | "iterations" | "zero" | "lower_bound" | "target" | "empty"
    stopped_because: str
    iterations: int = 0


# --------------------------------------------------------------------------------------------
# numba kernels
# --------------------------------------------------------------------------------------------


@njit
def _cost(seq, p, w, d):  # pragma: no cover - compiled
    t = 0
    total = 0
    for k in range(seq.shape[0]):
        j = seq[k]
        t += p[j]
        if t > d[j]:
            total += w[j] * (t - d[j])
    return total


@njit
def _completion(seq, p, comp):  # pragma: no cover - compiled
    t = 0
    for k in range(seq.shape[0]):
        t += p[seq[k]]
        comp[k] = t


@njit
def _dynasearch_step(seq, p, w, d, comp, tw_pre, delta, kind, best_f, choice):  # pragma: no cover
    """One enhanced-dynasearch step in place. Returns the (negative or zero) total gain."""
    n = seq.shape[0]
    _completion(seq, p, comp)
    for i in range(n):
        for j in range(n):
            delta[i, j] = 0
            kind[i, j] = 0
    # prefix sums of the weights of tardy jobs: bound what a swap can gain in its middle
    for k in range(n):
        m = seq[k]
        tw_pre[k + 1] = tw_pre[k] + (w[m] if comp[k] > d[m] else 0)
    # forward insertions (job at i moved right after j) and swaps
    for i in range(n - 1):
        a = seq[i]
        pa = p[a]
        ca = comp[i]
        fa_i = w[a] * (ca - d[a]) if ca > d[a] else 0
        acc = 0
        for j in range(i + 1, n):
            b = seq[j]
            cj = comp[j]
            c_new = cj - pa
            old = w[b] * (cj - d[b]) if cj > d[b] else 0
            new = w[b] * (c_new - d[b]) if c_new > d[b] else 0
            acc += new - old
            fa_j = w[a] * (cj - d[a]) if cj > d[a] else 0
            best = fa_j - fa_i + acc
            bk = 1
            # swap a (pos i) and b (pos j)
            pb = p[b]
            shift = pb - pa
            cb_new = ca - pa + pb
            sw = (w[b] * (cb_new - d[b]) if cb_new > d[b] else 0) - old + fa_j - fa_i
            # a later middle (shift > 0) can only cost more, an earlier one (shift < 0) gains
            # at most -shift per unit of tardy weight: skip swaps that cannot win
            limit = best if best < 0 else 0
            if shift > 0:
                hopeful = sw < limit
            elif shift < 0:
                hopeful = sw + shift * (tw_pre[j] - tw_pre[i + 1]) < limit
            else:
                hopeful = False
            if hopeful:
                for k in range(i + 1, j):
                    m = seq[k]
                    ck = comp[k]
                    c2 = ck + shift
                    sw += (w[m] * (c2 - d[m]) if c2 > d[m] else 0) - (
                        w[m] * (ck - d[m]) if ck > d[m] else 0
                    )
            if sw < best:
                best = sw
                bk = 2
            delta[i, j] = best
            kind[i, j] = bk
    # backward insertions (job at j moved to position i)
    for j in range(1, n):
        b = seq[j]
        pb = p[b]
        cj = comp[j]
        fb_j = w[b] * (cj - d[b]) if cj > d[b] else 0
        acc = 0
        for i in range(j - 1, -1, -1):
            m = seq[i]
            ck = comp[i]
            c2 = ck + pb
            acc += (w[m] * (c2 - d[m]) if c2 > d[m] else 0) - (
                w[m] * (ck - d[m]) if ck > d[m] else 0
            )
            cb_new = ck - p[m] + pb
            val = (w[b] * (cb_new - d[b]) if cb_new > d[b] else 0) - fb_j + acc
            if val < delta[i, j]:
                delta[i, j] = val
                kind[i, j] = 3
    # dynamic programme over prefixes: best_f[k] = best gain using positions < k
    best_f[0] = 0
    for k in range(1, n + 1):
        j = k - 1
        bv = best_f[k - 1]
        bi = -1
        for i in range(j):
            if delta[i, j] < 0:
                v = best_f[i] + delta[i, j]
                if v < bv:
                    bv = v
                    bi = i
        best_f[k] = bv
        choice[k] = bi
    total = best_f[n]
    if total >= 0:
        return 0
    k = n
    while k > 0:
        i = choice[k]
        if i < 0:
            k -= 1
            continue
        j = k - 1
        t = kind[i, j]
        if t == 2:
            tmp = seq[i]
            seq[i] = seq[j]
            seq[j] = tmp
        elif t == 1:
            a = seq[i]
            for q in range(i, j):
                seq[q] = seq[q + 1]
            seq[j] = a
        else:
            b = seq[j]
            for q in range(j, i, -1):
                seq[q] = seq[q - 1]
            seq[i] = b
        k = i
    return total


@njit
def _descend(
    seq, p, w, d, comp, tw_pre, delta, kind, best_f, choice
):  # pragma: no cover - compiled
    while True:
        g = _dynasearch_step(seq, p, w, d, comp, tw_pre, delta, kind, best_f, choice)
        if g >= 0:
            break
    return _cost(seq, p, w, d)


@njit
def _seed(s):  # pragma: no cover - compiled
    np.random.seed(s)


@njit
def _ils_batch(
    cur, cur_obj, best, best_obj, p, w, d, iters, stall, max_stall, stop_at, kmin, kmax, span
):
    """Run ``iters`` kick+descent iterations in place. Returns (cur_obj, best_obj, stall)."""
    n = cur.shape[0]
    comp = np.empty(n, np.int64)
    tw_pre = np.zeros(n + 1, np.int64)
    delta = np.empty((n, n), np.int64)
    kind = np.empty((n, n), np.int8)
    best_f = np.empty(n + 1, np.int64)
    choice = np.empty(n + 1, np.int64)
    trial = cur.copy()
    for _ in range(iters):
        for q in range(n):
            trial[q] = cur[q]
        # kick: a few random swaps of jobs at most `span` positions apart
        nk = kmin + np.random.randint(0, kmax - kmin + 1)
        for _k in range(nk):
            # a random pair of distinct positions at most `span` apart
            i = np.random.randint(0, n)
            lo = max(0, i - span)
            hi = min(n - 1, i + span)
            j = lo + np.random.randint(0, hi - lo)
            if j >= i:
                j += 1
            tmp = trial[i]
            trial[i] = trial[j]
            trial[j] = tmp
        obj = _descend(trial, p, w, d, comp, tw_pre, delta, kind, best_f, choice)
        if obj <= cur_obj:
            if obj < cur_obj:
                stall = 0
            for q in range(n):
                cur[q] = trial[q]
            cur_obj = obj
        else:
            stall += 1
        if obj < best_obj:
            best_obj = obj
            for q in range(n):
                best[q] = trial[q]
            stall = 0
        if stall > max_stall:
            for q in range(n):
                cur[q] = best[q]
            cur_obj = best_obj
            stall = 0
        if best_obj <= stop_at:
            break
    return cur_obj, best_obj, stall


@njit
def _local_opt(seq, p, w, d):  # pragma: no cover - compiled
    n = seq.shape[0]
    comp = np.empty(n, np.int64)
    tw_pre = np.zeros(n + 1, np.int64)
    delta = np.empty((n, n), np.int64)
    kind = np.empty((n, n), np.int8)
    best_f = np.empty(n + 1, np.int64)
    choice = np.empty(n + 1, np.int64)
    return _descend(seq, p, w, d, comp, tw_pre, delta, kind, best_f, choice)


# --------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------


def _arrays(p: ArrayLike, w: ArrayLike, d: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    pa = np.ascontiguousarray(p, dtype=np.int64)
    wa = np.ascontiguousarray(w, dtype=np.int64)
    da = np.ascontiguousarray(d, dtype=np.int64)
    if not (pa.ndim == wa.ndim == da.ndim == 1) or not (len(pa) == len(wa) == len(da)):
        raise ValueError("p, w and d must be 1-D sequences of the same length")
    if len(pa) and (pa.min() < 0 or wa.min() < 0):
        raise ValueError("processing times and weights must be non-negative")
    return pa, wa, da


def objective(order: Sequence[int], p: ArrayLike, w: ArrayLike, d: ArrayLike) -> int:
    """Total weighted tardiness of jobs processed in ``order`` (0-based job indices)."""
    pa, wa, da = _arrays(p, w, d)
    seq = np.asarray(order, dtype=np.int64)
    if sorted(seq.tolist()) != list(range(len(pa))):
        raise ValueError("order must be a permutation of 0..n-1")
    comp = np.cumsum(pa[seq])
    return int(np.sum(wa[seq] * np.maximum(0, comp - da[seq])))


def edd(p: ArrayLike, w: ArrayLike, d: ArrayLike) -> list[int]:
    """Earliest due date first (ties: larger w/p first)."""
    pa, wa, da = _arrays(p, w, d)
    ratio = wa / np.maximum(pa, 1e-9)
    return np.lexsort((-ratio, da)).tolist()


def wspt(p: ArrayLike, w: ArrayLike, d: ArrayLike) -> list[int]:
    """Weighted shortest processing time first (largest w/p)."""
    pa, wa, da = _arrays(p, w, d)
    ratio = wa / np.maximum(pa, 1e-9)
    return np.lexsort((da, -ratio)).tolist()


def _dispatch(pa: np.ndarray, wa: np.ndarray, da: np.ndarray, index_fn) -> list[int]:
    n = len(pa)
    left = np.ones(n, dtype=bool)
    t = 0
    order: list[int] = []
    for _ in range(n):
        idx = np.flatnonzero(left)
        score = index_fn(t, idx)
        j = int(idx[int(np.argmax(score))])
        order.append(j)
        left[j] = False
        t += int(pa[j])
    return order


def atc(p: ArrayLike, w: ArrayLike, d: ArrayLike, k: float = 2.0) -> list[int]:
    """Apparent Tardiness Cost rule (Vepsalainen & Morton): highest
    ``w/p * exp(-max(0, d - p - t) / (k * mean p))`` first."""
    pa, wa, da = _arrays(p, w, d)
    if len(pa) == 0:
        return []
    pbar = max(float(pa.mean()), 1e-9)
    pf = np.maximum(pa, 1e-9).astype(float)

    def index(t: int, idx: np.ndarray) -> np.ndarray:
        slack = np.maximum(0.0, da[idx] - pa[idx] - t)
        return wa[idx] / pf[idx] * np.exp(-slack / (k * pbar))

    return _dispatch(pa, wa, da, index)


def mdd(p: ArrayLike, w: ArrayLike, d: ArrayLike) -> list[int]:
    """Weighted modified due date rule: smallest ``max(p, d - t) / w`` first."""
    pa, wa, da = _arrays(p, w, d)
    wf = np.maximum(wa, 1e-9).astype(float)

    def index(t: int, idx: np.ndarray) -> np.ndarray:
        return -np.maximum(pa[idx], da[idx] - t) / wf[idx]

    return _dispatch(pa, wa, da, index)


def lower_bound(p: ArrayLike, w: ArrayLike, d: ArrayLike) -> int:
    """A cheap valid lower bound: every job is at least as late as if it ran first."""
    pa, wa, da = _arrays(p, w, d)
    return int(np.sum(wa * np.maximum(0, pa - da)))


def initial_orders(p: ArrayLike, w: ArrayLike, d: ArrayLike) -> dict[str, list[int]]:
    """The dispatch rules used as starting points, by name."""
    orders = {"edd": edd(p, w, d), "wspt": wspt(p, w, d), "mdd": mdd(p, w, d)}
    for k in (0.5, 1.0, 2.0, 4.0):
        orders[f"atc{k:g}"] = atc(p, w, d, k=k)
    return orders


_warm = False


def warm_up() -> None:
    """Compile (or load from the on-disk cache) the kernels once per process, so that the
    first ``solve`` does not spend its time limit compiling."""
    global _warm
    if _warm:
        return
    p = np.array([3, 1, 4, 1, 5], dtype=np.int64)
    w = np.array([2, 7, 1, 8, 2], dtype=np.int64)
    d = np.array([1, 2, 3, 4, 5], dtype=np.int64)
    seq = np.arange(5, dtype=np.int64)
    _local_opt(seq.copy(), p, w, d)
    _seed(0)
    _ils_batch(seq.copy(), 10**9, seq.copy(), 10**9, p, w, d, 1, 0, 10, 0, 1, 2, 2)
    _warm = True


def solve(
    p: ArrayLike,
    w: ArrayLike,
    d: ArrayLike,
    time_limit: float = 1.0,
    seed: int = 0,
    target: int | None = None,
    iterations: int | None = None,
) -> WTResult:
    """Minimise total weighted tardiness; see the module docstring for the method.

    With ``iterations`` the search is budgeted in work instead: exactly that many kick-and-descent
    iterations (fewer only if it stops early at a zero objective, the lower bound or ``target``),
    so the result does not depend on the machine or its load; ``time_limit`` then only caps the
    run as a safety net. The iterations form one random sequence from ``seed`` however they are
    batched, so ``solve(..., iterations=k)`` always returns the same order."""
    warm_up()
    started = time.perf_counter()
    pa, wa, da = _arrays(p, w, d)
    n = len(pa)
    if n == 0:
        return WTResult([], 0, 0.0, 0.0, "empty")
    lb = lower_bound(pa, wa, da)
    stop_at = max(lb, target if target is not None else lb)

    best: np.ndarray | None = None
    best_obj = None
    for order in initial_orders(pa, wa, da).values():
        seq = np.asarray(order, dtype=np.int64)
        obj = int(_local_opt(seq, pa, wa, da))
        if best_obj is None or obj < best_obj:
            best, best_obj = seq, obj
    assert best is not None and best_obj is not None
    t_best = time.perf_counter() - started

    def done(obj: int) -> str | None:
        if obj == 0:
            return "zero"
        if obj <= lb:
            return "lower_bound"
        if target is not None and obj <= target:
            return "target"
        return None

    reason = done(best_obj)
    done_iters = 0
    if reason is None and n > 1 and iterations != 0:
        _seed(seed)
        cur = best.copy()
        cur_obj = best_obj
        stall = 0
        max_stall = int(STALL_BASE + STALL_PER_JOB * n)
        batch = 1
        while True:
            elapsed = time.perf_counter() - started
            if iterations is not None and done_iters >= iterations:
                reason = "iterations"
                break
            if elapsed >= time_limit:
                reason = "time_limit"
                break
            if iterations is not None:
                batch = max(1, min(batch, iterations - done_iters))
            t0 = time.perf_counter()
            cur_obj, new_best, stall = _ils_batch(
                cur,
                cur_obj,
                best,
                best_obj,
                pa,
                wa,
                da,
                batch,
                stall,
                max_stall,
                stop_at,
                KICK_MIN,
                KICK_MAX,
                max(1, min(n - 1, int(KICK_SPAN * n))),
            )
            done_iters += batch
            dt = time.perf_counter() - t0
            if new_best < best_obj:
                best_obj = int(new_best)
                t_best = time.perf_counter() - started
                reason = done(best_obj)
                if reason is not None:
                    break
            # aim for batches of ~2 ms so the clock is checked often, and never plan a batch
            # that would run past the time limit
            per_iter = dt / batch
            if dt < 0.001:
                batch *= 2
            elif dt > 0.004 and batch > 1:
                batch //= 2
            left = time_limit - (time.perf_counter() - started)
            batch = max(1, min(batch, int(left / per_iter) if per_iter > 0 else batch))
    seconds = time.perf_counter() - started
    return WTResult(
        order=best.tolist(),
        objective=int(best_obj),
        seconds=seconds,
        seconds_to_best=min(t_best, seconds),
        stopped_because=reason or ("iterations" if iterations is not None else "time_limit"),
        iterations=done_iters,
    )
