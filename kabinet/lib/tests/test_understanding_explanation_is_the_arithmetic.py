"""The explanation of an index is its arithmetic: contributions add up to it, and each is
10 x weight x score / the weights of the components with data."""

from __future__ import annotations

import pytest

from kabinet.lib.understanding import COMPONENTS, DEFAULT_WEIGHTS, Measurements, Settings, score

M = Measurements(
    days_since_update=9,
    reports_due=3,
    reports_on_time=1,
    documents_published=4,
    documents_opened=1,
    questions_open=4,
    ratings_count=2,
    ratings_sum=6,
    days_since_client_seen=3,
    expectation_gaps=2,
)


def test_contributions_add_up_to_the_index():
    result = score(M)
    assert sum(c.contribution for c in result.components) == pytest.approx(result.index)


def test_each_contribution_is_weight_times_score_over_the_weights_with_data():
    settings = Settings(weights={**DEFAULT_WEIGHTS, "silence": 5.0}, cadence_days=3)
    result = score(M, settings)
    with_data = [c for c in result.components if c.score is not None]
    total = sum(c.weight for c in with_data)
    for c in with_data:
        assert c.contribution == pytest.approx(10 * c.weight * c.score / total)
        assert c.contribution + c.lost == pytest.approx(10 * c.weight / total)


def test_the_values_shown_are_the_measurements():
    result = score(M, Settings(cadence_days=3))
    assert result.component("silence").value == 9
    assert result.component("schedule").value == pytest.approx(1 / 3)
    assert result.component("opened").value == pytest.approx(1 / 4)
    assert result.component("rating").value == pytest.approx(3.0)
    assert result.component("rating").score == pytest.approx(0.5)
    assert result.component("expectation").score == pytest.approx(1 / 3)
    # cadence 3, zero at 9 business days
    assert result.component("silence").score == 0.0
    assert [c.key for c in result.components] == list(COMPONENTS)


def test_a_zero_weight_takes_a_component_out_of_the_index():
    weights = {**DEFAULT_WEIGHTS, "expectation": 0.0}
    a = score(M, Settings(weights=weights))
    b = score(Measurements(**{**M.as_dict(), "expectation_gaps": 0}), Settings(weights=weights))
    assert a.index == pytest.approx(b.index)


def test_bad_settings_are_refused_naming_the_field():
    with pytest.raises(ValueError, match="cadence"):
        Settings(cadence_days=0)
    with pytest.raises(ValueError, match="silence"):
        Settings(weights={"silence": -1})
    with pytest.raises(ValueError, match="unknown"):
        Settings(weights={"mood": 1})
