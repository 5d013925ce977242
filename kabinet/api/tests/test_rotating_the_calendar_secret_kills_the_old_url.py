"""A new calendar address kills the old one; a guessed or foreign address reaches nothing."""

from __future__ import annotations

from icalendar import Calendar

from kabinet.api import feeds
from kabinet.api.models import CalendarFeed
from kabinet.core.scoping import viewer_for


def test_the_settings_page_makes_shows_and_rotates_the_address(marina, login):
    client = login(marina)
    assert 'data-testid="calendar-create"' in client.get("/settings/").content.decode()
    client.post("/settings/calendar/")
    first = CalendarFeed.objects.get(user=marina)
    page = client.get("/settings/").content.decode()
    assert f"/feeds/{first.token}.ics" in page and 'data-testid="calendar-rotate"' in page

    assert client.post("/settings/calendar/").status_code == 302
    second = CalendarFeed.objects.get(user=marina)
    assert second.token != first.token
    from django.test import Client

    assert Client().get(f"/feeds/{first.token}.ics").status_code == 404
    assert Client().get(f"/feeds/{second.token}.ics").status_code == 200


def test_unknown_malformed_and_foreign_addresses_reach_nothing_of_ours(
    marina, stranger, project, client
):
    ours = feeds.rotate_feed(viewer=viewer_for(marina))
    theirs = feeds.rotate_feed(viewer=viewer_for(stranger))
    for token in ("", "x", ours.token[:-1], ours.token.upper(), "../" + ours.token, "%00"):
        assert client.get(f"/feeds/{token}.ics").status_code == 404
    # Another agency's address is its own person's calendar, with nothing of this agency in it.
    response = client.get(f"/feeds/{theirs.token}.ics")
    assert response.status_code == 200
    text = response.content.decode()
    assert project.name not in text and project.company.name not in text
    assert Calendar.from_ical(response.content).walk("VEVENT") == []


def test_a_person_who_left_has_no_feed(marina, client):
    feed = feeds.rotate_feed(viewer=viewer_for(marina))
    marina.is_active = False
    marina.save()
    assert client.get(f"/feeds/{feed.token}.ics").status_code == 404
