from __future__ import annotations

import pytest

from kabinet.benchmarks.priority import read_orlib
from kabinet.lib.scheduling import wt


def test_orlib_reader_infers_n_from_the_number_of_integers():
    # two instances of n=2: p p w w d d
    n, insts, best = read_orlib("1 2\n3 4 5 6  7 8 9 10\n11 12", "5\n6")
    assert n == 2
    assert insts[0] == ([1, 2], [3, 4], [5, 6])
    assert insts[1] == ([7, 8], [9, 10], [11, 12])
    assert best == [5, 6]


def test_orlib_reader_rejects_a_stream_that_does_not_divide():
    with pytest.raises(ValueError):
        read_orlib("1 2 3 4", "1")


def test_edd_orders_by_due_date():
    assert wt.edd([1, 1, 1], [1, 1, 1], [30, 10, 20]) == [1, 2, 0]


def test_atc_prefers_heavy_short_jobs_when_all_are_urgent():
    order = wt.atc([10, 1], [1, 10], [0, 0])
    assert order == [1, 0]


def test_objective_rejects_orders_that_are_not_permutations():
    with pytest.raises(ValueError):
        wt.objective([0, 0], [1, 1], [1, 1], [1, 1])
