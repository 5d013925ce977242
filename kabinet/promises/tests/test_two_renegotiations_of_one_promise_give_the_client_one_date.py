"""Sergey and the head both open "renegotiate" on one promise and send a new date: the client
gets the first date only; the second sender sees a conflict with the date already sent."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from kabinet.promises import services
from kabinet.promises.tests.conftest import msk
from kabinet.timeline.models import Event, Kind, Visibility


@pytest.fixture
def promise(wednesday, project, sergey, as_viewer):
    return services.create_promise(
        viewer=as_viewer(sergey),
        project=project,
        what="Обновлённый план",
        due_at=msk(2026, 12, 3, 13, 0),
    )


def _version_in(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def _client_messages(project) -> list[Event]:
    return list(
        Event.objects.filter(project=project, kind=Kind.PROMISE, visibility=Visibility.CLIENT)
        .exclude(title_key="promise_made")
        .filter(title_key="promise_moved")
    )


def test_the_second_renegotiation_gets_a_conflict_and_the_client_one_date(
    promise, project, sergey, head, login
):
    url = reverse("promise_renegotiate", args=[promise.pk])
    seen_by_sergey = _version_in(login(sergey).get(url).content.decode())
    seen_by_head = _version_in(login(head).get(url).content.decode())

    first = login(sergey).post(
        url,
        {
            "new_due": "2026-12-04T18:00",
            "reason": "Ждём данные",
            "message": "Марина, план будет в пятницу.",
            "action": "send",
            "version": seen_by_sergey,
        },
    )
    second = login(head).post(
        url,
        {
            "new_due": "2026-12-08T18:00",
            "reason": "Большой объём",
            "message": "Марина, план будет во вторник.",
            "action": "send",
            "version": seen_by_head,
        },
    )

    assert first.status_code == 302
    assert second.status_code == 409
    html = second.content.decode()
    assert 'data-testid="conflict"' in html
    assert "Марина, план будет во вторник." in html  # what the head typed, kept
    assert "2026-12-04 18:00" in html  # the date already sent, shown next to it
    assert "Сергей Соловьёв" in html
    moved = _client_messages(project)
    assert [e.body for e in moved] == ["Марина, план будет в пятницу."]
    promise.refresh_from_db()
    assert promise.due_at == msk(2026, 12, 4, 18, 0)


def test_the_service_refuses_a_stale_version(promise, sergey, head, as_viewer):
    from kabinet.core.concurrency import EditConflict

    seen = promise.version
    services.renegotiate(
        viewer=as_viewer(sergey),
        promise=promise,
        new_due=msk(2026, 12, 4, 18, 0),
        reason="Ждём данные",
        message="План в пятницу.",
        version=seen,
    )
    with pytest.raises(EditConflict) as caught:
        services.renegotiate(
            viewer=as_viewer(head),
            promise=promise,
            new_due=msk(2026, 12, 8, 18, 0),
            reason="Объём",
            message="План во вторник.",
            version=seen,
        )
    assert caught.value.saved["message"][1] == "План в пятницу."
    assert caught.value.version == seen + 1
