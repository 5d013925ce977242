from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kabinet.lib import kpi
from kabinet.lib.kpi import Position


def test_a_straight_line_is_fitted_exactly_and_projected_forward():
    points = [(date(2026, 1, 1), 100.0), (date(2026, 1, 11), 120.0), (date(2026, 1, 21), 140.0)]

    trend = kpi.fit_trend(points)

    assert trend is not None
    assert trend.slope_per_day == pytest.approx(2.0)
    assert trend.at(date(2026, 1, 31)) == pytest.approx(160.0)


def test_one_day_of_data_gives_no_trend():
    assert kpi.fit_trend([(date(2026, 1, 1), 5.0), (date(2026, 1, 1), 7.0)]) is None


def test_monthly_figures_sum_average_or_take_the_last_value():
    points = [(date(2026, 3, 1), 10.0), (date(2026, 3, 31), 20.0), (date(2026, 4, 2), 5.0)]

    assert kpi.monthly_figures(points, "sum") == {date(2026, 3, 1): 30.0, date(2026, 4, 1): 5.0}
    assert kpi.monthly_figures(points, "avg")[date(2026, 3, 1)] == 15.0
    assert kpi.monthly_figures(points, "last")[date(2026, 3, 1)] == 20.0


def test_an_expectation_above_the_forecast_range_means_talk_now():
    check = kpi.check_expectation(30000, 18000, 22000)

    assert check.outside and check.talk_now and check.position == Position.BETTER


def test_for_a_lower_is_better_metric_a_lower_expectation_is_the_ambitious_one():
    check = kpi.check_expectation(3.0, 5.0, 8.0, higher_is_better=False)

    assert check.talk_now


def test_an_expectation_inside_the_range_raises_no_flag():
    check = kpi.check_expectation(20000, 18000, 22000)

    assert not check.outside and not check.talk_now


def test_actuals_growing_too_slowly_trend_below_the_forecast_range():
    figures = {date(2026, m, 1): 10000 + 200 * m for m in range(5, 11)}  # +200 a month

    check = kpi.check_trend(
        figures,
        low=15000,
        high=18000,
        by_date=date(2027, 3, 31),
        last_complete_month=date(2026, 10, 1),
    )

    assert check.behind
    assert check.projected == pytest.approx(13000, rel=0.01)  # five more months at +200
    assert check.months_used == 6


def test_actuals_on_track_are_not_behind():
    figures = {date(2026, m, 1): 10000 + 1000 * m for m in range(5, 11)}

    check = kpi.check_trend(
        figures,
        low=15000,
        high=30000,
        by_date=date(2027, 3, 31),
        last_complete_month=date(2026, 10, 1),
    )

    assert not check.behind and check.position == Position.INSIDE


def test_the_current_half_month_does_not_drag_the_trend_down():
    figures = {date(2026, m, 1): 10000 + 1000 * m for m in range(5, 11)}
    figures[date(2026, 11, 1)] = 3000  # only a few days so far

    check = kpi.check_trend(
        figures,
        low=15000,
        high=30000,
        by_date=date(2027, 3, 31),
        last_complete_month=date(2026, 10, 1),
    )

    assert not check.behind


def test_with_one_month_of_data_there_is_no_projection():
    check = kpi.check_trend({date(2026, 10, 1): 5.0}, low=1, high=2, by_date=date(2027, 1, 1))

    assert check.projected is None and not check.behind


def test_month_comparison_against_last_month_and_last_year():
    figures = {date(2025, 11, 1): 80.0, date(2026, 10, 1): 90.0, date(2026, 11, 1): 100.0}

    vs_last = kpi.compare(figures, date(2026, 11, 15), months_back=1)
    vs_year = kpi.compare(figures, date(2026, 11, 15), months_back=12)

    assert vs_last.change == 10.0 and vs_last.improved(higher_is_better=True)
    assert vs_year.change_share == pytest.approx(0.25)
    assert vs_last.improved(higher_is_better=False) is False


def test_a_missing_month_gives_no_change():
    assert kpi.compare({date(2026, 11, 1): 1.0}, date(2026, 11, 1), months_back=12).change is None


@given(
    st.floats(-1e6, 1e6, allow_nan=False),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.booleans(),
)
def test_a_value_is_exactly_one_of_worse_inside_or_better(value, a, b, higher):
    low, high = min(a, b), max(a, b)
    position = kpi.position_in_range(value, low, high, higher_is_better=higher)
    assert (position == Position.INSIDE) == (low <= value <= high)
    if value > high:
        assert position == (Position.BETTER if higher else Position.WORSE)


def test_months_are_added_across_years():
    assert kpi.add_months(date(2026, 11, 20), 2) == date(2027, 1, 1)
    assert kpi.add_months(date(2026, 1, 5), -12) == date(2025, 1, 1)
