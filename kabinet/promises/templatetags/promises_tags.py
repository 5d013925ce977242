from __future__ import annotations

from django import template

from kabinet.core.formatting import format_due

register = template.Library()


@register.simple_tag
def due(project, at) -> str:
    """A due time in the agency's time zone, e.g. «03.12 13:00»."""
    return format_due(project.agency, at) if at else ""


@register.simple_tag
def forecast_check(proposal) -> str:
    """A promised result against the forecast, in the reader's language ("" when not checked)."""
    from kabinet.health.outcomes import describe

    return describe(proposal.forecast_check)
