"""The client's condition is not our promise; the promise that depends on it carries it, stored and shown."""

from __future__ import annotations

from kabinet.promises import services
from kabinet.promises.models import PromiseProposal
from kabinet.promises.tests.conftest import msk


def test_the_condition_is_stored_and_the_due_time_is_the_agencys(wednesday, write, project, sergey):
    write(project, sergey, "Если вы согласуете макеты до среды, запустим рекламу в пятницу.")

    proposal = PromiseProposal.objects.get()
    assert proposal.condition == "Если вы согласуете макеты до среды"
    assert proposal.due_at == msk(2026, 12, 4, 18, 0)  # Friday, not the client's Wednesday


def test_confirming_keeps_the_condition_on_the_promise_page(
    wednesday, write, project, sergey, as_viewer, login
):
    write(
        project, sergey, "If you approve the mock-ups by Wednesday, we'll launch the ads on Friday."
    )

    promise = services.confirm_proposal(
        viewer=as_viewer(sergey), proposal=PromiseProposal.objects.get()
    )

    assert promise.condition == "If you approve the mock-ups by Wednesday"
    page = login(sergey).get(f"/promises/{promise.pk}/").content.decode()
    assert "If you approve the mock-ups by Wednesday" in page


def test_a_condition_with_no_promise_of_ours_proposes_nothing(wednesday, write, project, sergey):
    write(project, sergey, "Если вы согласуете макеты до среды, будет здорово.")

    assert not PromiseProposal.objects.exists()
