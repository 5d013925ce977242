from __future__ import annotations

from django import template
from django.utils import timezone

from kabinet.promises import selectors
from kabinet.promises.services import format_due

register = template.Library()


@register.simple_tag(takes_context=True)
def pending_proposals(context, project) -> list:
    """The viewer's proposals waiting for a click on this project (nothing for clients)."""
    viewer = context.get("viewer")
    if viewer is None or not viewer.is_staff:
        return []
    return list(selectors.pending_proposals(viewer, project.pk))


@register.simple_tag(takes_context=True)
def promises_of_task(context, task) -> list:
    viewer = context.get("viewer")
    if viewer is None:
        return []
    return list(selectors.task_promises(viewer, task))


@register.simple_tag
def due(project, at) -> str:
    """A due time in the agency's time zone, e.g. «03.12 13:00»."""
    return format_due(project, at, timezone.now()) if at else ""
