"""The wording of what planning tells a client: the reason for a deadline move and the
ready-to-edit message, both in the client company's language, dates in the agency's time zone."""

from __future__ import annotations

from datetime import datetime

from django.utils import translation
from django.utils.translation import gettext as _

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


def default_reason(task: Task, finish: datetime) -> str:
    """The reason for the move, in the client's language (it goes on the client's record)."""
    with translation.override(task.project.company.language or "ru"):
        return _(
            "the specialist's schedule is full: by the computed plan the work will be ready by %(when)s"
        ) % {"when": format_when(task, finish)}


def client_message(task: Task, new_due: datetime, reason: str) -> str:
    """A ready-to-edit message to the client in the client company's language."""
    with translation.override(task.project.company.language or "ru"):
        name = _client_first_name(task)
        greeting = _("%(name)s, good afternoon!") % {"name": name} if name else _("Good afternoon!")
        return " ".join(
            [
                greeting,
                _("To do “%(title)s” properly, we need more time: the new deadline is %(when)s.")
                % {"title": task.title, "when": format_when(task, new_due)},
                _("Reason: %(reason)s.") % {"reason": reason.rstrip(".")},
                _("Thank you for understanding!"),
            ]
        )
