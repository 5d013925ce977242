"""The adapter measures each component from what happened on the project, as of a moment."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from kabinet.core.scoping import viewer_for
from kabinet.health import services
from kabinet.health.understanding import measure, score_all
from kabinet.lib.business_calendar import DEFAULT_TZ as MSK
from kabinet.timeline.models import Decision, Kind
from kabinet.timeline.services import record_event

# Tuesday 1 December 2026, noon in the agency's time zone.
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=MSK)


def _publish(project, author, kind=Kind.MESSAGE, *, days_ago=0, **extra):
    return record_event(
        project=project,
        kind=kind,
        title=f"{kind} {days_ago}",
        author=author,
        occurred_at=NOW - timedelta(days=days_ago),
        **extra,
    )


def test_silence_counts_business_days_since_the_agencys_last_client_visible_update(
    project, sergey, marina
):
    _publish(project, sergey, days_ago=14)  # Tuesday two weeks before: 10 business days
    _publish(project, marina, days_ago=1)  # the client's own message does not end a silence
    _publish(project, sergey, days_ago=2, visibility="internal")  # nor does an internal note
    m = measure(project.agency, NOW)[project.pk]
    assert m.days_since_update == 10


def test_a_project_never_updated_is_silent_for_ever(project):
    assert measure(project.agency, NOW)[project.pk].days_since_update is None


def test_a_document_opened_by_the_client_counts_once_and_only_from_that_moment(
    project, sergey, marina
):
    report = _publish(project, sergey, Kind.REPORT, days_ago=5)
    _publish(project, sergey, Kind.RECOMMENDATION, days_ago=4, decision=Decision.PENDING)
    viewer = viewer_for(marina)
    assert services.record_item_view(viewer=viewer, event=report, now=NOW - timedelta(days=3))
    assert not services.record_item_view(viewer=viewer, event=report, now=NOW)
    services.record_item_view(viewer=viewer_for(sergey), event=report)  # staff: not counted
    m = measure(project.agency, NOW)[project.pk]
    assert (m.documents_published, m.documents_opened) == (2, 1)
    earlier = measure(project.agency, NOW - timedelta(days=4))[project.pk]
    assert earlier.documents_opened == 0


def test_the_client_opening_an_item_page_is_recorded_once_it_has_loaded(
    project, sergey, marina, login
):
    from kabinet.health.models import ItemView

    report = _publish(project, sergey, Kind.REPORT, days_ago=1)
    page = login(marina).get(f"/events/{report.pk}/")
    assert f'hx-post="/events/{report.pk}/seen/"' in page.content.decode()  # the page reports it
    assert not ItemView.objects.exists()  # a GET writes nothing
    assert login(marina).post(f"/events/{report.pk}/seen/").status_code == 204
    assert login(sergey).post(f"/events/{report.pk}/seen/").status_code == 204
    assert list(ItemView.objects.values_list("user_id", "event_id")) == [(marina.pk, report.pk)]


def test_decisions_waiting_add_up_their_business_days(project, sergey, marina):
    from kabinet.timeline.services import decide

    _publish(project, sergey, Kind.RECOMMENDATION, days_ago=7, decision=Decision.PENDING)
    answered = _publish(
        project, sergey, Kind.RECOMMENDATION, days_ago=14, decision=Decision.PENDING
    )
    decide(viewer=viewer_for(marina), recommendation=answered, decision=Decision.APPROVED)
    m = measure(project.agency, NOW)[project.pk]
    assert m.decisions_waiting == 1
    assert m.decision_days == 5


def test_an_expectation_beyond_the_forecast_is_a_gap(project, sergey):
    from kabinet.health.models import Aggregation, Direction, Period

    viewer = viewer_for(sergey)
    metric = services.create_metric(
        viewer=viewer,
        project=project,
        key="leads",
        name="Заявки",
        direction=Direction.HIGHER,
        period=Period.MONTH,
        aggregation=Aggregation.SUM,
    )
    by = NOW.date() + timedelta(days=60)
    later = datetime.now(MSK) + timedelta(days=1)  # rows stamp the real clock (a model default)
    services.set_forecast(
        viewer=viewer, metric=metric, low=Decimal(100), high=Decimal(120), by_date=by
    )
    assert measure(project.agency, later)[project.pk].expectation_gaps == 0
    services.set_expectation(viewer=viewer, metric=metric, target=Decimal(90), by_date=by)
    assert measure(project.agency, later)[project.pk].expectation_gaps == 1  # expects less
    services.set_expectation(viewer=viewer, metric=metric, target=Decimal(300), by_date=by)
    assert measure(project.agency, later)[project.pk].expectation_gaps == 2  # beyond: "talk now"


def test_a_company_is_scored_from_all_its_projects(project, sergey, company):
    from kabinet.core.testing import make_project

    second = make_project(company, "PPC technodom", manager=sergey)
    _publish(project, sergey, days_ago=0)
    _publish(second, sergey, days_ago=28)
    projects, companies = score_all(project.agency, NOW)
    by_project = {r.project.pk: r for r in projects}
    assert by_project[project.pk].score.index > by_project[second.pk].score.index
    (row,) = companies
    assert row.measurements.days_since_update == 0  # heard from the agency today on one project
    assert row.company == company


@pytest.fixture(autouse=True)
def _frozen(monkeypatch):
    """Services stamp `timezone.now()`: keep them on the test's clock."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: NOW)


def test_questions_count_open_answered_within_the_sla_and_rated(project, sergey, marina):
    from kabinet.questions import services as questions

    client, staff = viewer_for(marina), viewer_for(sergey)
    waiting = questions.ask(
        viewer=client,
        project=project,
        subject="Где отчёт?",
        body="Когда будет отчёт?",
        at=NOW - timedelta(days=6),
    )
    answered = questions.ask(
        viewer=client,
        project=project,
        subject="Доступы",
        body="Нужны доступы?",
        at=NOW - timedelta(hours=3),
    )
    questions.reply(viewer=staff, thread=answered, body="Уже не нужны, спасибо.")
    questions.resolve(viewer=client, thread=answered)
    questions.rate(viewer=client, thread=answered, rating=4)
    m = measure(project.agency, NOW + timedelta(minutes=5))[project.pk]
    assert m.questions_open == 1  # the first still waits for the agency
    assert (m.questions_answered, m.questions_reopened) == (1, 0)
    assert (m.responses, m.responses_within_sla) == (1, 1)
    assert (m.ratings_count, m.ratings_sum) == (1, 4.0)
    assert waiting.pk != answered.pk


def test_nobody_records_a_view_of_an_item_they_may_not_see(project, sergey, oleg, login):
    from kabinet.health.models import ItemView

    note = _publish(project, sergey, Kind.MESSAGE, days_ago=1)
    assert login(oleg).post(f"/events/{note.pk}/seen/").status_code == 404  # another company
    assert not ItemView.objects.exists()
