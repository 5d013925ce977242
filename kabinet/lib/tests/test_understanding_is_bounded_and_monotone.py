"""Property tests: the index stays within 0..10 and never moves against a component."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from kabinet.lib.understanding import COMPONENTS, Measurements, Settings, merge, score

counts = st.integers(min_value=0, max_value=50)
days = st.one_of(st.none(), st.floats(min_value=0, max_value=400, allow_nan=False))


@st.composite
def measurements(draw):
    due = draw(counts)
    published = draw(counts)
    responses = draw(counts)
    answered = draw(counts)
    ratings = draw(counts)
    promises = draw(counts)
    return Measurements(
        days_since_update=draw(days),
        reports_due=due,
        reports_on_time=draw(st.integers(0, due)),
        documents_published=published,
        documents_opened=draw(st.integers(0, published)),
        decisions_waiting=draw(counts),
        decision_days=draw(st.floats(min_value=0, max_value=500)),
        questions_open=draw(counts),
        responses=responses,
        responses_within_sla=draw(st.integers(0, responses)),
        questions_answered=answered,
        questions_reopened=draw(st.integers(0, answered)),
        ratings_count=ratings,
        ratings_sum=float(draw(st.integers(ratings, 5 * ratings))),
        promises_due=promises,
        promises_broken_or_moved=draw(st.integers(0, promises)),
        days_since_client_seen=draw(days),
        expectation_gaps=draw(counts),
        client_accounts=draw(st.integers(0, 2)),
    )


weights = st.fixed_dictionaries(
    {k: st.floats(min_value=0, max_value=10, allow_nan=False) for k in COMPONENTS}
)
settings = st.builds(Settings, weights=weights, cadence_days=st.integers(1, 20))


@given(measurements(), settings)
def test_the_index_is_between_0_and_10(m, s):
    result = score(m, s)
    assert 0.0 <= result.index <= 10.0
    for c in result.components:
        assert c.score is None or 0.0 <= c.score <= 1.0


# Changes that can only make a component better (or leave it as it was).
def _better(m: Measurements, key: str, amount: int) -> Measurements:
    if key == "silence":
        d = m.days_since_update
        return replace(m, days_since_update=amount if d is None else max(0, d - amount))
    if key == "schedule":
        return replace(m, reports_on_time=min(m.reports_due, m.reports_on_time + amount))
    if key == "opened":
        return replace(m, documents_opened=min(m.documents_published, m.documents_opened + amount))
    if key == "decisions":
        return replace(m, decision_days=max(0.0, m.decision_days - amount))
    if key == "open_questions":
        return replace(m, questions_open=max(0, m.questions_open - amount))
    if key == "sla":
        return replace(m, responses_within_sla=min(m.responses, m.responses_within_sla + amount))
    if key == "reopened":
        return replace(m, questions_reopened=max(0, m.questions_reopened - amount))
    if key == "rating":
        return replace(m, ratings_sum=min(5.0 * m.ratings_count, m.ratings_sum + amount))
    if key == "promises":
        return replace(m, promises_broken_or_moved=max(0, m.promises_broken_or_moved - amount))
    if key == "logins":
        d = m.days_since_client_seen
        return replace(m, days_since_client_seen=amount if d is None else max(0, d - amount))
    if key == "expectation":
        return replace(m, expectation_gaps=max(0, m.expectation_gaps - amount))
    raise AssertionError(key)


@given(measurements(), settings, st.sampled_from(COMPONENTS), st.integers(0, 30))
def test_improving_one_component_never_lowers_the_index(m, s, key, amount):
    assert score(_better(m, key, amount), s).index >= score(m, s).index - 1e-9


@given(st.lists(measurements(), min_size=1, max_size=4), settings)
def test_a_company_index_is_bounded_too(items, s):
    assert 0.0 <= score(merge(items), s).index <= 10.0
