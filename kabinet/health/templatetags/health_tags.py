from __future__ import annotations

from html import escape

from django import template
from django.utils import formats
from django.utils.safestring import mark_safe

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


@register.simple_tag
def work_mark_items(annotations: list[dict]) -> str:
    """The charts' marks as list items, each a link to its chronology item: one escaped string
    for the list (tens of marks), not a template loop."""
    return mark_safe(  # noqa: S308 — every piece is escaped here
        "".join(
            f'<li><a href="{escape(a["url"])}">{escape(a["date"])} — {escape(a["title"])}</a></li>'
            for a in annotations
        )
    )


@register.filter
def kpi_change(comparison, card) -> str:
    return reports.change(card, comparison)


SHARE_COMPONENTS = {"schedule", "opened", "sla", "reopened", "promises"}


@register.simple_tag
def percent(value) -> str:
    """A share (0..1) as a whole percentage; "—" when there is no data."""
    if value is None:
        return "—"
    return f"{round(float(value) * 100)} %"


@register.simple_tag
def understanding_value(component) -> str:
    """A component's measurement the way a person reads it: shares in %, days and counts whole,
    the rating with one decimal; "never" for a silence that has no end."""
    from django.utils.translation import gettext as _

    value = component.value
    if value is None:
        return _("never") if component.key in ("silence", "logins") else "—"
    if component.key in SHARE_COMPONENTS:
        return percent(value)
    if component.key == "rating":
        return formats.number_format(round(float(value), 1), decimal_pos=1, use_l10n=True)
    return formats.number_format(round(float(value)), use_l10n=True)
