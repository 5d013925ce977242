from __future__ import annotations

from html import escape

from django import template
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

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


_MANAGER_ROW = (
    '<tr data-testid="manager"{}><th scope="row"><a href="?manager={}">{}</a></th>'
    '<td class="num">{}</td><td class="num{}">{}</td>' + '<td class="num">{}</td>' * 6 + "</tr>"
)


@register.simple_tag
def manager_rows(view) -> str:
    """The head's table of account managers, a row each, built here rather than by the template
    language: an agency has dozens of managers, and each row's dozen looked-up values made the
    table most of the page's rendering. The figures come printed (`ManagerRow.text`); every
    value is escaped by format_html."""
    current = view.manager.key if view.manager is not None else None
    nobody = _("No account manager")
    here = mark_safe(' aria-current="true"')
    rows = []
    for m in view.managers:
        t = m.text
        rows.append(
            format_html(
                _MANAGER_ROW,
                here if m.key == current else "",
                m.key,
                m.manager.full_name if m.manager else nobody,
                t["clients"],
                " late" if m.alarms else "",
                t["alarms"],
                t["lowest"],
                t["kept"],
                t["sla"],
                t["rating"],
                t["silence"],
                t["at_risk"],
            )
        )
    return mark_safe("\n".join(rows))
