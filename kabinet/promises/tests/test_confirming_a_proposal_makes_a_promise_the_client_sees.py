from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kabinet.promises import services
from kabinet.promises.models import Origin, PromiseProposal, ProposalStatus, State
from kabinet.promises.tests.conftest import msk
from kabinet.timeline.models import Event, Kind, Visibility
from kabinet.work.models import Task


@pytest.fixture
def proposal(wednesday, write, project, sergey):
    write(project, sergey, "Пришлю обновлённый план завтра до обеда.")
    return PromiseProposal.objects.get()


def test_one_click_confirms_with_the_proposed_date_and_a_preparation_task(
    proposal, sergey, as_viewer
):
    promise = services.confirm_proposal(viewer=as_viewer(sergey), proposal=proposal)

    assert promise.state == State.OPEN
    assert promise.due_at == msk(2026, 12, 3, 13, 0)
    assert promise.promised_by == sergey
    assert promise.origin == Origin.MESSAGE
    assert promise.task.title.startswith("Подготовить:")
    assert promise.task.assignee == sergey
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.CONFIRMED and proposal.promise == promise


def test_confirming_writes_a_client_visible_promise_event(proposal, sergey, as_viewer):
    promise = services.confirm_proposal(viewer=as_viewer(sergey), proposal=proposal)

    event = Event.objects.get(kind=Kind.PROMISE, source_id=str(promise.pk))
    assert event.visibility == Visibility.CLIENT
    assert event.title == "Обещание: Пришлю обновлённый план завтра до обеда до 03.12 13:00"


def test_a_proposal_is_confirmed_once(proposal, sergey, as_viewer):
    services.confirm_proposal(viewer=as_viewer(sergey), proposal=proposal)

    with pytest.raises(ValidationError):
        services.confirm_proposal(viewer=as_viewer(sergey), proposal=proposal)


def test_changed_date_and_an_existing_task_are_used(proposal, sergey, project, as_viewer):
    from kabinet.work.services import create_task

    task = create_task(viewer=sergey, project=project, title="Обновить план")
    promise = services.confirm_proposal(
        viewer=as_viewer(sergey),
        proposal=proposal,
        due_at=msk(2026, 12, 4, 18, 0),
        what="Обновлённый план",
        task=task,
    )

    assert (promise.due_at, promise.what, promise.task) == (
        msk(2026, 12, 4, 18, 0),
        "Обновлённый план",
        task,
    )
    assert Task.objects.count() == 1


def test_dismissed_proposal_creates_nothing(proposal, sergey, as_viewer):
    services.dismiss_proposal(viewer=as_viewer(sergey), proposal=proposal)

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DISMISSED
    assert not proposal.project.promises.exists()


def test_panel_confirm_by_htmx_returns_the_confirmed_row(proposal, sergey, login):
    response = login(sergey).post(
        f"/promise-proposals/{proposal.pk}/confirm/", HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert "Обещание записано" in response.content.decode()
    assert proposal.project.promises.count() == 1


def test_a_date_in_the_past_is_refused_and_the_typed_wording_kept(proposal, sergey, login):
    response = login(sergey).post(
        f"/promise-proposals/{proposal.pk}/confirm/",
        {"what": "Мой текст обещания", "due_at": "2026-12-01T10:00", "task": "new"},
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "Срок уже прошёл" in body
    assert "Мой текст обещания" in body
    assert 'value="2026-12-01T10:00"' in body
    assert not proposal.project.promises.exists()


def test_one_click_on_a_proposal_whose_date_has_passed_opens_the_form_with_the_reason(
    proposal, sergey, login, wednesday
):
    wednesday.move_to(msk(2026, 12, 3, 14, 0))
    client = login(sergey)

    response = client.post(f"/promise-proposals/{proposal.pk}/confirm/", HTTP_HX_REQUEST="true")
    page = client.get(response["HX-Redirect"]).content.decode()

    assert response["HX-Redirect"] == f"/promise-proposals/{proposal.pk}/"
    assert "Срок уже прошёл" in page
    assert not proposal.project.promises.exists()
