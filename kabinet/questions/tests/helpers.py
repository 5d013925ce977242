"""Builders for question tests: a thread asked and answered through the real services."""

from __future__ import annotations

from datetime import datetime

import time_machine

from kabinet.core.scoping import viewer_for
from kabinet.lib.business_calendar import DEFAULT_TZ as MSK
from kabinet.questions import services


def msk(*args: int) -> datetime:
    return datetime(*args, tzinfo=MSK)


def v(user):
    return viewer_for(user)


def ask(
    client_user,
    project,
    subject="Почему упал трафик?",
    body="Трафик из поиска упал на 20%.",
    at=None,
):
    if at is None:
        return services.ask(viewer=v(client_user), project=project, subject=subject, body=body)
    with time_machine.travel(at, tick=False):
        return services.ask(viewer=v(client_user), project=project, subject=subject, body=body)


def at(moment: datetime):
    """Run the following service calls at a fixed instant."""
    return time_machine.travel(moment, tick=False)
