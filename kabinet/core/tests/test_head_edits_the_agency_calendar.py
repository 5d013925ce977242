"""The head edits the agency's working calendar on a product page: saved through the service,
audited, the plan recomputed; bad input is explained and nothing typed is lost; others get 404."""

from __future__ import annotations

from datetime import date, time

import pytest

from kabinet.core.models import AuditEntry


def calendar_post(**extra) -> dict:
    data = {
        "timezone": "Europe/Moscow",
        "country": "ru",
        "work_start": "10:00",
        "work_end": "19:00",
        "weekend": ["5", "6"],
        "days_off": "2026-12-31\n08.01.2027",
        "working_days": "",
    }
    data.update(extra)
    return data


def test_the_head_saves_working_hours_and_days_off_with_an_audit_entry(login, head, agency):
    response = login(head).post("/agency/calendar/", calendar_post())
    assert response.status_code == 302
    agency.refresh_from_db()
    assert (agency.work_start, agency.work_end) == (time(10), time(19))
    assert agency.days_off == ["2026-12-31", "2027-01-08"] and agency.country == "RU"
    entry = AuditEntry.objects.get(verb="agency.calendar_changed")
    assert entry.actor == head and entry.data["changed"]["work_start"] == ["09:00", "10:00"]
    assert agency.calendar().is_business_day(date(2026, 12, 31)) is False  # Thursday, now a day off


def test_a_calendar_change_asks_for_a_new_plan(
    login, head, agency, django_capture_on_commit_callbacks
):
    from kabinet.planning.models import PlanRequest

    with django_capture_on_commit_callbacks(execute=True):
        login(head).post("/agency/calendar/", calendar_post())
    assert PlanRequest.objects.filter(agency=agency).exists()


def test_saving_the_same_calendar_again_writes_no_audit_entry(login, head):
    client = login(head)
    client.post("/agency/calendar/", calendar_post())
    client.post("/agency/calendar/", calendar_post())
    assert AuditEntry.objects.filter(verb="agency.calendar_changed").count() == 1


def test_a_day_that_ends_before_it_starts_is_refused_in_english_keeping_what_was_typed(
    login, head, agency
):
    head.language = "en"
    head.save()
    response = login(head).post(
        "/agency/calendar/",
        calendar_post(work_start="18:00", work_end="09:00", days_off="2026-12-31\nзавтра"),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Not a date: завтра" in html
    assert "2026-12-31" in html and 'value="18:00"' in html
    agency.refresh_from_db()
    assert agency.work_start == time(9)


def test_an_inverted_day_is_explained_in_russian(login, head, agency):
    response = login(head).post(
        "/agency/calendar/", calendar_post(work_start="18:00", work_end="09:00")
    )
    assert response.status_code == 400
    assert "Рабочий день должен заканчиваться позже, чем начинается." in response.content.decode()


@pytest.mark.parametrize("persona", ["sergey", "viktoria", "marina"])
def test_only_the_head_opens_the_calendar_page(login, request, persona, agency):
    user = request.getfixturevalue(persona)
    client = login(user)
    assert client.get("/agency/calendar/").status_code == 404
    assert client.post("/agency/calendar/", calendar_post()).status_code == 404
    agency.refresh_from_db()
    assert agency.work_start == time(9)


def test_the_head_of_another_agency_changes_only_their_own_calendar(
    login, stranger, agency, stranger_agency
):
    login(stranger).post("/agency/calendar/", calendar_post())
    agency.refresh_from_db()
    stranger_agency.refresh_from_db()
    assert agency.work_start == time(9) and stranger_agency.work_start == time(10)
