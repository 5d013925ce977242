"""Oleg (another company's client) gets 404 on every promise URL that takes an id; Marina sees her
project's promises but never proposals, tasks or staff actions."""

from __future__ import annotations

import pytest

from kabinet.promises import services
from kabinet.promises.models import PromiseProposal, State


@pytest.fixture
def setup(wednesday, write, project, sergey, as_viewer):
    write(project, sergey, "Пришлю отчёт до конца дня. А план пришлю завтра до обеда.")
    proposal, other = PromiseProposal.objects.order_by("start")
    promise = services.confirm_proposal(viewer=as_viewer(sergey), proposal=proposal)
    return {"project": project, "promise": promise, "proposal": other, "task": promise.task}


def urls(s):
    p, pr, t, project = s["promise"].pk, s["proposal"].pk, s["task"].pk, s["project"].pk
    gets = [
        f"/projects/{project}/promises/",
        f"/projects/{project}/promises/new/",
        f"/projects/{project}/promise-proposals/",
        f"/promises/{p}/",
        f"/promises/{p}/renegotiate/",
        f"/promise-proposals/{pr}/",
    ]
    posts = [
        f"/projects/{project}/promises/new/",
        f"/promises/{p}/keep/",
        f"/promises/{p}/renegotiate/",
        f"/promises/tasks/{t}/done/",
        f"/promise-proposals/{pr}/confirm/",
        f"/promise-proposals/{pr}/dismiss/",
    ]
    return gets, posts


def test_oleg_gets_404_on_every_url_with_an_id(setup, oleg, login):
    client = login(oleg)
    gets, posts = urls(setup)
    data = {
        "what": "x",
        "due_at": "2026-12-10T10:00",
        "new_due": "2026-12-10T10:00",
        "reason": "r",
        "message": "m",
        "keep": [str(setup["promise"].pk)],
    }

    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, data).status_code == 404, url
    setup["promise"].refresh_from_db()
    assert setup["promise"].state == State.OPEN
    assert PromiseProposal.objects.get(pk=setup["proposal"].pk).status == "pending"


def test_marina_sees_her_promises_but_no_proposals_or_staff_actions(setup, marina, login):
    client = login(marina)
    gets, posts = urls(setup)
    listing = client.get(gets[0]).content.decode()
    detail = client.get(gets[3]).content.decode()

    assert setup["promise"].what in listing
    assert "Обещания на подтверждение" not in listing and "Kabinet нашёл обещание" not in listing
    assert "Отметить выполненным" not in detail and "Перенести срок" not in detail
    assert setup["task"].title not in detail
    for url in gets[1:3] + gets[4:]:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {}).status_code == 404, url


def test_marina_sees_the_promise_in_her_chronology(setup, marina, login):
    page = login(marina).get(f"/projects/{setup['project'].pk}/").content.decode()

    assert "Обещание: Пришлю отчёт до конца дня до 02.12 18:00" in page
    assert "Kabinet нашёл обещание" not in page


def test_another_agency_sees_nothing(setup, stranger, login):
    assert login(stranger).get(f"/promises/{setup['promise'].pk}/").status_code == 404
