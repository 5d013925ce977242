from __future__ import annotations

from kabinet.promises.models import Promise, PromiseProposal, ProposalStatus
from kabinet.promises.services import detect_in_event
from kabinet.promises.tests.conftest import msk
from kabinet.timeline.models import Kind, Visibility


def test_staff_message_with_a_promise_is_proposed_due_tomorrow_at_one(
    wednesday, write, project, sergey
):
    event = write(project, sergey, "Марина, добрый день! Пришлю обновлённый план завтра до обеда.")

    proposal = PromiseProposal.objects.get(source_event=event)
    assert proposal.status == ProposalStatus.PENDING
    assert proposal.author == sergey
    assert proposal.due_at == msk(2026, 12, 3, 13, 0)
    assert "Пришлю обновлённый план завтра до обеда" in proposal.quote


def test_nothing_is_created_silently(wednesday, write, project, sergey):
    write(project, sergey, "Пришлю отчёт до конца дня.")

    assert PromiseProposal.objects.count() == 1
    assert not Promise.objects.exists()


def test_running_detection_again_on_the_same_event_proposes_nothing_twice(
    wednesday, write, project, sergey
):
    event = write(project, sergey, "Пришлю отчёт до конца дня. А план пришлю в пятницу.")
    first = PromiseProposal.objects.filter(source_event=event).count()

    again = detect_in_event(event_id=event.pk)

    assert first == 2
    assert again == []
    assert PromiseProposal.objects.filter(source_event=event).count() == 2


def test_promises_written_by_the_client_are_not_the_agencys(wednesday, write, project, marina):
    write(project, marina, "Пришлю доступы завтра до обеда.")

    assert not PromiseProposal.objects.exists()


def test_internal_notes_and_questions_are_not_promises_to_the_client(
    wednesday, write, project, sergey
):
    write(project, sergey, "Пришлю план завтра до обеда.", visibility=Visibility.INTERNAL)
    write(project, sergey, "Пришлю план завтра до обеда.", kind=Kind.QUESTION)
    write(project, sergey, "Пришлёте план завтра до обеда?")

    assert not PromiseProposal.objects.exists()


def test_answers_and_meeting_notes_are_read_too(wednesday, write, project, viktoria):
    write(project, viktoria, "Исправлю ошибки 404 до конца недели.", kind=Kind.ANSWER)
    write(
        project, viktoria, "Итоги: подготовим ТЗ на перелинковку к понедельнику.", kind=Kind.MEETING
    )

    assert PromiseProposal.objects.filter(author=viktoria).count() == 2


def test_an_answer_on_the_question_desk_is_offered_as_a_promise(
    wednesday, project, marina, sergey, as_viewer, django_capture_on_commit_callbacks
):
    from kabinet.questions.services import ask, reply

    with django_capture_on_commit_callbacks(execute=True):
        thread = ask(
            viewer=as_viewer(marina),
            project=project,
            subject="План на декабрь",
            body="Пришлёте план завтра до обеда?",
        )
    assert not PromiseProposal.objects.exists()  # the client's words are not the agency's promise

    with django_capture_on_commit_callbacks(execute=True):
        reply(
            viewer=as_viewer(sergey),
            thread=thread,
            body="Да, пришлю обновлённый план завтра до обеда.",
        )

    proposal = PromiseProposal.objects.get()
    assert proposal.source_event.kind == Kind.ANSWER
    assert proposal.due_at == msk(2026, 12, 3, 13, 0)
