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
    return formats.number_format(round(float(value), metric.decimals), decimal_pos=metric.decimals,
                                 use_l10n=True, force_grouping=True)  # fmt: skip


@register.inclusion_tag("health/_flags_banner.html", takes_context=True)
def results_flags_banner(context) -> dict:
    """On the staff's project list: expectations outside a forecast and actuals behind one."""
    from kabinet.health import selectors

    viewer = context.get("viewer")
    if viewer is None or not viewer.is_staff:
        return {"flags": []}
    return {"flags": selectors.flags(viewer)}


@register.filter
def kpi_change(comparison, card) -> str:
    return reports.change(card, comparison)
