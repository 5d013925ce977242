"""The wording of what planning tells a client: the reason for a deadline move and the
ready-to-edit message, both in the client company's language, dates in the agency's time zone."""

from __future__ import annotations

from datetime import datetime

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kabinet.core.formatting import format_due
from kabinet.core.models import Role
from kabinet.work.models import Task


def format_when(task: Task, at: datetime) -> str:
    """«4 декабря, 18:00» / «4 December, 18:00»: the long form of the one due-date formatter."""
    return format_due(task.project.agency, at, long=True)


def _client_first_name(task: Task) -> str:
    membership = (
        task.project.company.memberships.filter(role=Role.CLIENT, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user.get_short_name() if membership else ""


# Reasons a manager gives the client for a new date: never the agency's workload. "other" is
# written by the manager. The plan's own (internal) reason stays on the proposal for staff.
CLIENT_REASONS: dict[str, str] = {
    "thorough": gettext_noop(
        "we want to do it thoroughly and check the result before handing it over"
    ),
    "waiting_client": gettext_noop("we are waiting for materials or access from your side"),
    "scope": gettext_noop("the scope of the work has grown"),
    "previous_stage": gettext_noop("the previous stage is taking longer than planned"),
}
DEFAULT_CLIENT_REASON = "thorough"


def client_reason_text(task: Task, key_or_text: str) -> str:
    """A reason from the list (by its key) in the client's language, or the manager's own words."""
    value = (key_or_text or "").strip()
    if value in CLIENT_REASONS:
        with translation.override(task.project.company.language or "ru"):
            return _(CLIENT_REASONS[value])
    return value


def default_reason(task: Task, finish: datetime) -> str:
    """The plan's reason for the move, for staff only (never sent to the client)."""
    return _("by the computed plan the work will be ready by %(when)s") % {
        "when": format_when(task, finish)
    }


def client_message(task: Task, new_due: datetime, reason: str) -> str:
    """A ready-to-edit message to the client in the client company's language: the new date, what
    the client gets then, and the reason the manager chose — never the agency's workload."""
    with translation.override(task.project.company.language or "ru"):
        name = _client_first_name(task)
        greeting = _("%(name)s, good afternoon!") % {"name": name} if name else _("Good afternoon!")
        parts = [
            greeting,
            _("You will receive “%(title)s” by %(when)s.")
            % {"title": task.title, "when": format_when(task, new_due)},
        ]
        reason = client_reason_text(task, reason).rstrip(".")
        if reason:
            parts.append(_("We are moving the date because %(reason)s.") % {"reason": reason})
        parts.append(_("Thank you for understanding!"))
        return " ".join(parts)
