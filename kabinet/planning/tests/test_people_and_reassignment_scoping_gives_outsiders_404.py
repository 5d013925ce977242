"""Reassignment proposals and absences are 404 for anyone who may not decide on them: clients,
specialists, another project's manager, another agency."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from kabinet.planning.models import Absence, ProposalStatus, ReassignmentProposal
from kabinet.work.models import Task


@pytest.fixture
def reassignment(viktoria, elena, make_task, plan, now):
    for title in ("Мета-теги", "Аудит"):
        make_task(title, assignee=viktoria, hours=5, due=now + timedelta(hours=9))
    plan()
    return ReassignmentProposal.objects.get(status=ProposalStatus.PENDING)


@pytest.mark.parametrize("who", ["marina", "oleg", "viktoria", "irina", "stranger"])
def test_outsiders_cannot_decide_a_reassignment(who, request, reassignment, login):
    client = login(request.getfixturevalue(who))
    for name in ("planning:reassign_accept", "planning:reassign_reject"):
        assert client.post(reverse(name, args=[reassignment.pk])).status_code == 404
    reassignment.refresh_from_db()
    assert reassignment.status == ProposalStatus.PENDING
    assert Task.objects.get(pk=reassignment.task_id).assignee == reassignment.from_person


@pytest.mark.parametrize("who", ["marina", "sergey", "elena", "stranger"])
def test_only_the_person_or_the_head_removes_an_absence(who, request, agency, viktoria, login):
    absence = Absence.objects.create(
        agency=agency, user=viktoria, starts_on="2026-12-21", ends_on="2026-12-22"
    )
    client = login(request.getfixturevalue(who))
    url = reverse("planning:absence_remove", args=[absence.pk])
    assert client.post(url).status_code == 404
    assert Absence.objects.filter(pk=absence.pk).exists()
