"""A recommendation is the client's to decide: staff are refused on the page and the API alike."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kabinet.core import scoping
from kabinet.core.scoping import Side, viewer_for
from kabinet.timeline.models import Decision, Event, Kind

from .factories import event


@pytest.fixture
def rec(project, viktoria):
    return event(
        project, kind=Kind.RECOMMENDATION, title="ТЗ", author=viktoria, decision=Decision.PENDING
    )


def nothing_was_decided(rec) -> bool:
    rec.refresh_from_db()
    return (
        rec.decision == Decision.PENDING and not Event.objects.filter(kind=Kind.DECISION).exists()
    )


@pytest.mark.parametrize("persona", ["sergey", "viktoria", "head"])
def test_staff_posting_to_the_decide_page_is_refused_and_nothing_is_recorded(
    request, login, rec, persona
):
    staff = request.getfixturevalue(persona)
    response = login(staff).post(reverse("decide", args=[rec.pk]), {"decision": "approved"})
    assert response.status_code == 404
    assert nothing_was_decided(rec)


@pytest.mark.parametrize("persona", ["sergey", "head"])
def test_staff_posting_a_decision_to_the_api_is_refused_and_nothing_is_recorded(
    request, login, rec, persona
):
    staff = request.getfixturevalue(persona)
    response = login(staff).post(
        f"/api/v1/events/{rec.pk}/decision",
        {"decision": "declined"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert nothing_was_decided(rec)


def test_staff_are_not_offered_the_decision_form(login, sergey, rec):
    page = login(sergey).get(reverse("event", args=[rec.pk]))
    assert page.context["decision_form"] is None


def test_the_one_rule_names_the_side_of_every_action(agency, marina, sergey):
    client_viewer = viewer_for(marina)
    staff_viewer = viewer_for(sergey)
    assert scoping.side_of("decide") == Side.CLIENT
    assert scoping.may(client_viewer, "decide") and not scoping.may(staff_viewer, "decide")
    assert scoping.may(staff_viewer, "publish") and not scoping.may(client_viewer, "publish")
    with pytest.raises(KeyError):
        scoping.side_of("an action nobody declared")
