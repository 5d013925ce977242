"""A promise is kept only with evidence the client can see: what delivered it, chosen or written now."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kabinet.promises import services
from kabinet.promises.models import State
from kabinet.promises.tests.conftest import msk
from kabinet.timeline.models import Event, Kind, Visibility
from kabinet.timeline.services import record_event


@pytest.fixture
def promise(wednesday, project, sergey, as_viewer):
    return services.create_promise(
        viewer=as_viewer(sergey),
        project=project,
        what="Обновлённый план",
        due_at=msk(2026, 12, 3, 13, 0),
    )


def test_a_promise_is_not_kept_without_something_the_client_received(promise, sergey, login):
    response = login(sergey).post(f"/promises/{promise.pk}/keep/", {})

    assert response.status_code == 400
    assert "Обещание выполнено, когда оно у клиента" in response.content.decode()
    promise.refresh_from_db()
    assert promise.state == State.OPEN


def test_a_message_written_in_the_same_step_is_what_the_client_receives(
    promise, sergey, login, marina, wednesday
):
    wednesday.move_to(msk(2026, 12, 3, 12, 0))
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf")

    response = login(sergey).post(
        f"/promises/{promise.pk}/keep/",
        {"message": "Марина, план на декабрь во вложении.", "files": [upload]},
    )

    assert response.status_code == 302
    promise.refresh_from_db()
    assert promise.state == State.KEPT and promise.kept_on_time
    evidence = promise.evidence_event
    assert evidence.visibility == Visibility.CLIENT and evidence.kind == Kind.PROMISE
    assert evidence.body == "Марина, план на декабрь во вложении."
    assert [a.name for a in evidence.attachments.all()] == ["plan.pdf"]
    page = login(marina).get(f"/promises/{promise.pk}/").content.decode()
    assert f"/events/{evidence.pk}/" in page


def test_a_report_already_published_can_be_chosen_as_the_delivery(
    promise, project, sergey, login, wednesday
):
    wednesday.move_to(msk(2026, 12, 3, 11, 0))
    report = record_event(
        project=project, kind=Kind.PLAN, title="План работ на декабрь", author=sergey
    )

    response = login(sergey).post(f"/promises/{promise.pk}/keep/", {"evidence": str(report.pk)})

    assert response.status_code == 302
    promise.refresh_from_db()
    assert promise.state == State.KEPT and promise.evidence_event == report
    kept = Event.objects.get(kind=Kind.PROMISE, title_key="promise_delivered")
    assert kept.title == "Обещание выполнено: Обновлённый план — передано в «План работ на декабрь»"


def test_an_internal_note_is_not_evidence(promise, project, sergey, as_viewer, login):
    note = record_event(
        project=project,
        kind=Kind.MESSAGE,
        title="Черновик плана",
        author=sergey,
        visibility=Visibility.INTERNAL,
    )

    response = login(sergey).post(f"/promises/{promise.pk}/keep/", {"evidence": str(note.pk)})
    assert response.status_code == 400
    with pytest.raises(Exception, match="клиент видит"):
        services.keep(viewer=as_viewer(sergey), promise=promise, evidence=note)
    promise.refresh_from_db()
    assert promise.state == State.OPEN


def test_a_refused_date_keeps_the_message_typed(promise, sergey, login):
    response = login(sergey).post(
        f"/promises/{promise.pk}/keep/",
        {"message": "План во вложении", "kept_at": "2026-12-05T12:00"},
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "Обещание нельзя выполнить в будущем" in body
    assert "План во вложении" in body
    promise.refresh_from_db()
    assert promise.state == State.OPEN


def test_a_kept_promise_cannot_be_kept_again(promise, sergey, login):
    client = login(sergey)
    client.post(f"/promises/{promise.pk}/keep/", {"message": "План отправлен"})

    response = client.post(f"/promises/{promise.pk}/keep/", {"message": "Ещё раз"})

    assert response.status_code == 409
    assert "Это обещание уже закрыто" in response.content.decode()
    assert (
        Event.objects.filter(
            kind=Kind.PROMISE, title_key__in=["promise_kept", "promise_delivered"]
        ).count()
        == 1
    )
