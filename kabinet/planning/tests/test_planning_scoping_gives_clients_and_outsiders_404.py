from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from kabinet.planning.models import DeadlineProposal, ProposalStatus
from kabinet.work.models import Task


@pytest.fixture
def proposal(project, viktoria, make_task, plan, now):
    make_task(
        "Тексты", assignee=viktoria, hours=12, due=now + timedelta(hours=9), visibility="client"
    )
    plan()
    return DeadlineProposal.objects.get()


def _urls(proposal, viktoria):
    task = proposal.task_id
    return {
        "get": [
            reverse("planning:queue"),
            reverse("planning:queue") + f"?person={viktoria.pk}",
            reverse("planning:at_risk"),
            reverse("planning:weights"),
            reverse("planning:proposal", args=[proposal.pk]),
            reverse("planning:close_calls"),
        ],
        "post": [
            reverse("planning:accept", args=[proposal.pk]),
            reverse("planning:reject", args=[proposal.pk]),
            reverse("planning:pin", args=[task]),
            reverse("planning:boost", args=[task]),
            reverse("planning:ask_move", args=[task]),
            reverse("planning:recompute"),
            reverse("planning:weights"),
        ],
    }


POST_DATA = {
    "message": "m",
    "reason": "r",
    "note": "n",
    "pinned": "1",
    "boost": "2",
    "capacity_hours": "6",
}


@pytest.mark.parametrize("who", ["marina", "oleg"])
def test_clients_get_404_on_every_planning_url(who, request, proposal, viktoria, login):
    client = login(request.getfixturevalue(who))
    urls = _urls(proposal, viktoria)
    for url in urls["get"]:
        assert client.get(url).status_code == 404, url
    for url in urls["post"]:
        assert client.post(url, POST_DATA).status_code == 404, url
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    assert not Task.objects.get(pk=proposal.task_id).pinned


def test_a_specialist_cannot_accept_boost_or_see_the_at_risk_page(proposal, viktoria, login):
    client = login(viktoria)
    assert client.post(f"/planning/proposals/{proposal.pk}/accept/", POST_DATA).status_code == 404
    assert client.post(f"/planning/proposals/{proposal.pk}/reject/", POST_DATA).status_code == 404
    assert (
        client.post(f"/planning/tasks/{proposal.task_id}/boost/", {"boost": "3"}).status_code == 404
    )
    assert client.get("/planning/at-risk/").status_code == 404
    assert client.get(f"/planning/proposals/{proposal.pk}/").status_code == 404
    assert client.post(f"/planning/tasks/{proposal.task_id}/ask-move/").status_code == 404
    assert client.get("/planning/weights/").status_code == 404
    assert Task.objects.get(pk=proposal.task_id).priority_boost == 0
    assert DeadlineProposal.objects.get().status == ProposalStatus.PENDING
    # Her own queue she can open, and pin her own task.
    assert client.get("/planning/queue/").status_code == 200
    assert (
        client.post(f"/planning/tasks/{proposal.task_id}/pin/", {"pinned": "1"}).status_code == 302
    )


def test_another_projects_manager_gets_404_and_the_head_can_decide(
    proposal, irina, head, sergey, viktoria, login
):
    client = login(irina)
    assert client.post(f"/planning/proposals/{proposal.pk}/accept/", POST_DATA).status_code == 404
    assert client.get(f"/planning/proposals/{proposal.pk}/").status_code == 404
    assert login(head).get(f"/planning/proposals/{proposal.pk}/").status_code == 200
    assert client.get(f"/planning/queue/?person={viktoria.pk}").status_code == 404
    assert client.post(f"/planning/tasks/{proposal.task_id}/ask-move/").status_code == 404
    assert "Тексты" not in client.get("/planning/at-risk/").content.decode()
    assert "Тексты" in login(head).get("/planning/at-risk/").content.decode()
    assert "Тексты" in login(sergey).get("/planning/at-risk/").content.decode()


def test_a_stranger_agency_sees_nothing(proposal, stranger, viktoria, login):
    client = login(stranger)
    assert client.post(f"/planning/proposals/{proposal.pk}/accept/", POST_DATA).status_code == 404
    assert client.get(f"/planning/proposals/{proposal.pk}/").status_code == 404
    assert client.get(f"/planning/queue/?person={viktoria.pk}").status_code == 404
    assert (
        client.post(f"/planning/tasks/{proposal.task_id}/pin/", {"pinned": "1"}).status_code == 404
    )
