from __future__ import annotations

from datetime import timedelta

import pytest

from kabinet.planning.models import DeadlineProposal, ProposalStatus
from kabinet.promises.models import Promise
from kabinet.timeline.models import Event, Kind, Visibility
from kabinet.work.models import Task


@pytest.fixture
def late_task(project, viktoria, marina, make_task, plan, now):
    # 12 hours of work due at the end of Monday: with 6 hours a day it cannot be on time.
    task = make_task(
        "Переписать тексты категорий",
        assignee=viktoria,
        hours=12,
        due=now + timedelta(hours=9),
        visibility="client",
    )
    plan()
    return task


def test_the_plan_proposes_a_new_deadline_with_a_message_in_the_clients_language(late_task, marina):
    proposal = DeadlineProposal.objects.get(task=late_task, status=ProposalStatus.PENDING)
    assert proposal.new_due > late_task.due_at
    # Rounded up to the end of the business day the work is predicted to finish (Tuesday 18:00).
    assert proposal.new_due.astimezone(late_task.project.agency.calendar().tz).hour == 18
    assert proposal.message.startswith("Марина, добрый день!")
    assert "«Переписать тексты категорий»" in proposal.message
    assert "8 декабря, 18:00" in proposal.message
    assert "график" not in proposal.message and "загруз" not in proposal.message


def test_an_english_speaking_client_gets_the_message_in_english(
    project, company, viktoria, marina, make_task, plan, now
):
    company.language = "en"
    company.save()
    task = make_task(
        "Rewrite category texts",
        assignee=viktoria,
        hours=12,
        due=now + timedelta(hours=9),
        visibility="client",
    )
    plan()
    message = DeadlineProposal.objects.get(task=task).message
    assert message.startswith("Марина, good afternoon!")
    assert "You will receive “Rewrite category texts” by 8 December, 18:00." in message
    assert "schedule" not in message


def test_accepting_moves_the_due_date_and_writes_the_clients_chronology(
    late_task, sergey, marina, login
):
    proposal = DeadlineProposal.objects.get(task=late_task)
    client = login(sergey)
    response = client.post(
        f"/planning/proposals/{proposal.pk}/accept/",
        {
            "message": "Марина, добрый день! Тексты будут во вторник к 18:00 — хотим сделать их лучше.",
            "reason": "тексты требуют больше проработки",
            "seen_new_due": proposal.new_due.isoformat(),
        },
    )
    assert response.status_code == 302

    task = Task.objects.get(pk=late_task.pk)
    proposal.refresh_from_db()
    assert task.due_at == proposal.new_due
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.decided_by == sergey
    change = task.changes.get(field="due_at")
    assert change.actor == sergey and change.reason == "тексты требуют больше проработки"
    deadline = Event.objects.get(project=task.project, kind=Kind.DEADLINE)
    assert deadline.visibility == Visibility.CLIENT
    # The internal reason stays internal: the client's entry carries the reason she is given.
    assert "тексты требуют больше проработки" not in deadline.body
    assert "хотим сделать работу тщательно" in deadline.body
    message = Event.objects.get(project=task.project, kind=Kind.MESSAGE)
    assert message.visibility == Visibility.CLIENT and message.author == sergey
    assert (
        message.body
        == "Марина, добрый день! Тексты будут во вторник к 18:00 — хотим сделать их лучше."
    )

    page = login(marina).get(f"/projects/{task.project.pk}/").content.decode()
    assert "тексты требуют больше проработки" not in page
    assert "Тексты будут во вторник к 18:00" in page


def test_accepting_without_a_message_says_why_and_keeps_the_reason(late_task, sergey, login):
    proposal = DeadlineProposal.objects.get(task=late_task)
    response = login(sergey).post(
        f"/planning/proposals/{proposal.pk}/accept/",
        {
            "message": "  ",
            "reason": "нужно больше времени",
            "seen_new_due": proposal.new_due.isoformat(),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Напишите сообщение клиенту" in page
    assert "нужно больше времени" in page
    assert Task.objects.get(pk=late_task.pk).due_at == late_task.due_at


def test_accepting_a_date_that_changed_meanwhile_asks_to_look_again(late_task, sergey, login):
    proposal = DeadlineProposal.objects.get(task=late_task)
    response = login(sergey).post(
        f"/planning/proposals/{proposal.pk}/accept/",
        {
            "message": "Текст",
            "reason": "причина",
            "seen_new_due": (proposal.new_due - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 409  # the plan moved on while the manager read it
    assert "План изменился" in response.content.decode()
    assert Task.objects.get(pk=late_task.pk).due_at == late_task.due_at


def test_a_promise_on_the_task_is_renegotiated_with_the_same_message(
    late_task, project, sergey, login
):
    promise = Promise.objects.create(
        agency=project.agency,
        project=project,
        promised_by=sergey,
        what="Новые тексты категорий",
        due_at=late_task.due_at,
        original_due_at=late_task.due_at,
        task=late_task,
    )
    proposal = DeadlineProposal.objects.get(task=late_task)
    login(sergey).post(
        f"/planning/proposals/{proposal.pk}/accept/",
        {
            "message": "Марина, тексты будут во вторник.",
            "reason": "больше проработки",
            "seen_new_due": proposal.new_due.isoformat(),
        },
    )
    promise.refresh_from_db()
    assert promise.due_at == proposal.new_due and promise.state == "renegotiated"
    told = Event.objects.get(project=project, kind=Kind.PROMISE)
    assert told.body == "Марина, тексты будут во вторник."
    assert not Event.objects.filter(
        project=project, kind=Kind.MESSAGE
    ).exists()  # told once, not twice
