"""Two heads edit the same automation rule at once: the second save, made from the rules page as
it was before the first, changes nothing and comes back 409 with what she typed kept in that
rule's form next to what is saved now and who saved it; saved over the current version, it goes
through."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from kabinet.core.testing import Role, make_user
from kabinet.work.models import AutomationRule


@pytest.fixture
def deputy(agency):
    return make_user(agency, "deputy@agency.test", Role.HEAD, full_name="Пётр Заместителев")


def _version_in(html: str, kind: str) -> str:
    return re.search(rf'name="rule-{kind}-version" value="(\d+)"', html).group(1)


def _rule(days: str, version: str, **extra) -> dict:
    data = {
        "rule": "client_silence",
        "rule-client_silence-enabled": "on",
        "rule-client_silence-business_days": days,
        "rule-client_silence-version": version,
    }
    data.update(extra)
    return data


def test_a_stale_rule_form_changes_nothing_and_shows_both_versions(agency, head, deputy, login):
    url = reverse("work:rules")
    seen = _version_in(login(deputy).get(url).content.decode(), "client_silence")
    assert login(head).post(url, _rule("7", seen)).status_code == 302

    second = login(deputy).post(url, _rule("9", seen))

    assert second.status_code == 409
    html = second.content.decode()
    assert 'data-testid="conflict"' in html and "Анна Королёва" in html
    assert 'name="rule-client_silence-business_days" value="9"' in html  # what she typed
    assert '<td data-testid="saved">7</td>' in html  # what is saved now
    assert '<td data-testid="entered">9</td>' in html
    rule = AutomationRule.objects.get(agency=agency, kind="client_silence")
    assert rule.param("business_days") == 7

    # The page moved her form on to the saved version: saving again is a choice, and it works.
    moved = _version_in(html, "client_silence")
    assert moved != seen
    assert login(deputy).post(url, _rule("9", moved)).status_code == 302
    assert AutomationRule.objects.get(pk=rule.pk).param("business_days") == 9


def test_a_save_of_another_rule_is_no_conflict(agency, head, deputy, login):
    url = reverse("work:rules")
    html = login(deputy).get(url).content.decode()
    seen = _version_in(html, "client_silence")
    other = {
        "rule": "question_waiting",
        "rule-question_waiting-enabled": "on",
        "rule-question_waiting-business_hours": "6",
        "rule-question_waiting-version": _version_in(html, "question_waiting"),
    }
    assert login(head).post(url, other).status_code == 302

    assert login(deputy).post(url, _rule("9", seen)).status_code == 302
    assert AutomationRule.objects.get(kind="client_silence").param("business_days") == 9
