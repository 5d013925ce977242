"""Helpers for the promise tests: a frozen Wednesday morning in Moscow and viewers for the personas."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine

from kabinet.core.scoping import viewer_for
from kabinet.lib.business_calendar import DEFAULT_TZ as MSK
from kabinet.promises.services import detect_later
from kabinet.timeline.models import Kind, Visibility
from kabinet.timeline.services import record_event

WEDNESDAY_10 = datetime(2026, 12, 2, 10, 0, tzinfo=MSK)


def msk(*args) -> datetime:
    return datetime(*args, tzinfo=MSK)


@pytest.fixture
def wednesday():
    """Now is Wednesday 2 December 2026, 10:00 Moscow time (a business day)."""
    with time_machine.travel(WEDNESDAY_10, tick=False) as traveller:
        yield traveller


@pytest.fixture
def as_viewer():
    return viewer_for


@pytest.fixture
def write(django_capture_on_commit_callbacks):
    """write(project, author, body, kind=MESSAGE, visibility=CLIENT): a staff text written as the
    writing services do (the event, then detection enqueued on commit), with the commit run."""

    def _write(
        project, author, body, *, kind=Kind.MESSAGE, visibility=Visibility.CLIENT, title="Ответ"
    ):
        with django_capture_on_commit_callbacks(execute=True):
            event = record_event(
                project=project,
                kind=kind,
                title=title,
                body=body,
                author=author,
                visibility=visibility,
            )
            detect_later(event=event)
        return event

    return _write
