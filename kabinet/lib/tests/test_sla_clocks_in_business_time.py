"""SLA clocks: business time, pauses while waiting for the client, next-response cycles."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kabinet.lib.business_calendar import DEFAULT_TIME_ZONE, BusinessCalendar
from kabinet.lib.business_calendar import DEFAULT_TZ as MSK
from kabinet.lib.sla import Act, Policy, State, Step, Target, Who, compute

CAL = BusinessCalendar(tz=DEFAULT_TIME_ZONE, country="RU")
POLICY = Policy(timedelta(hours=2), timedelta(hours=4), timedelta(hours=16))


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=MSK)


def ask(when: datetime) -> Step:
    return Step(when, Who.CLIENT, Act.MESSAGE)


def reply(when: datetime) -> Step:
    return Step(when, Who.AGENCY, Act.MESSAGE)


def test_question_on_friday_evening_is_due_next_working_day():
    result = compute([ask(at(2026, 11, 20, 17, 30))], POLICY, CAL, now=at(2026, 11, 20, 17, 45))
    first = result.current(Target.FIRST_RESPONSE)
    assert first.due_at == at(2026, 11, 23, 10, 30)
    assert first.running and first.state == State.OK


def test_public_holiday_moves_the_due_time_further():
    # Monday 23 February 2026 is Defender of the Fatherland Day in Russia.
    result = compute([ask(at(2026, 2, 20, 17, 30))], POLICY, CAL, now=at(2026, 2, 20, 17, 31))
    assert result.current(Target.FIRST_RESPONSE).due_at == at(2026, 2, 24, 10, 30)


def test_custom_day_off_moves_the_due_time_and_changing_the_calendar_recomputes():
    steps = [ask(at(2026, 11, 20, 17, 30))]
    now = at(2026, 11, 20, 17, 31)
    plain = compute(steps, POLICY, CAL, now).current(Target.FIRST_RESPONSE).due_at
    with_day_off = BusinessCalendar(
        tz=DEFAULT_TIME_ZONE, country="RU", days_off=[date(2026, 11, 23)]
    )
    moved = compute(steps, POLICY, with_day_off, now).current(Target.FIRST_RESPONSE).due_at
    assert plain == at(2026, 11, 23, 10, 30)
    assert moved == at(2026, 11, 24, 10, 30)


def test_waiting_for_the_client_pauses_every_clock():
    asked = at(2026, 11, 23, 10, 0)
    steps = [
        ask(asked),
        reply(at(2026, 11, 23, 11, 0)),  # 1 h: first response met, thread waits for the client
        Step(at(2026, 11, 24, 10, 0), Who.CLIENT, Act.MESSAGE),  # client answers a day later
    ]
    result = compute(steps, POLICY, CAL, now=at(2026, 11, 24, 12, 0))
    resolution = result.current(Target.RESOLUTION)
    # 1 h before the reply + 2 h since the client's message; the 23 business hours in between paused.
    assert resolution.elapsed == timedelta(hours=3)
    nxt = result.current(Target.NEXT_RESPONSE)
    assert nxt.cycle == 1 and nxt.elapsed == timedelta(hours=2)
    assert nxt.due_at == at(2026, 11, 24, 14, 0)

    paused = compute(steps[:2], POLICY, CAL, now=at(2026, 11, 27, 12, 0))
    assert paused.status == "waiting_client"
    assert paused.current(Target.RESOLUTION).elapsed == timedelta(hours=1)
    assert paused.current(Target.RESOLUTION).state == State.PAUSED
    assert paused.current(Target.RESOLUTION).due_at is None


def test_staff_can_pause_without_replying_and_the_clock_stands_still():
    steps = [
        ask(at(2026, 11, 23, 10, 0)),
        Step(at(2026, 11, 23, 10, 30), Who.AGENCY, Act.WAITING_CLIENT),
    ]
    result = compute(steps, POLICY, CAL, now=at(2026, 11, 25, 10, 0))
    first = result.current(Target.FIRST_RESPONSE)
    assert first.elapsed == timedelta(minutes=30)
    assert first.state == State.PAUSED and not first.running


def test_warning_at_75_percent_and_breach_after_the_target():
    asked = at(2026, 11, 23, 10, 0)
    warning = compute([ask(asked)], POLICY, CAL, now=at(2026, 11, 23, 11, 31))
    assert warning.current(Target.FIRST_RESPONSE).state == State.WARNING
    assert warning.current(Target.FIRST_RESPONSE).warn_at == at(2026, 11, 23, 11, 30)
    breached = compute([ask(asked)], POLICY, CAL, now=at(2026, 11, 23, 12, 1))
    first = breached.current(Target.FIRST_RESPONSE)
    assert first.state == State.BREACHED and first.remaining < timedelta(0)
    assert first.due_at == at(2026, 11, 23, 12, 0)


def test_late_reply_is_recorded_as_breached_and_on_time_reply_as_met():
    asked = at(2026, 11, 23, 10, 0)
    late = compute(
        [ask(asked), reply(at(2026, 11, 23, 15, 0))], POLICY, CAL, now=at(2026, 11, 24, 9, 0)
    )
    on_time = compute(
        [ask(asked), reply(at(2026, 11, 23, 11, 0))], POLICY, CAL, now=at(2026, 11, 24, 9, 0)
    )
    assert late.current(Target.FIRST_RESPONSE).state == State.BREACHED
    assert on_time.current(Target.FIRST_RESPONSE).state == State.MET


def test_resolution_pauses_and_a_reopen_resumes_the_same_clock():
    steps = [
        ask(at(2026, 11, 23, 10, 0)),
        reply(at(2026, 11, 23, 11, 0)),
        Step(at(2026, 11, 23, 12, 0), Who.CLIENT, Act.RESOLVED),
        Step(at(2026, 11, 25, 10, 0), Who.CLIENT, Act.REOPENED),
    ]
    result = compute(steps, POLICY, CAL, now=at(2026, 11, 25, 11, 0))
    assert result.status == "waiting_agency" and result.reopens == 1
    assert result.current(Target.RESOLUTION).elapsed == timedelta(hours=2)
    assert result.current(Target.NEXT_RESPONSE).started_at == at(2026, 11, 25, 10, 0)


@settings(max_examples=60, deadline=None)
@given(
    pause_hours=st.integers(min_value=0, max_value=200),
    before=st.integers(min_value=0, max_value=119),
)
def test_time_waiting_for_the_client_never_counts(pause_hours: int, before: int):
    asked = at(2026, 11, 23, 9, 0)
    paused_at = CAL.add(asked, timedelta(minutes=before))
    resumed_at = paused_at + timedelta(hours=pause_hours)
    steps = [
        ask(asked),
        Step(paused_at, Who.AGENCY, Act.WAITING_CLIENT),
        Step(resumed_at, Who.CLIENT, Act.MESSAGE),
    ]
    now = resumed_at + timedelta(hours=1)
    first = compute(steps, POLICY, CAL, now).current(Target.FIRST_RESPONSE)
    assert first.elapsed == timedelta(minutes=before) + CAL.between(resumed_at, now)
