"""Scoping: the webhook pages are the head's: everyone else, and another agency's head, gets 404."""

from __future__ import annotations

from django.urls import reverse

from kabinet.api import webhooks
from kabinet.api.models import WebhookEndpoint
from kabinet.core.scoping import viewer_for


def test_the_head_adds_an_endpoint_and_sees_its_secret_once(head, login):
    client = login(head)
    assert client.get("/agency/webhooks/").status_code == 200
    page = client.post(
        "/agency/webhooks/",
        {
            "url": "https://crm.example.test/hooks",
            "description": "CRM",
            "event_kinds": ["task.done"],
        },
    )
    assert page.status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.owner == head and endpoint.event_kinds == ["task.done"]
    assert endpoint.secret in page.content.decode()
    # The secret is shown once: the endpoint's own page does not show it.
    assert endpoint.secret not in client.get(f"/agency/webhooks/{endpoint.pk}/").content.decode()


def test_a_bad_address_is_refused_naming_the_field_and_keeping_what_was_typed(head, login):
    page = login(head).post(
        "/agency/webhooks/",
        {"url": "ftp://nope", "description": "Моя CRM", "event_kinds": ["task.done"]},
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "https://" in html  # the message says what an address looks like
    assert 'value="Моя CRM"' in html and 'value="ftp://nope"' in html
    assert not WebhookEndpoint.objects.exists()


def test_no_event_chosen_is_refused(head, login):
    page = login(head).post("/agency/webhooks/", {"url": "https://crm.example.test/hooks"})
    assert page.status_code == 400
    assert not WebhookEndpoint.objects.exists()


def test_staff_and_clients_get_404(sergey, viktoria, marina, login):
    for user in (sergey, viktoria, marina):
        assert login(user).get("/agency/webhooks/").status_code == 404
        assert login(user).post("/agency/webhooks/", {"url": "https://x.test"}).status_code == 404


def test_another_agencys_head_cannot_open_or_change_our_endpoint(head, stranger, login):
    endpoint, _ = webhooks.create_endpoint(
        viewer=viewer_for(head), url="https://crm.example.test/hooks", event_kinds=["task.done"]
    )
    client = login(stranger)
    url = reverse("hooks:webhook", args=[endpoint.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"rotate": "1"}).status_code == 404
    assert client.post(url, {"delete": "1"}).status_code == 404
    assert login(head).get(url).status_code == 200
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk, secret=endpoint.secret).exists()


def test_a_new_secret_still_signs_with_the_old_one_for_a_day(head, login):
    endpoint, old = webhooks.create_endpoint(
        viewer=viewer_for(head), url="https://crm.example.test/hooks", event_kinds=["task.done"]
    )
    page = login(head).post(f"/agency/webhooks/{endpoint.pk}/", {"rotate": "1"})
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.secret in page.content.decode()
    assert endpoint.previous_secret == old and endpoint.previous_secret_until is not None
