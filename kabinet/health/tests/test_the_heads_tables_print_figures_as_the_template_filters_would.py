"""The head's page prints its tables' figures in Python, once per page (`PageFigures`), instead of
through `floatformat` and the `percent` tag per cell: the figures must read exactly the same, in
Russian and English, for any value the tables hold."""

from __future__ import annotations

from django.template.defaultfilters import floatformat
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from kabinet.health.selectors import PageFigures
from kabinet.health.templatetags.health_tags import percent

# What the tables hold: an index, a rating, days, differences — not 200-digit fractions, which
# floatformat prints back as they came.
values = st.one_of(
    st.floats(min_value=-1000, max_value=100_000, allow_nan=False).map(lambda v: round(v, 6)),
    st.sampled_from([0.05, 0.15, 0.25, 2.25, 2.35, 7.45, -0.04, -0.05, 0.5, 1.5, 2.5, 999.95]),
)


@given(value=values, decimals=st.sampled_from([0, 1, 2]), language=st.sampled_from(["ru", "en"]))
def test_a_figure_reads_as_floatformat_prints_it(value, decimals, language):
    with translation.override(language):
        assert PageFigures().fixed(value, decimals) == floatformat(value, decimals)


@given(share=st.one_of(st.none(), st.floats(min_value=0, max_value=1)))
def test_a_share_reads_as_the_percent_tag_prints_it(share):
    assert PageFigures.share(share) == percent(share)


def test_no_value_is_the_placeholder_the_page_asks_for():
    figures = PageFigures()
    assert figures.fixed(None, 1) == ""
    assert figures.fixed(None, 0, "—") == "—"
    assert PageFigures.share(None) == "—"


def test_russian_writes_a_decimal_comma():
    with translation.override("ru"):
        assert PageFigures().fixed(7.45, 1) == "7,5"
    with translation.override("en"):
        assert PageFigures().fixed(7.45, 1) == "7.5"
