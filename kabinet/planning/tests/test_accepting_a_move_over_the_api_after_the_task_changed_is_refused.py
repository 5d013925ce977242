"""Over the API, accepting a proposed deadline move carries the task's version as it was read
(`task_version`, or `If-Match` with the proposal's ETag): when another person changed the task
since, nothing moves and the answer is 412 (If-Match) or 409 (version) with the task as saved
now; with the current version the move goes through."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from kabinet.api.tokens import create_token
from kabinet.planning.models import DeadlineProposal, ProposalStatus
from kabinet.work.models import Task
from kabinet.work.services import change_task


def api(user, agency) -> Client:
    _token, key = create_token(user=user, agency=agency, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_a_stale_accept_is_refused_and_the_current_one_moves_the_deadline(
    agency, project, viktoria, sergey, head, make_task, plan, now
):
    task = make_task(
        "Перелинковка",
        assignee=viktoria,
        hours=12,
        due=now + timedelta(hours=9),
        visibility="client",
    )
    plan()
    proposal = DeadlineProposal.objects.get(task=task, status=ProposalStatus.PENDING)
    client = api(sergey, agency)
    read = client.get(f"/api/v1/planning/proposals/{proposal.pk}")
    assert read.json()["task_version"] == task.version and read["ETag"] == f'"{task.version}"'

    # Another manager changes the task meanwhile (more hours; a changed deadline would make the
    # proposal itself out of date until the next replan, a different refusal).
    changed = change_task(viewer=head, task=task, estimate_hours=16, reason="объём вырос")
    url = f"/api/v1/planning/proposals/{proposal.pk}/accept"
    body = {"reason": "больше проработки"}

    by_etag = client.post(url, body, content_type="application/json", HTTP_IF_MATCH=read["ETag"])
    by_version = client.post(
        url, {**body, "version": task.version}, content_type="application/json"
    )

    assert by_etag.status_code == 412
    assert by_version.status_code == 409
    answer = by_version.json()
    assert answer["version"] == changed.version and answer["saved_by"] == "Анна Королёва"
    assert answer["saved"]["new_due"] == changed.due_at.astimezone(agency.calendar().tz).strftime(
        "%Y-%m-%d %H:%M"
    )
    assert Task.objects.get(pk=task.pk).due_at == changed.due_at
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING

    done = client.post(
        url, body, content_type="application/json", HTTP_IF_MATCH=f'"{changed.version}"'
    )
    assert done.status_code == 200 and done.json()["status"] == ProposalStatus.ACCEPTED
    assert Task.objects.get(pk=task.pk).due_at == proposal.new_due
