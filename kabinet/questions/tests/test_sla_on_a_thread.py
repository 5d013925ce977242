"""SLA of a thread in the agency's business calendar: Friday evening, holidays, pauses, tiers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kabinet.lib.sla import State, Target
from kabinet.questions import services
from kabinet.questions.models import SlaPolicy
from kabinet.questions.tests.helpers import ask, at, msk, v


@pytest.fixture
def two_hours(agency):
    return SlaPolicy.objects.create(
        agency=agency, first_response_hours=2, next_response_hours=4, resolution_hours=16
    )


def test_question_on_friday_1730_is_due_next_working_day_1030(marina, project, two_hours):
    thread = ask(marina, project, at=msk(2026, 11, 20, 17, 30))  # Friday
    first = services.sla_state(thread=thread, now=msk(2026, 11, 20, 17, 40)).current(
        Target.FIRST_RESPONSE
    )
    assert first.due_at == msk(2026, 11, 23, 10, 30)


def test_public_holiday_in_between_moves_it_further(marina, project, two_hours):
    thread = ask(marina, project, at=msk(2026, 2, 20, 17, 30))  # Friday; Monday 23 Feb is a holiday
    first = services.sla_state(thread=thread, now=msk(2026, 2, 20, 17, 40)).current(
        Target.FIRST_RESPONSE
    )
    assert first.due_at == msk(2026, 2, 24, 10, 30)


def test_changing_the_agency_calendar_later_recomputes_from_history(
    marina, project, two_hours, agency
):
    thread = ask(marina, project, at=msk(2026, 11, 20, 17, 30))
    agency.days_off = ["2026-11-23"]
    agency.save()
    thread.project.agency.refresh_from_db()
    first = services.sla_state(thread=thread, now=msk(2026, 11, 20, 17, 40)).current(
        Target.FIRST_RESPONSE
    )
    assert first.due_at == msk(2026, 11, 24, 10, 30)


def test_waiting_for_the_client_pauses_the_clock(marina, sergey, project, two_hours):
    thread = ask(marina, project, at=msk(2026, 11, 23, 10, 0))
    with at(msk(2026, 11, 23, 11, 0)):
        services.set_waiting(
            viewer=v(sergey), thread=thread, status="waiting_client"
        )  # asked the client for access
    later = services.sla_state(thread=thread, now=msk(2026, 11, 26, 15, 0))
    first = later.current(Target.FIRST_RESPONSE)
    assert first.elapsed == timedelta(hours=1)
    assert first.state == State.PAUSED and first.due_at is None
    with at(msk(2026, 11, 26, 15, 0)):
        services.client_message(viewer=v(marina), thread=thread, body="Доступы отправила.")
    resumed = services.sla_state(thread=thread, now=msk(2026, 11, 26, 15, 30)).current(
        Target.FIRST_RESPONSE
    )
    assert resumed.elapsed == timedelta(hours=1, minutes=30)
    assert resumed.due_at == msk(2026, 11, 26, 16, 0)


def test_next_response_restarts_with_each_new_client_message(marina, sergey, project, two_hours):
    thread = ask(marina, project, at=msk(2026, 11, 23, 10, 0))
    with at(msk(2026, 11, 23, 10, 30)):
        services.reply(viewer=v(sergey), thread=thread, body="Ответ")
    with at(msk(2026, 11, 24, 12, 0)):
        services.reopen(viewer=v(marina), thread=thread, body="Не понятно")
    result = services.sla_state(thread=thread, now=msk(2026, 11, 24, 13, 0))
    assert result.current(Target.FIRST_RESPONSE).state == State.MET
    nxt = result.current(Target.NEXT_RESPONSE)
    assert nxt.started_at == msk(2026, 11, 24, 12, 0) and nxt.due_at == msk(2026, 11, 24, 16, 0)


def test_tier_override_beats_the_agency_default(marina, project, two_hours, agency):
    SlaPolicy.objects.create(
        agency=agency,
        tier="gold",
        first_response_hours=1,
        next_response_hours=2,
        resolution_hours=8,
    )
    thread = ask(marina, project, at=msk(2026, 11, 23, 10, 0))  # project tier is gold
    first = services.sla_state(thread=thread, now=msk(2026, 11, 23, 10, 5)).current(
        Target.FIRST_RESPONSE
    )
    assert first.due_at == msk(2026, 11, 23, 11, 0)


def test_without_a_policy_the_defaults_apply(marina, project):
    thread = ask(marina, project, at=msk(2026, 11, 23, 10, 0))
    first = services.sla_state(thread=thread, now=msk(2026, 11, 23, 10, 5)).current(
        Target.FIRST_RESPONSE
    )
    assert first.budget == timedelta(hours=4)
