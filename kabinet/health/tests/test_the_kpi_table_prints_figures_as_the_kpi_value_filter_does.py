"""The KPI card's table formats its figures in Python, once per card (`Card.table`); they read
exactly as the `kpi_value` filter prints the other figures of the card."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from kabinet.health.selectors import figure_format
from kabinet.health.templatetags.health_tags import kpi_value

VALUES = [0, 7, -3.5, 1234.5678, 1234567.891, Decimal("98765.4321"), -0.004]


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("decimals", [0, 1, 2, 4])
def test_a_figure_reads_the_same_in_the_table_and_through_the_filter(language, decimals):
    metric = SimpleNamespace(decimals=decimals)
    with translation.override(language):
        figure = figure_format(decimals)
        assert [figure(v) for v in VALUES] == [kpi_value(v, metric) for v in VALUES]
