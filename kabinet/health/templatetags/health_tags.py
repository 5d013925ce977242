from __future__ import annotations

from django import template
from django.utils import formats

from kabinet.health import reports

register = template.Library()


@register.filter
def kpi_value(value, metric) -> str:
    """A figure in the metric's precision, grouped the way the active language writes numbers."""
    if value is None or value == "":
        return "—"
    return formats.number_format(
        round(float(value), metric.decimals),
        decimal_pos=metric.decimals,
        use_l10n=True,
        force_grouping=True,
    )


@register.filter
def kpi_change(comparison, card) -> str:
    return reports.change(card, comparison)
