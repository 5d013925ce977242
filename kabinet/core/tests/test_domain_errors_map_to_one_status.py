"""One mapping of domain errors to HTTP: 404 for not allowed or not visible, 400 invalid, 409
conflict — the same for the pages and the API, and never a 400 for a permission problem."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client

from kabinet.core import errors
from kabinet.core.scoping import viewer_for
from kabinet.core.services import create_api_token
from kabinet.timeline.models import Decision, Kind
from kabinet.timeline.services import record_event


class NoteForm(forms.Form):
    note = forms.CharField(required=False)


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (PermissionDenied(), 404),
        (Http404(), 404),
        (ValidationError("bad"), 400),
        (ValidationError({"note": "bad"}), 400),
        (errors.Conflict("already decided"), 409),
        (RuntimeError("a bug"), None),
    ],
)
def test_each_domain_error_has_one_status(exc, status):
    assert errors.status_for(exc) == status


def test_a_field_error_lands_on_its_field_and_keeps_what_was_typed():
    form = NoteForm({"note": "Пришлём в пятницу"})
    form.is_valid()
    status = errors.onto_form(form, ValidationError({"note": "Слишком коротко", "other": "Общее"}))
    assert status == 400
    assert form.errors["note"] == ["Слишком коротко"]
    assert form.non_field_errors() == ["Общее"]
    assert form["note"].value() == "Пришлём в пятницу"


def test_a_conflict_on_a_form_is_rendered_as_409():
    form = NoteForm({"note": "x"})
    form.is_valid()
    assert errors.onto_form(form, errors.Conflict("Already decided.")) == 409
    assert form.non_field_errors() == ["Already decided."]


@pytest.fixture
def recommendation(project, viktoria):
    return record_event(
        project=project,
        kind=Kind.RECOMMENDATION,
        title="ТЗ на дубли",
        author=viktoria,
        decision=Decision.PENDING,
    )


def test_staff_deciding_for_the_client_on_the_page_get_404_not_400(login, sergey, recommendation):
    response = login(sergey).post(f"/events/{recommendation.pk}/decide/", {"decision": "approved"})
    assert response.status_code == 404
    recommendation.refresh_from_db()
    assert recommendation.decision == Decision.PENDING


def test_staff_deciding_for_the_client_through_the_api_get_404_not_400(
    agency, sergey, recommendation
):
    _token, key = create_api_token(viewer=viewer_for(sergey), name="test")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = api.post(
        f"/api/v1/events/{recommendation.pk}/decision",
        {"decision": "approved"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Не найдено.", "fields": {}}  # in Sergey's language
    recommendation.refresh_from_db()
    assert recommendation.decision == Decision.PENDING
