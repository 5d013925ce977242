"""The planner's local search prices a move by re-evaluating only what it changes; that price
must equal the cost of the whole new sequence, in calendar hours on the person's calendar."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kabinet.lib.scheduling import search as ks


def _calendar(rng: np.random.Generator) -> tuple:
    """A few working intervals with gaps (nights, weekends) between them."""
    starts, ends, cum = [], [], []
    t, done = float(rng.uniform(0, 5)), 0.0
    for _ in range(int(rng.integers(1, 8))):
        length = float(rng.uniform(1, 9))
        starts.append(t)
        ends.append(t + length)
        cum.append(done)
        done += length
        t += length + float(rng.choice([0.5, 15.0, 63.0]))
    cs, ce, cc = np.array(starts), np.array(ends), np.array(cum)
    return (cs, ce, cc, 0, len(cs), done, float(ce[-1]))


@settings(max_examples=80, deadline=None)
@given(st.integers(2, 25), st.integers(0, 10_000), st.booleans())
def test_segment_cost_equals_full_cost_after_any_move(n, seed, swap):
    rng = np.random.default_rng(seed)
    cal = _calendar(rng)
    p = rng.integers(0, 8, n).astype(float)
    r = np.where(rng.random(n) < 0.3, rng.uniform(0, 30, n), 0.0)
    # one or two lateness terms per job: a weight and a calendar deadline
    tptr = np.zeros(n + 1, dtype=np.int64)
    tw, tdc = [], []
    for j in range(n):
        for _ in range(int(rng.integers(1, 3))):
            tw.append(float(rng.integers(1, 10)))
            tdc.append(float(rng.uniform(0, 120)))
        tptr[j + 1] = len(tw)
    tw_a, tdc_a = np.array(tw), np.array(tdc)
    tdw_a = np.array([ks._work_before(*cal, d) for d in tdc])
    # precedences j -> k with j < k (some may be violated by the sequence)
    pptr = np.zeros(n + 1, dtype=np.int64)
    pidx: list[int] = []
    for k in range(n):
        for j in range(k):
            if rng.random() < 0.1:
                pidx.append(j)
        pptr[k + 1] = len(pidx)
    pidx_a = np.array(pidx, dtype=np.int64)
    seq = rng.permutation(n).astype(np.int64)
    pos = np.empty(n, dtype=np.int64)
    tb, cpre = np.empty(n + 1), np.empty(n + 1)
    kb = np.empty(n + 1, dtype=np.int64)
    done = np.zeros(n, dtype=bool)
    before = ks._prepare(seq, p, r, tptr, tw_a, tdw_a, tdc_a, pptr, pidx_a, pos, tb, cpre, kb, cal)
    i, j = (int(x) for x in rng.choice(n, 2, replace=False))
    if swap:
        seq[i], seq[j] = seq[j], seq[i]
    else:
        ks._move(seq, i, j)
    lo, hi = min(i, j), max(i, j)
    args = (p, r, tptr, tw_a, tdw_a, tdc_a, pptr, pidx_a, pos, tb, cpre, kb, done, cal)
    fast, _steps = ks._seg_cost(seq, lo, hi, *args, np.inf)
    full = ks._seq_cost(
        seq, p, r, tptr, tw_a, tdw_a, tdc_a, pptr, pidx_a, np.zeros(n, dtype=bool), cal
    )
    # The segment price starts from the prefix sums of `before`, which include the 1e12 penalty
    # of a violated precedence: it carries that magnitude's rounding (a few ulps of `before`).
    rounding = 8 * np.finfo(float).eps * abs(before)
    assert abs(fast - full) <= 1e-6 * max(1.0, abs(full)) + rounding
    assert not done.any()
    # with a bound, a move is either priced exactly or known not to beat the bound
    bounded, _steps = ks._seg_cost(seq, lo, hi, *args, before)
    assert bounded == fast or (bounded == np.inf and full >= before - 1e-9)
    assert not done.any()


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000))
def test_working_hour_axis_round_trips(seed):
    rng = np.random.default_rng(seed)
    cal = _calendar(rng)
    cs, ce = cal[0], cal[1]
    for _ in range(20):
        h = float(rng.uniform(0.01, cal[5] + 10))
        f = ks._finish_at(*cal, h)
        assert abs(ks._work_before(*cal, f) - h) <= 1e-9
        # the finish lies inside working time, or past the horizon
        assert f > cal[6] - 1e-9 or any(
            a - 1e-9 <= f <= b + 1e-9 for a, b in zip(cs, ce, strict=True)
        )
        s = ks._start_at(*cal, h)
        assert abs(ks._work_before(*cal, s) - h) <= 1e-9
        assert s >= f - 1e-9
