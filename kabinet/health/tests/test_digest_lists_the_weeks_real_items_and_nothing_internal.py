"""The draft lists exactly that week's real items, as the client can see them, and nothing internal."""

from __future__ import annotations

import pytest

from kabinet.health.digests.selectors import week_items
from kabinet.health.digests.services import draft_due_digests
from kabinet.health.models import Digest
from kabinet.health.tests import digest_week as w


@pytest.fixture
def week(project, sergey, marina, django_capture_on_commit_callbacks):
    return w.build(project, sergey, django_capture_on_commit_callbacks)


def test_the_week_done_and_published_items_are_exactly_those_of_the_week(week, project):
    items = week_items(project, w.WEEK, now=w.DRAFTED_AT)

    titles = [e.title_params.get("title", e.title) for e in items.done + items.published]
    assert sorted(titles) == sorted(w.IN_THE_WEEK)


def test_the_draft_names_the_work_the_promises_the_kpi_and_what_waits(week, project):
    draft_due_digests(now=w.DRAFTED_AT)
    body = Digest.objects.get(project=project, week_start=w.WEEK).body

    for title in w.IN_THE_WEEK + [w.NEXT, w.PROMISE_OPEN, w.PROMISE_KEPT, w.PROMISE_MOVED]:
        assert title in body, title
    assert "Визиты из поиска, октябрь 2026" in body
    assert "+20,0 % ▲ — лучше" in body  # October against September, higher is better
    assert "Сдержано: " + w.PROMISE_KEPT in body
    assert "Перенесено: " + w.PROMISE_MOVED in body
    assert "Открыто: " + w.PROMISE_OPEN in body
    assert "ТЗ: перелинковка карточек — ждёт 3 дня" in body  # waiting for her decision


def test_items_before_and_after_the_week_are_left_out(week, project):
    draft_due_digests(now=w.DRAFTED_AT)
    body = Digest.objects.get(project=project, week_start=w.WEEK).body

    for title in w.NOT_IN_THE_WEEK:
        assert title not in body


def test_nothing_internal_is_drafted(week, project):
    draft_due_digests(now=w.DRAFTED_AT)
    digest = Digest.objects.get(project=project, week_start=w.WEEK)

    assert w.MARK not in digest.subject + digest.body
    assert "Проверить бюджет" not in digest.body  # the internal task due next week
    assert "Маржа" not in digest.body  # the internal KPI
    assert "прототип" not in digest.body  # the proposal nobody confirmed


def test_the_draft_counts_its_items(week, project):
    draft_due_digests(now=w.DRAFTED_AT)
    items = week_items(project, w.WEEK, now=w.DRAFTED_AT)

    assert Digest.objects.get(project=project).item_count == items.count >= 9
