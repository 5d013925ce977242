from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from kabinet.core.testing import make_project
from kabinet.timeline.services import record_event


def names(response) -> list[str]:
    return [row["project"].name for row in response.context["rows"]]


def test_client_sees_only_their_companys_projects(login, marina, project, other_project):
    assert names(login(marina).get(reverse("projects"))) == [project.name]


def test_manager_sees_the_projects_he_is_on(login, sergey, project, other_project):
    assert names(login(sergey).get(reverse("projects"))) == [project.name]


def test_head_sees_the_whole_agency_but_not_another_agency(
    login, head, project, other_project, stranger
):
    assert sorted(names(login(head).get(reverse("projects")))) == sorted(
        [project.name, other_project.name]
    )
    assert names(login(stranger).get(reverse("projects"))) == []


def test_staff_list_shows_silent_projects_first_with_days_of_silence(
    login, head, sergey, company, project, other_project
):
    now = timezone.now()
    record_event(
        project=project,
        kind="message",
        title="Свежая новость",
        author=sergey,
        occurred_at=now - timedelta(days=1),
    )
    record_event(
        project=other_project,
        kind="message",
        title="Давно",
        author=sergey,
        occurred_at=now - timedelta(days=12),
    )
    never = make_project(company, "Новый проект", manager=sergey)
    response = login(head).get(reverse("projects"))
    assert names(response) == [never.name, other_project.name, project.name]
    silence = [row["silence"] for row in response.context["rows"]]
    assert silence == [None, 12, 1]


def test_internal_note_does_not_count_as_an_update_for_the_client(login, head, sergey, project):
    record_event(
        project=project, kind="message", title="Внутреннее", author=sergey, visibility="internal"
    )
    response = login(head).get(reverse("projects"))
    assert response.context["rows"][0]["silence"] is None


def test_team_and_responsibilities_are_shown_to_the_client(login, marina, project):
    html = login(marina).get(reverse("project", args=[project.pk])).content.decode()
    assert "Сергей Соловьёв" in html and "Связь с клиентом" in html
    assert "Виктория Лебедева" in html
