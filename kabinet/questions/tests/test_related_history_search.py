"""Related history beside the reply box: Russian and English word forms, and strict scoping."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from kabinet.questions.tests.helpers import ask, v
from kabinet.timeline import search
from kabinet.timeline.models import Kind, Visibility
from kabinet.timeline.services import record_event

QUESTION = "Почему позиция сайта упала в выдаче?"


def report(project, author, title="Отчёт о росте позиций в поисковой выдаче", body="", **extra):
    return record_event(
        project=project,
        kind=Kind.REPORT,
        title=title,
        body=body,
        author=author,
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        **extra,
    )


def test_a_russian_report_is_found_by_other_word_forms(sergey, marina, project):
    found = report(project, sergey)
    record_event(
        project=project,
        kind=Kind.WORK_DONE,
        title="Настроены цели в Метрике",
        body="Цели: звонки, формы.",
    )
    results = search.related(v(sergey), project, QUESTION)
    assert results and results[0] == found
    assert all("Метрик" not in e.title for e in results)


def test_english_word_forms_are_understood_too(sergey, project):
    found = record_event(
        project=project,
        kind=Kind.RECOMMENDATION,
        title="Improve rankings of category pages",
        body="Ranking dropped after the migration.",
    )
    assert search.related(v(sergey), project, "why did the page rank drop?") == [found]


def test_internal_items_are_never_returned_to_a_client(sergey, marina, project):
    internal = report(
        project, sergey, title="Внутреннее: позиции в выдаче падают", visibility=Visibility.INTERNAL
    )
    visible = report(project, sergey)
    assert internal in search.related(v(sergey), project, QUESTION)
    client_results = search.related(v(marina), project, QUESTION)
    assert visible in client_results and internal not in client_results
    assert internal not in search.search(v(marina), QUESTION)


def test_another_companys_items_are_never_returned_to_anyone(
    sergey, marina, oleg, irina, head, project, other_project
):
    theirs = report(other_project, irina, title="Отчёт о позициях в выдаче Зелёного Сада")
    for user in (marina, sergey):
        assert theirs not in search.related(v(user), project, QUESTION)
        assert theirs not in search.search(v(user), QUESTION)
    # Even asked about the other project, people outside it get nothing from it.
    assert search.related(v(marina), other_project, QUESTION) == []
    assert search.related(v(sergey), other_project, QUESTION) == []
    # The head may see every project, but related() keeps to the one asked about.
    assert theirs not in search.related(v(head), project, QUESTION)
    assert search.related(v(oleg), other_project, QUESTION) == [theirs]


def test_the_thread_page_shows_related_history_to_staff_only(login, marina, sergey, project):
    report(project, sergey)
    thread = ask(marina, project, subject="Позиции", body=QUESTION)
    staff_page = login(sergey).get(reverse("questions:thread", args=[thread.pk])).content.decode()
    assert "Отчёт о росте позиций в поисковой выдаче" in staff_page
    panel = login(sergey).get(reverse("questions:related", args=[thread.pk]), {"q": "рост позиций"})
    assert "Отчёт о росте позиций" in panel.content.decode()
    client_page = login(marina).get(reverse("questions:thread", args=[thread.pk])).content.decode()
    assert 'data-testid="related"' not in client_page


def test_empty_or_stop_word_queries_return_nothing(sergey, project):
    report(project, sergey)
    assert search.related(v(sergey), project, "") == []
    assert search.related(v(sergey), project, "и в на почему") == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL indexes the column itself")
def test_reindex_rebuilds_the_sqlite_index(sergey, project):
    found = report(project, sergey)
    assert search.reindex() >= 1
    assert search.related(v(sergey), project, QUESTION) == [found]


def test_the_chronology_box_can_require_every_word_in_any_form(marina, sergey, project):
    from kabinet.timeline.selectors import events

    record_event(
        project=project,
        kind=Kind.REPORT,
        title="Рост позиций",
        body="по коммерческим запросам",
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
    )
    record_event(project=project, kind=Kind.MESSAGE, title="Рост трафика")
    found = search.filter_events(events(v(marina)).filter(project=project), "роста коммерческих")
    assert [e.title for e in found] == ["Рост позиций"]
