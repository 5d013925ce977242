"""`union_all` reads several ordered, cut lists in one query, on SQLite as on PostgreSQL, and
gives what iterating Django's union would: instances with annotations, tuples, dicts — with
datetimes as datetimes (SQLite keeps them as text)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.db.models import F, Value
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kabinet.core.unions import union_all
from kabinet.timeline.models import Event, Kind
from kabinet.timeline.tests.factories import event


@pytest.fixture
def history(project, sergey):
    start = timezone.now() - timedelta(days=30)
    for day in range(6):
        event(
            project, kind=Kind.MESSAGE, title=f"message {day}", occurred_at=start + timedelta(day)
        )
        event(project, kind=Kind.REPORT, title=f"report {day}", occurred_at=start + timedelta(day))
    return Event.objects.filter(project=project)


def _parts(history):
    newest_messages = history.filter(kind=Kind.MESSAGE).order_by("-occurred_at", "-pk")[:2]
    oldest_reports = history.filter(kind=Kind.REPORT).order_by("occurred_at", "pk")[:3]
    return [
        qs.only("title", "occurred_at").annotate(part=Value(name), author_name=F("author__email"))
        for name, qs in (("new", newest_messages), ("old", oldest_reports))
    ]


def test_each_part_is_ordered_and_cut_in_one_query_with_its_annotations(history):
    with CaptureQueriesContext(connection) as ctx:
        rows = union_all(_parts(history))
    assert len(ctx.captured_queries) == 1
    by_part = {
        name: [r.title for r in sorted(rows, key=lambda r: r.occurred_at) if r.part == name]
        for name in ("new", "old")
    }
    assert by_part == {
        "new": ["message 4", "message 5"],
        "old": ["report 0", "report 1", "report 2"],
    }
    assert all(isinstance(r, Event) and isinstance(r.occurred_at, datetime) for r in rows)
    assert all(r.occurred_at.tzinfo is not None for r in rows)


def test_values_list_parts_come_back_as_tuples_in_the_asked_order(history):
    parts = [
        qs.values("pk").annotate(p=Value(name), at=F("occurred_at")).values_list("at", "p")
        for name, qs in (
            ("m", history.filter(kind=Kind.MESSAGE).order_by("-occurred_at")[:1]),
            ("r", history.filter(kind=Kind.REPORT).order_by("-occurred_at")[:1]),
        )
    ]
    rows = sorted(union_all(parts), key=lambda row: row[1])
    assert [row[1] for row in rows] == ["m", "r"]
    assert all(isinstance(row[0], datetime) for row in rows)


def test_an_empty_part_is_left_out_and_no_parts_read_nothing(history):
    parts = _parts(history)
    nothing = history.filter(pk__in=[]).only("title", "occurred_at")
    nothing = nothing.annotate(part=Value("none"), author_name=F("author__email"))
    assert {r.part for r in union_all([nothing, *parts])} == {"new", "old"}
    with CaptureQueriesContext(connection) as ctx:
        assert union_all([]) == []
    assert ctx.captured_queries == []
