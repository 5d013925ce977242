"""Numbers per manager and per agency: median first response (business hours), share within SLA,
reopen rate and average rating; the head sees everyone, a manager only themselves."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kabinet.core.scoping import viewer_for
from kabinet.questions import selectors, services
from kabinet.questions.models import SlaPolicy
from kabinet.questions.tests.helpers import ask, at, msk, v

NOW = msk(2026, 11, 30, 12, 0)


@pytest.fixture
def history(agency, marina, oleg, sergey, irina, project, other_project):
    SlaPolicy.objects.create(
        agency=agency, first_response_hours=2, next_response_hours=4, resolution_hours=40
    )
    # Sergey: answered in 1 h (met), reopened, rated 4; answered in 3 h (breached), rated 2.
    a = ask(marina, project, subject="A", at=msk(2026, 11, 23, 10, 0))
    with at(msk(2026, 11, 23, 11, 0)):
        services.reply(viewer=v(sergey), thread=a, body="ответ A")
    with at(msk(2026, 11, 23, 12, 0)):
        services.reopen(viewer=v(marina), thread=a, body="не понятно")
    with at(msk(2026, 11, 23, 13, 0)):
        services.reply(viewer=v(sergey), thread=a, body="ответ A2")
    with at(msk(2026, 11, 23, 14, 0)):
        services.resolve(viewer=v(marina), thread=a)
        services.rate(viewer=v(marina), thread=a, rating=4)
    b = ask(marina, project, subject="B", at=msk(2026, 11, 24, 10, 0))
    with at(msk(2026, 11, 24, 13, 0)):
        services.reply(viewer=v(sergey), thread=b, body="ответ B")
    with at(msk(2026, 11, 24, 14, 0)):
        services.resolve(viewer=v(marina), thread=b)
        services.rate(viewer=v(marina), thread=b, rating=2)
    # Irina: answered after 30 min, never reopened or rated.
    c = ask(oleg, other_project, subject="C", at=msk(2026, 11, 25, 10, 0))
    with at(msk(2026, 11, 25, 10, 30)):
        services.reply(viewer=v(irina), thread=c, body="ответ C")
    return a, b, c


def test_the_head_sees_every_manager_and_the_agency(head, sergey, irina, history):
    total, rows = selectors.numbers(viewer_for(head), date(2026, 11, 1), date(2026, 11, 30), NOW)
    by_name = {r.label: r for r in rows}
    s, i = by_name[sergey.full_name], by_name[irina.full_name]
    assert s.threads == 2 and s.median_first_response_hours == 2.0  # median of 1 h and 3 h
    assert s.answered_within_sla == pytest.approx(
        2 / 3
    )  # A first (met), A next (1 h of 4, met), B first (late)
    assert s.reopen_rate == 0.5 and s.average_rating == 3.0
    assert i.threads == 1 and i.median_first_response_hours == 0.5 and i.reopen_rate == 0.0
    assert i.average_rating is None
    assert total.threads == 3 and total.median_first_response_hours == 1.0
    assert total.answered_within_sla == pytest.approx(3 / 4)


def test_a_manager_sees_only_themselves(sergey, irina, history):
    total, rows = selectors.numbers(viewer_for(sergey), date(2026, 11, 1), date(2026, 11, 30), NOW)
    assert total is None and [r.manager for r in rows] == [sergey]


def test_the_period_filters_by_when_the_question_was_asked(head, sergey, history):
    _, rows = selectors.numbers(viewer_for(head), date(2026, 11, 24), date(2026, 11, 24), NOW)
    assert {r.label: r.threads for r in rows}[sergey.full_name] == 1


def test_the_numbers_page_renders_for_the_head(login, head, history):
    page = login(head).get(
        reverse("questions:numbers"), {"start": "2026-11-01", "end": "2026-11-30"}
    )
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="manager-row"') >= 2


def test_the_desk_lists_waiting_threads_soonest_due_first(login, marina, sergey, project, agency):
    SlaPolicy.objects.create(
        agency=agency, first_response_hours=2, next_response_hours=4, resolution_hours=40
    )
    later = ask(marina, project, subject="Позже", at=msk(2026, 11, 23, 12, 0))
    sooner = ask(marina, project, subject="Раньше", at=msk(2026, 11, 23, 10, 0))
    rows = selectors.desk(v(sergey), msk(2026, 11, 23, 12, 30))
    assert [r.thread for r in rows] == [sooner, later]
    assert rows[0].clock.due_at == msk(2026, 11, 23, 12, 0) and rows[0].clock.state == "breached"
    page = login(sergey).get(reverse("questions:desk")).content.decode()
    assert page.index("Раньше") < page.index("Позже")
