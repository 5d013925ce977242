"""Two heads edit the agency's SLA targets at once (one form saves every tier, so the set has one
version): the second save, made from the page as it was before the first, changes nothing and
comes back 409 with every target she typed kept in the table next to what is saved now and who
saved it; saved over the current version, it goes through."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from kabinet.core.testing import Role, make_user
from kabinet.questions.models import SlaPolicy

URL = "/questions/sla/"


@pytest.fixture
def deputy(agency):
    return make_user(agency, "deputy@agency.test", Role.HEAD, full_name="Пётр Заместителев")


def _version_in(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def _targets(version: str, **extra) -> dict:
    data = {
        "default_first_response_hours": "4",
        "default_next_response_hours": "8",
        "default_resolution_hours": "40",
        "version": version,
    }
    data.update(extra)
    return data


def _gold(first: str) -> dict:
    return {
        "gold_first_response_hours": first,
        "gold_next_response_hours": "6",
        "gold_resolution_hours": "24",
    }


@pytest.mark.parametrize("saved_before", [False, True], ids=["first-ever", "saved-before"])
def test_a_stale_sla_targets_form_changes_nothing_and_shows_both_versions(
    agency, head, deputy, login, saved_before
):
    if saved_before:
        assert login(head).post(URL, _targets("0")).status_code == 302
    seen = _version_in(login(deputy).get(URL).content.decode())
    first = login(head).post(URL, _targets(seen, **_gold("2")))
    assert first.status_code == 302

    # She changed another tier than the first head: the set moved on all the same.
    second = login(deputy).post(URL, _targets(seen, default_resolution_hours="30"))

    assert second.status_code == 409
    html = second.content.decode()
    assert 'data-testid="conflict"' in html and "Анна Королёва" in html
    assert 'name="default_resolution_hours" value="30"' in html  # what she typed
    gold = re.search(r'data-field="gold_first_response_hours">(.*?)</tr>', html).group(1)
    assert '<td data-testid="saved">2</td>' in gold and '<td data-testid="entered">—</td>' in gold
    rows = {p.tier: p for p in SlaPolicy.objects.filter(agency=agency)}
    assert set(rows) == {"", "gold"}
    assert rows[""].resolution_hours == Decimal("40")
    assert rows["gold"].first_response_hours == Decimal("2")

    # The page moved her form on to the saved version: saving again is a choice, and it works
    # (and, the gold tier being empty in her form, it follows the default again).
    moved = _version_in(html)
    assert moved != seen
    assert (
        login(deputy).post(URL, _targets(moved, default_resolution_hours="30")).status_code == 302
    )
    rows = {p.tier: p for p in SlaPolicy.objects.filter(agency=agency)}
    assert set(rows) == {""} and rows[""].resolution_hours == Decimal("30")


def test_a_save_that_changes_nothing_does_not_move_the_version(agency, head, deputy, login):
    assert login(head).post(URL, _targets("0")).status_code == 302
    seen = _version_in(login(deputy).get(URL).content.decode())
    assert login(head).post(URL, _targets(seen)).status_code == 302  # the same values again

    assert login(deputy).post(URL, _targets(seen, default_resolution_hours="30")).status_code == 302
    assert SlaPolicy.objects.get(agency=agency, tier="").resolution_hours == Decimal("30")
