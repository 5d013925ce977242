"""The desk reads each thread's stored SLA due time; when the head changes the targets, the
stored times of the waiting threads follow at once (nothing is recomputed when the desk is read)."""

from __future__ import annotations

from kabinet.core.scoping import viewer_for
from kabinet.questions import services
from kabinet.questions.models import Thread


def test_a_shorter_first_response_target_brings_the_due_time_forward(head, marina, project):
    thread = services.ask(
        viewer=viewer_for(marina), project=project, subject="Где отчёт?", body="?"
    )
    before = Thread.objects.get(pk=thread.pk).sla_due_at
    assert before is not None

    services.save_sla_policies(
        viewer=viewer_for(head),
        targets={"": {"first_response_hours": 1, "next_response_hours": 8, "resolution_hours": 40}},
    )
    assert Thread.objects.get(pk=thread.pk).sla_due_at < before


def test_an_answer_stops_the_first_response_clock_and_clears_the_due_time(sergey, marina, project):
    thread = services.ask(
        viewer=viewer_for(marina), project=project, subject="Где отчёт?", body="?"
    )
    services.reply(viewer=viewer_for(sergey), thread=thread, body="Отчёт в хронологии.")
    assert Thread.objects.get(pk=thread.pk).sla_due_at is None  # waiting for the client
