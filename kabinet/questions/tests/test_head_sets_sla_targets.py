"""The head sets SLA targets per client tier on a product page: audited, validated, 404 for others."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kabinet.core.models import AuditEntry
from kabinet.questions.models import SlaPolicy


def sla_post(**extra) -> dict:
    data = {
        "default_first_response_hours": "4",
        "default_next_response_hours": "8",
        "default_resolution_hours": "40",
        "gold_first_response_hours": "2",
        "gold_next_response_hours": "6",
        "gold_resolution_hours": "24",
    }
    data.update(extra)
    return data


def test_the_head_saves_default_and_tier_targets_with_audit_entries(login, head, agency):
    response = login(head).post("/questions/sla/", sla_post())
    assert response.status_code == 302
    rows = {p.tier: p for p in SlaPolicy.objects.filter(agency=agency)}
    assert set(rows) == {"", "gold"}
    assert rows["gold"].first_response_hours == Decimal("2")
    assert AuditEntry.objects.filter(verb="sla_policy.saved", actor=head).count() == 2


def test_emptying_a_tier_makes_it_follow_the_default(login, head, agency):
    client = login(head)
    client.post("/questions/sla/", sla_post())
    client.post(
        "/questions/sla/",
        sla_post(
            gold_first_response_hours="", gold_next_response_hours="", gold_resolution_hours=""
        ),
    )
    assert list(SlaPolicy.objects.filter(agency=agency).values_list("tier", flat=True)) == [""]
    assert AuditEntry.objects.filter(verb="sla_policy.removed").count() == 1


def test_the_page_shows_the_saved_targets(login, head, agency):
    SlaPolicy.objects.create(agency=agency, tier="platinum", first_response_hours=Decimal("1.5"))
    html = login(head).get("/questions/sla/").content.decode()
    assert 'name="platinum_first_response_hours" value="1.5"' in html


def test_a_bad_number_is_refused_in_russian_and_every_typed_value_kept(login, head, agency):
    response = login(head).post(
        "/questions/sla/", sla_post(gold_resolution_hours="сутки", default_first_response_hours="0")
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Укажите часы числом, например 4 или 1.5." in html
    assert "От 0.25 до 2000 рабочих часов." in html
    assert 'value="сутки"' in html and 'name="gold_first_response_hours" value="2"' in html
    assert not SlaPolicy.objects.filter(agency=agency).exists()


def test_a_bad_number_is_explained_in_english(login, head):
    head.language = "en"
    head.save()
    response = login(head).post("/questions/sla/", sla_post(gold_resolution_hours="a day"))
    assert "Give the hours as a number, e.g. 4 or 1.5." in response.content.decode()


@pytest.mark.parametrize("persona", ["sergey", "viktoria", "marina"])
def test_only_the_head_opens_the_sla_page(login, request, persona, agency):
    client = login(request.getfixturevalue(persona))
    assert client.get("/questions/sla/").status_code == 404
    assert client.post("/questions/sla/", sla_post()).status_code == 404
    assert not SlaPolicy.objects.exists()


def test_the_head_of_another_agency_sets_only_their_own_targets(
    login, stranger, agency, stranger_agency
):
    login(stranger).post("/questions/sla/", sla_post())
    assert not SlaPolicy.objects.filter(agency=agency).exists()
    assert SlaPolicy.objects.filter(agency=stranger_agency).count() == 2
