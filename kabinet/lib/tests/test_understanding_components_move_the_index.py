"""Each component moves the understanding index in the right direction, the others held."""

from __future__ import annotations

import pytest

from kabinet.lib.understanding import Measurements, score

BASE = Measurements(
    days_since_update=6,
    reports_due=4,
    reports_on_time=2,
    documents_published=6,
    documents_opened=3,
    decisions_waiting=2,
    decision_days=8,
    questions_open=2,
    responses=10,
    responses_within_sla=6,
    questions_answered=8,
    questions_reopened=2,
    ratings_count=4,
    ratings_sum=14,
    promises_due=6,
    promises_broken_or_moved=2,
    days_since_client_seen=8,
    expectation_gaps=1,
)

# (what changes, from the base to a better value)
BETTER = [
    ("silence", {"days_since_update": 2}),
    ("schedule", {"reports_on_time": 4}),
    ("opened", {"documents_opened": 6}),
    ("decisions", {"decision_days": 1}),
    ("open_questions", {"questions_open": 0}),
    ("sla", {"responses_within_sla": 10}),
    ("reopened", {"questions_reopened": 0}),
    ("rating", {"ratings_sum": 19}),
    ("promises", {"promises_broken_or_moved": 0}),
    ("logins", {"days_since_client_seen": 1}),
    ("expectation", {"expectation_gaps": 0}),
]


@pytest.mark.parametrize(("component", "change"), BETTER, ids=[c for c, _ in BETTER])
def test_a_better_component_raises_the_index_and_its_own_contribution(component, change):
    from dataclasses import replace

    before = score(BASE)
    after = score(replace(BASE, **change))
    assert after.index > before.index
    assert after.component(component).contribution > before.component(component).contribution
    assert after.component(component).score > before.component(component).score


def test_longer_silence_lowers_the_index_until_three_cadences():
    from dataclasses import replace

    indices = [score(replace(BASE, days_since_update=d)).index for d in (5, 7, 10, 15, 30)]
    assert indices[0] > indices[1] > indices[2] > indices[3]
    assert indices[3] == pytest.approx(indices[4])  # 3x the cadence: already scored 0


def test_never_updated_scores_silence_zero():
    from dataclasses import replace

    assert score(replace(BASE, days_since_update=None)).component("silence").score == 0.0


def test_a_component_without_data_is_left_out_of_the_mean():
    only_silence = Measurements(days_since_update=0, days_since_client_seen=0)
    result = score(only_silence)
    assert result.component("schedule").score is None
    assert result.component("schedule").contribution == 0.0
    assert result.index == pytest.approx(10.0)


def test_a_client_without_accounts_has_no_data_for_opening_and_logins():
    from dataclasses import replace

    result = score(replace(BASE, client_accounts=0))
    assert result.component("opened").score is None
    assert result.component("logins").score is None
    assert sum(c.contribution for c in result.components) == pytest.approx(result.index)
