from __future__ import annotations

from django.urls import reverse

from kabinet.work.models import AutomationRule


def test_the_head_changes_a_rules_number_and_switches_it_off(agency, head, login):
    client = login(head)
    assert client.get(reverse("work:rules")).status_code == 200  # shows the defaults, saves nothing
    assert not AutomationRule.objects.filter(agency=agency).exists()

    response = client.post(
        reverse("work:rules"), {"rule": "client_silence", "rule-client_silence-business_days": "7"}
    )

    assert response.status_code == 302
    rule = AutomationRule.objects.get(agency=agency, kind="client_silence")
    assert rule.param("business_days") == 7 and rule.enabled is False


def test_a_bad_number_is_refused_with_a_message_and_kept_on_the_form(agency, head, login):
    client = login(head)

    response = client.post(
        reverse("work:rules"),
        {
            "rule": "client_silence",
            "rule-client_silence-enabled": "on",
            "rule-client_silence-business_days": "пять",
        },
    )

    assert response.status_code == 400
    assert 'value="пять"' in response.content.decode()
    rule = AutomationRule.objects.filter(agency=agency, kind="client_silence").first()
    assert rule is None or rule.param("business_days") == 5
