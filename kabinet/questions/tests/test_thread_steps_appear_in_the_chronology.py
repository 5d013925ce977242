"""Ask, answer, reopen, answer again, resolve, rate: each step is in the project's chronology."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override

from kabinet.questions import services
from kabinet.questions.models import MessageKind, Status, Thread
from kabinet.questions.tests.helpers import ask, v
from kabinet.timeline import selectors as timeline_selectors
from kabinet.timeline.models import Event, Kind, Visibility


def test_the_whole_loop_is_recorded_in_the_chronology(marina, sergey, project):
    thread = ask(
        marina, project, subject="Почему упали заявки?", body="С понедельника меньше заявок."
    )
    assert thread.assignee == sergey and thread.status == Status.WAITING_AGENCY

    answer = services.reply(viewer=v(sergey), thread=thread, body="Сломалась форма, уже чиним.")
    services.reopen(viewer=v(marina), thread=thread, body="Когда почините?")
    services.reply(viewer=v(sergey), thread=thread, body="Починили, проверьте.")
    services.resolve(viewer=v(marina), thread=thread)
    services.rate(viewer=v(marina), thread=thread, rating=5, comment="Спасибо, быстро!")

    thread = Thread.objects.get(pk=thread.pk)
    assert thread.status == Status.RESOLVED and thread.rating == 5 and thread.resolved_at
    kinds = [m.kind for m in thread.messages.all()]
    assert kinds == [
        MessageKind.QUESTION,
        MessageKind.ANSWER,
        MessageKind.REOPENED,
        MessageKind.ANSWER,
        MessageKind.RESOLVED,
        MessageKind.RATING,
    ]
    chronology = list(
        timeline_selectors.chronology(v(marina), project.pk).order_by("occurred_at", "pk")
    )
    assert [e.kind for e in chronology] == [
        Kind.QUESTION,
        Kind.ANSWER,
        Kind.QUESTION,
        Kind.ANSWER,
        Kind.MESSAGE,
        Kind.MESSAGE,
    ]
    assert chronology[0].title == "Почему упали заявки?"
    assert "Когда почините?" in chronology[2].body
    assert "5/5" in chronology[5].title and chronology[5].body == "Спасибо, быстро!"

    # The answer event is what the promises app listens to: staff author, answer text, the Message.
    event = Event.objects.get(pk=answer.event_id)
    assert (event.kind, event.author, event.body, event.visibility) == (
        Kind.ANSWER,
        sergey,
        "Сломалась форма, уже чиним.",
        Visibility.CLIENT,
    )
    assert (event.source_type, event.source_id) == ("questions.message", str(answer.pk))


def test_an_answer_waits_for_the_client_and_an_interim_answer_keeps_it_with_us(
    marina, sergey, project
):
    thread = ask(marina, project)
    services.reply(
        viewer=v(sergey), thread=thread, body="Смотрим, ответим к вечеру.", keep_waiting=True
    )
    assert Thread.objects.get(pk=thread.pk).status == Status.WAITING_AGENCY
    services.reply(viewer=v(sergey), thread=thread, body="Вот ответ.")
    assert Thread.objects.get(pk=thread.pk).status == Status.WAITING_CLIENT


def test_a_client_message_on_a_resolved_thread_reopens_it(marina, sergey, project):
    thread = ask(marina, project)
    services.reply(viewer=v(sergey), thread=thread, body="Ответ.")
    services.resolve(viewer=v(marina), thread=thread)
    services.client_message(viewer=v(marina), thread=thread, body="Ой, ещё вопрос.")
    thread.refresh_from_db()
    assert thread.status == Status.WAITING_AGENCY and thread.resolved_at is None
    assert thread.messages.last().kind == MessageKind.REOPENED


@override("en")
def test_rating_needs_a_resolved_thread_and_a_value_from_1_to_5(marina, sergey, project):
    thread = ask(marina, project)
    services.reply(viewer=v(sergey), thread=thread, body="Ответ.")
    with pytest.raises(ValidationError, match="solved"):
        services.rate(viewer=v(marina), thread=thread, rating=4)
    services.resolve(viewer=v(marina), thread=thread)
    for bad in (0, 6, "abc"):
        with pytest.raises(ValidationError, match="1 to 5"):
            services.rate(viewer=v(marina), thread=thread, rating=bad)
    services.rate(viewer=v(marina), thread=thread, rating=4)
    with pytest.raises(ValidationError, match="already"):
        services.rate(viewer=v(marina), thread=thread, rating=5)
    assert Thread.objects.get(pk=thread.pk).rating == 4


@override("en")
def test_cannot_resolve_before_any_answer(marina, project):
    thread = ask(marina, project)
    with pytest.raises(ValidationError, match="no answer"):
        services.resolve(viewer=v(marina), thread=thread)


@override("en")
def test_staff_cannot_answer_a_resolved_thread_but_can_leave_a_note(marina, sergey, project):
    thread = ask(marina, project)
    services.reply(viewer=v(sergey), thread=thread, body="Ответ.")
    services.resolve(viewer=v(marina), thread=thread)
    with pytest.raises(ValidationError, match="reopens"):
        services.reply(viewer=v(sergey), thread=thread, body="Ещё ответ")
    note = services.reply(viewer=v(sergey), thread=thread, body="Заметка", internal=True)
    assert note.internal and Event.objects.get(pk=note.event_id).visibility == Visibility.INTERNAL
