"""Planning over the API: a person's queue and the work at risk read the last plan; a manager
accepts or rejects a deadline proposal through the same services as the page; clients get 404."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from kabinet.api.tokens import create_token
from kabinet.planning.models import DeadlineProposal, ProposalStatus
from kabinet.timeline.models import Event, Kind


def api(user, agency) -> Client:
    _token, key = create_token(user=user, agency=agency, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_a_specialist_reads_her_queue_in_the_computed_order(agency, viktoria, make_task, plan, now):
    first = make_task("Аудит", assignee=viktoria, hours=2, due=now + timedelta(days=1))
    second = make_task("Тексты", assignee=viktoria, hours=2, due=now + timedelta(days=5))
    plan()
    queue = api(viktoria, agency).get("/api/v1/planning/queue").json()
    assert [f["task_id"] for f in queue["planned"]] == [first.pk, second.pk]
    assert all(f["why"] for f in queue["planned"]) and queue["planned_at"]


def test_a_specialist_cannot_open_someone_elses_queue_nor_the_at_risk_view(
    agency, viktoria, sergey, plan
):
    plan()
    client = api(viktoria, agency)
    assert client.get(f"/api/v1/planning/queue/{sergey.pk}").status_code == 404
    assert client.get("/api/v1/planning/at-risk").status_code == 404


def test_a_manager_rejects_then_a_new_proposal_is_accepted_and_the_client_is_told(
    agency, project, viktoria, sergey, marina, make_task, plan, now
):
    task = make_task(
        "Перелинковка",
        assignee=viktoria,
        hours=12,
        due=now + timedelta(hours=9),
        visibility="client",
    )
    plan()
    proposal = DeadlineProposal.objects.get(task=task)
    client = api(sergey, agency)
    at_risk = client.get("/api/v1/planning/at-risk").json()
    assert [p["id"] for p in at_risk["proposals"]] == [proposal.pk]

    assert api(marina, agency).get(f"/api/v1/planning/proposals/{proposal.pk}").status_code == 404
    no_reason = post(client, f"/api/v1/planning/proposals/{proposal.pk}/accept", {"reason": ""})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["fields"]

    accepted = post(
        client,
        f"/api/v1/planning/proposals/{proposal.pk}/accept",
        {"reason": "Объём вырос вдвое"},
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == ProposalStatus.ACCEPTED
    task.refresh_from_db()
    assert task.due_at == proposal.new_due
    assert Event.objects.filter(project=project, kind=Kind.DEADLINE).exists()
    again = post(client, f"/api/v1/planning/proposals/{proposal.pk}/reject", {"note": "поздно"})
    assert again.status_code == 409
