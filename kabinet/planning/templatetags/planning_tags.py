from __future__ import annotations

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

from kabinet.planning.forms import FACTOR_LABELS

register = template.Library()

NOTES = {
    "no_assignee": lambda: _("Nobody is assigned: the task is not scheduled."),
    "blocked_by_unassigned": lambda: _("It waits for a task nobody is assigned to."),
    "beyond_horizon": lambda: _("The work does not fit in the planning horizon."),
}


@register.filter
def factor_rows(forecast) -> list[dict]:
    """Every factor of a forecast: label, normalised value, contribution, whether it decided."""
    details = forecast.details or {}
    decisive = set(details.get("decisive") or [])
    rows = [
        {
            "name": name,
            "label": FACTOR_LABELS.get(name, name),
            "value": value,
            "contribution": contribution,
            "decisive": name in decisive,
            "neutral": name in (details.get("neutral") or []),
        }
        for name, value, contribution in details.get("factors") or []
    ]
    rows.sort(key=lambda r: -r["contribution"])
    return rows


@register.filter
def forecast_notes(forecast) -> list[str]:
    details = forecast.details or {}
    out = [NOTES[n]() for n in details.get("notes") or [] if n in NOTES]
    if details and not details.get("estimated", True):
        out.append(
            _("No estimate: counted as %(hours)s h.") % {"hours": details.get("remaining_hours")}
        )
    return out


@register.filter
def hours(value) -> str:
    """Hours with one decimal, in the reader's number format (92,0 / 92.0)."""
    if value is None:
        return "—"
    return formats.number_format(float(value), 1)


@register.filter
def due_of(values, pk) -> str:
    """The at-risk board's per-row value or error for a proposal: ``values["due_<pk>"]``."""
    return (values or {}).get(f"due_{pk}", "")


@register.filter
def late_span(value) -> str:
    """Lateness as a manager says it: hours under a day, days (one decimal) from a day on."""
    if value is None:
        return "—"
    hours_ = float(value)
    if hours_ < 24:
        return _("%(n)s h") % {"n": formats.number_format(hours_, 0 if hours_ >= 10 else 1)}
    return _("%(n)s d") % {"n": formats.number_format(hours_ / 24.0, 1)}
