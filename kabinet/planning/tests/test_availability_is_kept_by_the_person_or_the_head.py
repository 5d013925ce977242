"""'My availability': every staff member edits their own hours, days, capacity, skills and
absences; the head edits anyone's and the agency's skills; bad input names the field and keeps
what was typed; others get a 404."""

from __future__ import annotations

from kabinet.planning.models import Absence, PersonSchedule, PlanRequest, Skill


def test_viktoria_saves_her_own_hours_and_the_plan_is_asked_for(agency, viktoria, login):
    client = login(viktoria)
    assert client.get("/planning/availability/").status_code == 200
    response = client.post(
        "/planning/availability/",
        {
            "form": "schedule",
            "work_start": "10:00",
            "work_end": "19:00",
            "weekdays": ["0", "1", "2", "3"],
            "capacity_hours": "5,5",
        },
    )
    assert response.status_code == 302
    row = PersonSchedule.objects.get(user=viktoria)
    assert row.weekdays == [0, 1, 2, 3] and str(row.capacity_hours) == "5.50"
    assert PlanRequest.objects.get(agency=agency).dirty


def test_a_bad_capacity_names_the_field_and_keeps_what_was_typed(viktoria, login):
    response = login(viktoria).post(
        "/planning/availability/",
        {"form": "schedule", "work_start": "10:00", "work_end": "09:00", "capacity_hours": "много"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Укажите дневную загрузку в часах" in body and 'value="много"' in body
    assert "Рабочий день должен заканчиваться позже" in body
    assert not PersonSchedule.objects.filter(user=viktoria).exists()


def test_an_absence_with_the_days_reversed_is_refused_by_field(viktoria, login):
    response = login(viktoria).post(
        "/planning/availability/",
        {"form": "absence", "kind": "vacation", "starts_on": "2026-12-20", "ends_on": "2026-12-10"},
    )
    assert response.status_code == 400
    assert "Последний день не может быть раньше первого" in response.content.decode()
    assert not Absence.objects.exists()


def test_the_head_enters_viktorias_vacation_and_edits_the_skills(agency, head, viktoria, login):
    client = login(head)
    response = client.post(
        f"/planning/availability/?person={viktoria.pk}",
        {"form": "absence", "kind": "vacation", "starts_on": "2026-12-21", "ends_on": "2026-12-25"},
    )
    assert response.status_code == 302
    absence = Absence.objects.get(user=viktoria)
    assert absence.created_by == head and absence.agency == agency
    assert client.post("/planning/skills/", {"skills": "SEO\nPPC, Аналитика"}).status_code == 302
    assert sorted(Skill.objects.filter(agency=agency).values_list("name", flat=True)) == [
        "PPC",
        "SEO",
        "Аналитика",
    ]


def test_only_oneself_or_the_head(agency, viktoria, sergey, marina, stranger, head, login):
    assert login(sergey).get(f"/planning/availability/?person={viktoria.pk}").status_code == 404
    assert login(marina).get("/planning/availability/").status_code == 404
    assert login(stranger).get(f"/planning/availability/?person={viktoria.pk}").status_code == 404
    assert login(sergey).post("/planning/skills/", {"skills": "SEO"}).status_code == 404
    absence = Absence.objects.create(
        agency=agency, user=viktoria, starts_on="2026-12-21", ends_on="2026-12-21"
    )
    assert (
        login(sergey).post(f"/planning/availability/absences/{absence.pk}/remove/").status_code
        == 404
    )
    assert Absence.objects.filter(pk=absence.pk).exists()
    assert (
        login(viktoria).post(f"/planning/availability/absences/{absence.pk}/remove/").status_code
        == 302
    )
    assert not Absence.objects.filter(pk=absence.pk).exists()
