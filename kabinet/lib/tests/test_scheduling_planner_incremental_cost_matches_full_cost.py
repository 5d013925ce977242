"""The planner's local search prices a move by re-evaluating only what it changes; that price
must equal the cost of the whole new sequence."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kabinet.lib.scheduling import planner as pl


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 25), st.integers(0, 10_000), st.booleans())
def test_segment_cost_equals_full_cost_after_any_move(n, seed, swap):
    rng = np.random.default_rng(seed)
    p = rng.integers(1, 8, n).astype(float)
    r = np.where(rng.random(n) < 0.3, rng.uniform(0, 30, n), 0.0)
    # one or two tardiness terms per job
    tptr = np.zeros(n + 1, dtype=np.int64)
    tw, td = [], []
    for j in range(n):
        for _ in range(int(rng.integers(1, 3))):
            tw.append(float(rng.integers(1, 10)))
            td.append(float(rng.uniform(0, 40)))
        tptr[j + 1] = len(tw)
    tw_a, td_a = np.array(tw), np.array(td)
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
    done = np.zeros(n, dtype=bool)
    pl._prepare(seq, p, r, tptr, tw_a, td_a, pptr, pidx_a, pos, tb, cpre)
    i, j = (int(x) for x in rng.choice(n, 2, replace=False))
    if swap:
        seq[i], seq[j] = seq[j], seq[i]
    else:
        pl._move(seq, i, j)
    lo, hi = min(i, j), max(i, j)
    fast, _steps = pl._seg_cost(
        seq, lo, hi, p, r, tptr, tw_a, td_a, pptr, pidx_a, pos, tb, cpre, done
    )
    full = pl._seq_cost(seq, p, r, tptr, tw_a, td_a, pptr, pidx_a, np.zeros(n, dtype=bool))
    assert abs(fast - full) <= 1e-6 * max(1.0, abs(full))
    assert not done.any()
