"""«Выведем 20 запросов в топ-10» is flagged to the manager as an expectation risk, not tracked."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from kabinet.promises import selectors, services
from kabinet.promises.models import Promise, PromiseProposal, ProposalKind, ProposalStatus


@pytest.fixture
def risk(wednesday, write, project, viktoria):
    write(project, viktoria, "К концу квартала выведем 20 запросов в топ-10.")
    return PromiseProposal.objects.get()


def test_an_outcome_is_an_expectation_risk_not_a_promise_to_confirm(
    risk, project, sergey, viktoria, as_viewer
):
    assert risk.kind == ProposalKind.OUTCOME
    assert not selectors.pending_proposals(as_viewer(viktoria), project.pk).exists()
    assert list(selectors.expectation_risks(as_viewer(sergey), project.pk)) == [risk]


def test_the_manager_sees_it_on_the_project_page_and_in_his_promises(risk, project, sergey, login):
    client = login(sergey)
    for url in (f"/projects/{project.pk}/", f"/projects/{project.pk}/promises/", "/promises/"):
        page = client.get(url).content.decode()
        assert 'data-testid="expectation-risk"' in page, url
        assert "выведем 20 запросов в топ-10" in page


def test_clients_never_see_it(risk, project, marina, login):
    page = login(marina).get(f"/projects/{project.pk}/promises/").content.decode()
    assert "выведем 20 запросов" not in page


def test_it_cannot_be_confirmed_as_a_deliverable(risk, sergey, as_viewer):
    with translation.override("en"), pytest.raises(ValidationError, match="expectations"):
        services.confirm_proposal(viewer=as_viewer(sergey), proposal=risk)
    assert not Promise.objects.exists()


def test_the_manager_marks_expectations_as_set(risk, project, sergey, as_viewer):
    services.dismiss_proposal(viewer=as_viewer(sergey), proposal=risk)

    risk.refresh_from_db()
    assert risk.status == ProposalStatus.DISMISSED
    assert not selectors.expectation_risks(as_viewer(sergey), project.pk).exists()


def test_opening_an_untimed_risk_as_a_form_is_not_an_error(
    wednesday, write, project, sergey, login
):
    write(project, sergey, "We'll double your leads.")
    risk = PromiseProposal.objects.get()
    assert risk.due_at is None

    response = login(sergey).get(reverse("promise_proposal", args=[risk.pk]))

    assert response.status_code == 200
