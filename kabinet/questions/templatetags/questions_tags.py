from __future__ import annotations

from datetime import timedelta

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def business_hours(value: timedelta | None) -> str:
    """A business-time duration as "3 h 20 min" (negative: "overdue by ...")."""
    if value is None:
        return ""
    minutes = int(abs(value.total_seconds()) // 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        text = _("%(h)d h %(m)d min") % {"h": hours, "m": minutes}
    elif hours:
        text = _("%(h)d h") % {"h": hours}
    else:
        text = _("%(m)d min") % {"m": minutes}
    return _("overdue by %(t)s") % {"t": text} if value < timedelta(0) else text


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


@register.filter
def hours(value: float | None) -> str:
    return "—" if value is None else _("%(h)s h") % {"h": number_format(value, 1)}


@register.simple_tag
def sla_label(clock) -> str:
    if clock is None:
        return ""
    names = {
        "first_response": _("first response"),
        "next_response": _("next response"),
        "resolution": _("resolution"),
    }
    return str(names.get(clock.target.value, clock.target.value))


@register.simple_tag
def state_label(clock) -> str:
    if clock is None:
        return ""
    names = {
        "ok": _("on time"),
        "warning": _("three quarters of the time used"),
        "breached": _("breached"),
        "paused": _("paused: waiting for the client"),
        "met": _("met"),
    }
    return str(names.get(clock.state.value, clock.state.value))
