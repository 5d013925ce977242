"""A proposed move protects the agency's reputation: the client's message never blames workload,
it says the new date, what she gets then and a reason the manager picks or writes; the internal
reason stays internal; the manager can edit the date; internal tasks never say the client sees it."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from kabinet.core.scoping import viewer_for
from kabinet.planning import services
from kabinet.planning.models import ProposalStatus
from kabinet.timeline.models import Event, Visibility
from kabinet.work.models import Task


@pytest.fixture(autouse=True)
def on_the_planning_monday(now):
    """The dates typed below are judged against the real clock ("in the future"): it stands at
    the planning clock's Monday, so they mean the same whatever day the suite runs."""
    with time_machine.travel(now, tick=True):
        yield


def test_the_default_message_never_blames_the_agencys_workload(proposal):
    message = proposal.message.lower()
    for blame in ("график", "загружен", "загрузк", "занят", "schedule", "workload"):
        assert blame not in message
    assert "«Переписать тексты категорий» вы получите к 8 декабря, 18:00." in proposal.message
    assert "Переносим срок, потому что хотим сделать работу тщательно" in proposal.message


def test_the_manager_edits_the_date_and_picks_the_reason_and_the_internal_one_stays_internal(
    proposal, sergey, marina, login
):
    response = login(sergey).post(
        f"/planning/proposals/{proposal.pk}/accept/",
        {
            "new_due": "2026-12-10T18:00",
            "client_reason": "waiting_client",
            "client_reason_text": "",
            "message": proposal.message,  # left as drafted: written again for the new date
            "reason": "Виктория перегружена аудитами",
            "seen_new_due": proposal.new_due.isoformat(),
        },
    )

    assert response.status_code == 302
    task = Task.objects.get(pk=proposal.task_id)
    assert (
        task.due_at.astimezone(task.project.agency.calendar().tz).strftime("%d.%m %H:%M")
        == "10.12 18:00"
    )
    assert task.changes.get(field="due_at").reason == "Виктория перегружена аудитами"
    client_text = " ".join(
        f"{e.title} {e.body}"
        for e in Event.objects.filter(project=task.project, visibility=Visibility.CLIENT)
    )
    assert "перегружена" not in client_text
    assert "ждём от вас материалы или доступы" in client_text
    assert "вы получите к 10 декабря, 18:00" in client_text


def test_a_date_before_the_current_deadline_is_refused_and_the_message_kept(
    proposal, sergey, login
):
    response = login(sergey).post(
        f"/planning/proposals/{proposal.pk}/accept/",
        {
            "new_due": "2026-12-07T12:00",  # today, before the current 18:00
            "client_reason": "scope",
            "message": "Мой текст",
            "reason": "r",
        },
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "Новый срок должен быть позже текущего" in body and "Мой текст" in body
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING


def test_the_managers_own_words_are_the_reason_the_client_is_given(proposal, sergey):
    services.accept_proposal(
        viewer=viewer_for(sergey),
        proposal=proposal,
        message=proposal.message,
        reason="внутреннее",
        client_reason="добавляем проверку на мобильных устройствах",
    )
    deadline = Event.objects.get(project=proposal.task.project, kind="deadline")
    assert "добавляем проверку на мобильных устройствах" in deadline.body
    assert "добавляем проверку на мобильных устройствах" in Event.objects.get(kind="message").body


def test_an_internal_task_never_says_the_client_sees_it(
    project, viktoria, make_task, plan, now, sergey, login
):
    make_task("Внутренний аудит", assignee=viktoria, hours=12, due=now + timedelta(hours=9))
    plan()

    html = login(sergey).get("/planning/at-risk/").content.decode()

    card = html[html.index('data-testid="proposal"') :]
    assert "Внутренний аудит" in card
    assert "клиент видит" not in card.lower() and "клиент увидит" not in card.lower()
    assert 'name="client_reason"' not in card
