"""Promises over the API: the client reads them (without the internal note); staff confirm a
detected promise, keep one with evidence and renegotiate one, through the same services."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from kabinet.api.tokens import create_token
from kabinet.promises.models import Promise, PromiseProposal, State


def api(user, agency) -> Client:
    _token, key = create_token(user=user, agency=agency, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_staff_confirm_a_detected_promise_keep_it_with_evidence_and_the_client_reads_it(
    wednesday, write, agency, project, sergey, marina
):
    write(project, sergey, "Пришлю отчёт по позициям завтра до обеда.")
    proposal = PromiseProposal.objects.get(project=project)
    staff, client = api(sergey, agency), api(marina, agency)
    listed = staff.get(f"/api/v1/projects/{project.pk}/promise-proposals").json()
    assert [p["id"] for p in listed] == [proposal.pk]
    assert client.get(f"/api/v1/projects/{project.pk}/promise-proposals").status_code == 404

    confirmed = post(staff, f"/api/v1/promise-proposals/{proposal.pk}/confirm", {})
    assert confirmed.status_code == 201, confirmed.json()
    promise = Promise.objects.get(pk=confirmed.json()["id"])

    assert post(client, f"/api/v1/promises/{promise.pk}/keep", {"message": "x"}).status_code == 404
    wednesday.shift(timedelta(hours=2))
    report = write(project, sergey, "Отчёт по позициям во вложении.", title="Отчёт")
    kept = post(
        staff,
        f"/api/v1/promises/{promise.pk}/keep",
        {"evidence_event_id": report.pk, "note": "внутреннее"},
    )
    assert kept.status_code == 200, kept.json()
    assert kept.json()["state"] == State.KEPT and kept.json()["kept_note"] == "внутреннее"

    seen = client.get(f"/api/v1/projects/{project.pk}/promises").json()["items"]
    assert [(p["id"], p["state"], p["kept_note"]) for p in seen] == [(promise.pk, "kept", None)]


def test_renegotiating_needs_a_message_and_moves_the_date(
    wednesday, write, agency, project, sergey
):
    write(project, sergey, "Пришлю отчёт по позициям завтра до обеда.")
    proposal = PromiseProposal.objects.get(project=project)
    staff = api(sergey, agency)
    promise_id = post(staff, f"/api/v1/promise-proposals/{proposal.pk}/confirm", {}).json()["id"]
    old_due = Promise.objects.get(pk=promise_id).due_at
    url = f"/api/v1/promises/{promise_id}/renegotiate"
    new_due = (old_due + timedelta(days=2)).isoformat()

    missing = post(staff, url, {"new_due": new_due, "reason": "данные опоздали"})
    moved = post(
        staff,
        url,
        {"new_due": new_due, "reason": "данные опоздали", "message": "Пришлём в пятницу."},
    )

    assert missing.status_code == 400 and "message" in missing.json()["fields"]
    assert moved.status_code == 200, moved.json()
    assert moved.json()["state"] == State.RENEGOTIATED
    assert Promise.objects.get(pk=promise_id).due_at > old_due
