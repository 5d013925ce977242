"""«Виктория пришлёт ТЗ в понедельник», written by Sergey, is Viktoria's promise when she is on the team."""

from __future__ import annotations

import pytest

from kabinet.promises import selectors, services
from kabinet.promises.models import PromiseProposal
from kabinet.promises.tests.conftest import msk


@pytest.mark.parametrize(
    "text",
    [
        "Виктория пришлёт ТЗ в понедельник.",
        "Вика пришлёт ТЗ в понедельник.",
        "Viktoria will send the spec on Monday.",
        "Victoria is sending the spec on Monday.",
    ],
)
def test_the_named_teammate_owns_the_proposal_in_any_spelling(
    wednesday, write, project, sergey, viktoria, text
):
    write(project, sergey, text)

    proposal = PromiseProposal.objects.get()
    assert proposal.author == sergey
    assert proposal.owner == viktoria
    assert proposal.due_at == msk(2026, 12, 7, 18, 0)


def test_the_owner_sees_it_and_confirming_makes_it_her_promise(
    wednesday, write, project, sergey, viktoria, as_viewer
):
    write(project, sergey, "Виктория пришлёт ТЗ в понедельник.")
    proposal = PromiseProposal.objects.get()

    assert list(selectors.pending_proposals(as_viewer(viktoria), project.pk)) == [proposal]
    promise = services.confirm_proposal(viewer=as_viewer(sergey), proposal=proposal)

    assert promise.promised_by == viktoria


def test_a_name_on_the_clients_side_is_not_the_agencys_promise(
    wednesday, write, project, sergey, marina
):
    write(project, sergey, "Марина пришлёт доступы в понедельник.")

    assert not PromiseProposal.objects.exists()


def test_a_name_that_is_not_on_the_team_stays_with_the_writer_and_is_shown(
    wednesday, write, project, sergey, login
):
    write(project, sergey, "Павел исправит ошибки в фиде в понедельник.")

    proposal = PromiseProposal.objects.get()
    assert (proposal.owner, proposal.named) == (sergey, "Павел")
    page = login(sergey).get(f"/projects/{project.pk}/promises/").content.decode()
    assert "Павел" in page
