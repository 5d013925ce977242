from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kabinet.promises import services
from kabinet.promises.models import State
from kabinet.promises.tests.conftest import msk
from kabinet.timeline.models import Visibility


@pytest.fixture
def promise(wednesday, project, sergey, as_viewer):
    return services.create_promise(
        viewer=as_viewer(sergey),
        project=project,
        what="Обновлённый план",
        due_at=msk(2026, 12, 3, 13, 0),
    )


def test_moving_the_date_before_it_passes_posts_the_message_to_the_client(
    promise, sergey, as_viewer
):
    r = services.renegotiate(
        viewer=as_viewer(sergey),
        promise=promise,
        new_due=msk(2026, 12, 4, 18, 0),
        reason="Ждём данные",
        message="Марина, план будет в пятницу.",
        now=msk(2026, 12, 3, 11, 0),
    )

    promise.refresh_from_db()
    assert (promise.state, promise.due_at, promise.original_due_at) == (
        State.RENEGOTIATED,
        msk(2026, 12, 4, 18, 0),
        msk(2026, 12, 3, 13, 0),
    )
    assert r.told_before_due is True
    assert r.old_due == msk(2026, 12, 3, 13, 0)
    assert r.message_event.visibility == Visibility.CLIENT
    assert r.message_event.body == "Марина, план будет в пятницу."


def test_moving_it_after_a_breach_is_told_late_and_the_breach_stays(promise, sergey, as_viewer):
    services.run_clock(now=msk(2026, 12, 3, 15, 0))
    r = services.renegotiate(
        viewer=as_viewer(sergey),
        promise=promise,
        new_due=msk(2026, 12, 7, 18, 0),
        reason="Заболел специалист",
        message="Извините, план будет в понедельник.",
        now=msk(2026, 12, 3, 16, 0),
    )

    promise.refresh_from_db()
    assert r.told_before_due is False
    assert promise.state == State.RENEGOTIATED
    assert promise.broken_at == msk(2026, 12, 3, 15, 0)


def test_a_message_and_a_reason_are_required(promise, sergey, as_viewer):
    with pytest.raises(ValidationError) as exc:
        services.renegotiate(
            viewer=as_viewer(sergey),
            promise=promise,
            new_due=msk(2026, 12, 4, 18, 0),
            reason=" ",
            message="",
        )

    assert set(exc.value.message_dict) == {"reason", "message"}


def test_the_drafted_message_is_in_the_clients_language(promise, company):
    ru = services.draft_message(
        promise=promise, new_due=msk(2026, 12, 4, 18, 0), reason="ждём доступы"
    )
    company.language = "en"
    company.save()
    promise.project.company.language = "en"
    en = services.draft_message(
        promise=promise, new_due=msk(2026, 12, 4, 18, 0), reason="waiting for access"
    )

    assert ru.startswith("Здравствуйте!") and "04.12 18:00" in ru and "ждём доступы" in ru
    assert en.startswith("Hello!") and "04.12 18:00" in en


def test_the_form_keeps_everything_typed_when_the_date_is_in_the_past(promise, sergey, login):
    response = login(sergey).post(
        f"/promises/{promise.pk}/renegotiate/",
        {
            "new_due": "2026-12-01T12:00",
            "reason": "Моя причина",
            "message": "Моё сообщение",
            "action": "send",
        },
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "Срок уже прошёл" in body
    assert "Моя причина" in body and "Моё сообщение" in body
    promise.refresh_from_db()
    assert promise.due_at == msk(2026, 12, 3, 13, 0)


def test_the_message_is_rewritten_from_the_date_and_reason_typed(promise, sergey, login):
    response = login(sergey).post(
        f"/promises/{promise.pk}/renegotiate/",
        {
            "new_due": "2026-12-04T18:00",
            "reason": "Ждём данные из Метрики",
            "message": "",
            "action": "draft",
        },
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "будет готово к 04.12 18:00. Причина: Ждём данные из Метрики." in body
    promise.refresh_from_db()
    assert promise.state == State.OPEN


def test_sending_through_the_page_moves_the_date(promise, sergey, login):
    response = login(sergey).post(
        f"/promises/{promise.pk}/renegotiate/",
        {
            "new_due": "2026-12-04T18:00",
            "reason": "Ждём данные",
            "message": "Марина, план будет в пятницу.",
            "action": "send",
        },
    )

    promise.refresh_from_db()
    assert response.status_code == 302
    assert (promise.state, promise.due_at) == (State.RENEGOTIATED, msk(2026, 12, 4, 18, 0))
