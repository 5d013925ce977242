from __future__ import annotations

from django.urls import reverse


def nav(client) -> list[str]:
    return [item["url"] for item in client.get(reverse("projects")).context["nav_items"]]


def test_client_sees_no_staff_navigation(login, marina, project):
    assert nav(login(marina)) == []


def test_specialist_goes_from_tasks_to_her_computed_queue(login, viktoria, project):
    client = login(viktoria)
    assert reverse("planning:queue") in nav(client)
    assert reverse("work:board") not in nav(client)
    assert client.get(reverse("work:board")).url == reverse("planning:queue")


def test_head_has_a_short_top_bar_and_reaches_setup_from_the_pages(login, head, project):
    client = login(head)
    items = nav(client)
    assert items == [
        reverse("work:board"),
        reverse("questions:desk"),
        reverse("my_promises"),
        reverse("planning:queue"),
        reverse("planning:at_risk"),
        reverse("health:agency"),  # the head's own page: every client and manager at a glance
    ]
    assert reverse("work:playbooks") in client.get(reverse("work:board")).content.decode()
    assert reverse("planning:weights") in client.get(reverse("planning:at_risk")).content.decode()
    assert reverse("promise_numbers") in client.get(reverse("my_promises")).content.decode()
