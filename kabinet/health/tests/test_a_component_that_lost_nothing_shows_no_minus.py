"""The components table says how many points each component cost the index, with a minus sign:
one that cost nothing reads "0,00", never "−0,00"."""

from __future__ import annotations

import re
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils import translation


def _row(key: str, lost: float) -> SimpleNamespace:
    return SimpleNamespace(
        key=key, label=key, value=1, score=1.0 - lost, weight=1.0, contribution=1.0, lost=lost
    )


def _lost_cells(html: str) -> list[str]:
    rows = re.findall(r"<tr data-component=.*?</tr>", html, re.S)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[-1] for row in rows]


def test_a_component_that_lost_nothing_reads_zero_and_one_that_lost_points_has_a_minus():
    with translation.override("ru"):
        html = render_to_string(
            "health/_understanding_components.html",
            {"components": [_row("silence", 0.0), _row("reports", 0.38)], "index": 6.8},
        )

    assert _lost_cells(html) == ["0,00", "−0,38"]
