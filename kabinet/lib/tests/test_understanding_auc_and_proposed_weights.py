"""ROC AUC by the exact Mann–Whitney count, and weights proposed from each component's AUC."""

from __future__ import annotations

import pytest

from kabinet.lib.understanding import COMPONENTS, DEFAULT_WEIGHTS, auc, proposed_weights


def test_perfect_separation_is_one_and_reversed_is_zero():
    assert auc([5, 6, 7], [1, 2]) == 1.0
    assert auc([1, 2], [5, 6, 7]) == 0.0


def test_ties_count_half():
    assert auc([1, 1], [1, 1]) == pytest.approx(0.5)
    assert auc([2, 1], [1]) == pytest.approx(0.75)


def test_it_matches_the_pairwise_count():
    pos, neg = [3, 1, 4, 1, 5, 9, 2, 6], [5, 3, 5, 8, 9, 7]
    pairs = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    assert auc(pos, neg) == pytest.approx(pairs / (len(pos) * len(neg)))


def test_an_empty_side_has_no_auc():
    assert auc([], [1]) is None


def test_proposed_weights_follow_the_lift_over_chance_and_keep_the_total():
    aucs = {k: 0.5 for k in COMPONENTS} | {"silence": 0.9, "opened": 0.7, "rating": 0.3}
    weights = proposed_weights(aucs, DEFAULT_WEIGHTS)
    assert weights["silence"] == pytest.approx(2 * weights["opened"], rel=0.02)
    assert weights["rating"] == 0.0
    assert sum(weights.values()) == pytest.approx(sum(DEFAULT_WEIGHTS.values()), rel=0.01)


def test_nothing_separating_keeps_the_current_weights():
    assert proposed_weights({k: 0.4 for k in COMPONENTS}, DEFAULT_WEIGHTS) == DEFAULT_WEIGHTS
