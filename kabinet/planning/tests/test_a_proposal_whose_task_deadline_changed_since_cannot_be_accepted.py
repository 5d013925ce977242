"""The plan proposed moving a deadline from the date the task had then. The head moves the
deadline herself before anyone decides; Sergey then loads the at-risk page (so the task's version
he sends is the current one) and accepts the proposal: it is out of date until the next replan.
Nothing moves, nobody is told, and he is answered 409 saying the deadline changed since the
proposal was made, with the deadline saved now — on the page, over the API (also under a current
If-Match: the precondition held, so not 412) and in the bulk accept. After the next replan the
proposal starts from the new deadline and can be accepted."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client

from kabinet.api.tokens import create_token
from kabinet.core.concurrency import EditConflict
from kabinet.core.scoping import viewer_for
from kabinet.planning import services
from kabinet.planning.models import DeadlineProposal, ProposalStatus
from kabinet.timeline.models import Event, Kind
from kabinet.work.models import Task
from kabinet.work.services import change_task

DEADLINE_CHANGED = "Срок задачи изменили после того, как план предложил этот перенос"


def _local(agency, when) -> str:
    return when.astimezone(agency.calendar().tz).strftime("%Y-%m-%d %H:%M")


def _head_moves_the_deadline(head, proposal) -> Task:
    # Three hours later: still too early for the plan, so the proposal stays pending.
    return change_task(
        viewer=head,
        task=proposal.task,
        due_at=proposal.old_due + timedelta(hours=3),
        reason="клиент просил чуть позже",
    )


def _nothing_moved(proposal, moved, told) -> None:
    after = Task.objects.get(pk=proposal.task_id)
    assert (after.due_at, after.version) == (moved.due_at, moved.version)
    assert Event.objects.filter(kind__in=[Kind.DEADLINE, Kind.MESSAGE]).count() == told
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING


def test_accepting_it_on_the_page_changes_nothing_and_shows_the_saved_deadline(
    agency, proposal, sergey, head, login
):
    moved = _head_moves_the_deadline(head, proposal)
    told = Event.objects.filter(kind__in=[Kind.DEADLINE, Kind.MESSAGE]).count()
    sergeys = login(sergey)
    html = sergeys.get("/planning/at-risk/").content.decode()
    card = re.search(rf'id="proposal-{proposal.pk}".*?</form>', html, re.S).group(0)
    assert f'name="version" value="{moved.version}"' in card  # he sees the current task

    response = sergeys.post(
        f"/planning/proposals/{proposal.pk}/accept/",
        {
            "new_due": _local(agency, proposal.new_due).replace(" ", "T"),
            "message": "Марина, тексты будут во вторник.",
            "reason": "больше проработки",
            "seen_new_due": proposal.new_due.isoformat(),
            "version": moved.version,
        },
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert 'data-testid="conflict"' in page and DEADLINE_CHANGED in page
    assert "Анна Королёва" in page  # who moved it
    row = re.search(r'<tr[^>]*data-field="new_due".*?</tr>', page, re.S).group(0)
    assert f'data-testid="saved">{_local(agency, moved.due_at)}<' in row
    assert "Марина, тексты будут во вторник." in page  # what he typed is kept
    _nothing_moved(proposal, moved, told)


def test_the_service_refuses_it_even_without_a_version(proposal, sergey, head):
    moved = _head_moves_the_deadline(head, proposal)

    with pytest.raises(EditConflict) as refused:
        services.accept_proposal(
            viewer=viewer_for(sergey),
            proposal=proposal,
            message="Марина, тексты будут во вторник.",
            reason="больше проработки",
        )

    assert refused.value.saved["new_due"][1] == _local(proposal.task.project.agency, moved.due_at)
    assert Task.objects.get(pk=proposal.task_id).due_at == moved.due_at


def test_over_the_api_it_is_a_409_with_the_saved_deadline(agency, proposal, sergey, head):
    moved = _head_moves_the_deadline(head, proposal)
    told = Event.objects.filter(kind__in=[Kind.DEADLINE, Kind.MESSAGE]).count()
    _token, key = create_token(user=sergey, agency=agency, name="test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    read = client.get(f"/api/v1/planning/proposals/{proposal.pk}")
    assert read.json()["task_version"] == moved.version
    url = f"/api/v1/planning/proposals/{proposal.pk}/accept"
    body = {"reason": "больше проработки"}

    by_version = client.post(
        url, {**body, "version": moved.version}, content_type="application/json"
    )
    by_etag = client.post(url, body, content_type="application/json", HTTP_IF_MATCH=read["ETag"])

    for answer in (by_version, by_etag):
        assert answer.status_code == 409
        assert DEADLINE_CHANGED in answer.json()["detail"]
        assert answer.json()["saved"]["new_due"] == _local(agency, moved.due_at)
        assert answer.json()["saved_by"] == "Анна Королёва"
    _nothing_moved(proposal, moved, told)


def test_the_bulk_accept_moves_nothing_and_names_the_row(
    project, viktoria, sergey, head, make_task, plan, now, login
):
    tasks = [
        make_task(f"Внутренняя {i}", assignee=viktoria, hours=10, due=now + timedelta(hours=8))
        for i in range(2)
    ]
    plan()
    proposals = list(DeadlineProposal.objects.filter(task__in=tasks, status="pending"))
    assert len(proposals) == 2
    moved = _head_moves_the_deadline(head, proposals[0])
    tz = moved.project.agency.calendar().tz
    data = {"pick": [p.pk for p in proposals], "bulk_reason": "перепланировали"}
    for p in proposals:
        data[f"due_{p.pk}"] = p.new_due.astimezone(tz).strftime("%Y-%m-%dT%H:%M")
        data[f"version_{p.pk}"] = Task.objects.get(pk=p.task_id).version

    response = login(sergey).post("/planning/at-risk/bulk-accept/", data)

    assert response.status_code == 409
    assert DEADLINE_CHANGED in response.content.decode()
    assert Task.objects.get(pk=proposals[0].task_id).due_at == moved.due_at
    assert Task.objects.get(pk=proposals[1].task_id).due_at == proposals[1].old_due
    assert not DeadlineProposal.objects.filter(pk__in=data["pick"]).exclude(status="pending")


def test_after_the_next_replan_it_starts_from_the_new_deadline_and_can_be_accepted(
    proposal, sergey, head, plan
):
    moved = _head_moves_the_deadline(head, proposal)
    plan()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING and proposal.old_due == moved.due_at

    services.accept_proposal(
        viewer=viewer_for(sergey),
        proposal=proposal,
        message="Марина, тексты будут во вторник.",
        reason="больше проработки",
        version=moved.version,
    )

    assert Task.objects.get(pk=proposal.task_id).due_at == proposal.new_due
