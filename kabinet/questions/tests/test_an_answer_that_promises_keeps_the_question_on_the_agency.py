"""An answer that promises something keeps the question on the agency ("we owe you"): it stays on
the desk with the promise's due time, the clocks keep running, and it resolves when the promise is
delivered or the client says it is solved."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kabinet.lib.sla import Target
from kabinet.promises import services as promises
from kabinet.promises.models import PromiseProposal
from kabinet.questions import selectors, services
from kabinet.questions.models import MessageKind, Status
from kabinet.questions.tests.helpers import ask, at, msk, v

PROMISING = "Посмотрели: дело в апдейте. Пришлю подробный разбор завтра до обеда."


@pytest.fixture
def owed(marina, sergey, project, django_capture_on_commit_callbacks):
    thread = ask(marina, project, at=msk(2026, 12, 2, 10, 0))
    with at(msk(2026, 12, 2, 11, 0)), django_capture_on_commit_callbacks(execute=True):
        services.reply(viewer=v(sergey), thread=thread, body=PROMISING)
    thread.refresh_from_db()
    return thread


def test_an_answer_with_a_promise_leaves_the_question_owed_not_waiting_for_the_client(owed):
    assert owed.status == Status.OWED
    assert services.owed_due(thread=owed) == msk(2026, 12, 3, 13, 0)


def test_the_resolution_clock_keeps_running_while_owed(owed):
    clocks = services.sla_state(thread=owed, now=msk(2026, 12, 2, 15, 0))
    assert clocks.current(Target.FIRST_RESPONSE).stopped_at == msk(2026, 12, 2, 11, 0)
    assert clocks.current(Target.RESOLUTION).running


def test_an_owed_question_stays_on_the_desk_with_the_promise_due_time(owed, sergey):
    rows = selectors.desk(v(sergey), msk(2026, 12, 2, 15, 0))

    assert [(r.thread.pk, r.owed_due) for r in rows] == [(owed.pk, msk(2026, 12, 3, 13, 0))]


def test_an_owed_question_cannot_be_parked_as_waiting_for_the_client(owed, sergey):
    with pytest.raises(ValidationError):
        services.set_waiting(viewer=v(sergey), thread=owed, status=Status.WAITING_CLIENT)


def test_an_answer_without_a_promise_waits_for_the_client(marina, sergey, project):
    thread = ask(marina, project, at=msk(2026, 12, 2, 10, 0))
    with at(msk(2026, 12, 2, 11, 0)):
        services.reply(
            viewer=v(sergey),
            thread=thread,
            body="Трафик упал из-за сезонности, это нормально для декабря.",
        )
    thread.refresh_from_db()
    assert thread.status == Status.WAITING_CLIENT


def test_delivering_the_promise_resolves_the_question(owed, sergey):
    proposal = PromiseProposal.objects.get()
    with at(msk(2026, 12, 2, 12, 0)):
        promise = promises.confirm_proposal(viewer=v(sergey), proposal=proposal, create_task=False)
    with at(msk(2026, 12, 3, 12, 0)):
        promises.keep(
            viewer=v(sergey),
            promise=promise,
            message="Разбор во вложении: три причины и что мы уже поправили.",
        )

    owed.refresh_from_db()
    assert owed.status == Status.RESOLVED and owed.resolved_at == msk(2026, 12, 3, 12, 0)
    delivered = owed.messages.get(kind=MessageKind.DELIVERED)
    assert delivered.visibility == "client" and promise.what in delivered.body
    assert services.sla_state(thread=owed, now=msk(2026, 12, 4, 12, 0)).current(
        Target.RESOLUTION
    ).stopped_at == msk(2026, 12, 3, 12, 0)


def test_the_client_may_say_it_is_solved_while_it_is_owed(owed, marina):
    with at(msk(2026, 12, 2, 12, 0)):
        services.resolve(viewer=v(marina), thread=owed)
    owed.refresh_from_db()
    assert owed.status == Status.RESOLVED


def test_dismissing_the_offer_as_not_a_promise_hands_the_question_to_the_client(owed, sergey):
    with at(msk(2026, 12, 2, 12, 0)):
        promises.dismiss_proposal(viewer=v(sergey), proposal=PromiseProposal.objects.get())
    owed.refresh_from_db()
    assert owed.status == Status.WAITING_CLIENT
