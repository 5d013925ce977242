"""The same promise written in an answer and again in the meeting notes is offered once."""

from __future__ import annotations

from kabinet.promises.models import PromiseProposal
from kabinet.timeline.models import Kind


def test_the_same_deliverable_and_due_time_in_two_texts_is_one_proposal(
    wednesday, write, project, sergey
):
    write(project, sergey, "Пришлю отчёт по позициям в пятницу.", kind=Kind.ANSWER)
    write(project, sergey, "Итоги встречи: отчёт по позициям пришлём в пятницу.", kind=Kind.MEETING)

    assert PromiseProposal.objects.count() == 1


def test_the_same_deliverable_with_another_due_time_is_another_proposal(
    wednesday, write, project, sergey
):
    write(project, sergey, "Пришлю отчёт по позициям в пятницу.")
    write(project, sergey, "Пришлю отчёт по позициям в понедельник.")

    assert PromiseProposal.objects.count() == 2


def test_a_dismissed_promise_is_not_offered_again_from_another_text(
    wednesday, write, project, sergey, as_viewer
):
    from kabinet.promises.services import dismiss_proposal

    write(project, sergey, "We'll send the audit on Friday.")
    dismiss_proposal(viewer=as_viewer(sergey), proposal=PromiseProposal.objects.get())
    write(project, sergey, "As agreed, we will send the audit on Friday.")

    assert PromiseProposal.objects.count() == 1


def test_other_projects_are_not_deduplicated_against(
    wednesday, write, project, other_project, sergey, irina
):
    write(project, sergey, "Пришлю отчёт по позициям в пятницу.")
    write(other_project, irina, "Пришлю отчёт по позициям в пятницу.")

    assert PromiseProposal.objects.count() == 2
