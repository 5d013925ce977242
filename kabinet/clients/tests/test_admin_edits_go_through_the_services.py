"""Project, team and company edits in the admin go through clients.services: audited, and what the
client sees (status, who joined or left the team) is written into the project's chronology."""

from __future__ import annotations

from kabinet.clients.models import ClientCompany, Project, ProjectMember
from kabinet.core.models import AuditEntry
from kabinet.timeline.models import Event, Kind, Visibility


def project_post(project: Project, members: list[ProjectMember], **extra) -> dict:
    data = {
        "company": project.company_id,
        "name": project.name,
        "service": project.service,
        "start_date": project.start_date.isoformat(),
        "monthly_budget": str(project.monthly_budget),
        "currency": project.currency,
        "tier": project.tier,
        "status": project.status,
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": str(len(members)),
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
    }
    for n, m in enumerate(members):
        data.update(
            {
                f"members-{n}-id": m.pk,
                f"members-{n}-project": project.pk,
                f"members-{n}-user": m.user_id,
                f"members-{n}-role": m.role,
                f"members-{n}-responsibility": m.responsibility,
            }
        )
    data.update(extra)
    return data


def change(client, project, data):
    response = client.post(f"/admin/clients/project/{project.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:4000]


def test_pausing_a_project_in_admin_tells_the_client_and_is_audited(login, admin_head, project):
    members = list(project.members.all())
    change(login(admin_head), project, project_post(project, members, status="paused"))
    event = Event.objects.get(project=project, kind=Kind.MILESTONE)
    assert event.title == "Работа над проектом приостановлена"  # the client company speaks Russian
    assert event.visibility == Visibility.CLIENT and event.author == admin_head
    entry = AuditEntry.objects.get(verb="project.changed", object_id=str(project.pk))
    assert entry.data["status"] == ["active", "paused"] and entry.actor == admin_head


def test_a_budget_change_is_audited_without_telling_the_client(login, admin_head, project):
    members = list(project.members.all())
    change(login(admin_head), project, project_post(project, members, monthly_budget="150000.00"))
    assert AuditEntry.objects.get(verb="project.changed").data["monthly_budget"] == [
        "100000.00",
        "150000.00",
    ]
    assert not Event.objects.filter(project=project).exists()


def test_a_new_team_member_appears_in_the_clients_chronology(login, admin_head, project, irina):
    members = list(project.members.all())
    data = project_post(project, members)
    n = len(members)
    data.update(
        {
            "members-TOTAL_FORMS": str(n + 1),
            f"members-{n}-user": irina.pk,
            f"members-{n}-role": ProjectMember.ProjectRole.CONSULTANT,
            f"members-{n}-responsibility": "Аналитика",
        }
    )
    change(login(admin_head), project, data)
    seat = ProjectMember.objects.get(project=project, user=irina)
    assert seat.agency_id == project.agency_id
    event = Event.objects.get(project=project, kind=Kind.MILESTONE)
    assert event.title == "Ирина Павлова в команде проекта: Консультант — Аналитика"
    assert AuditEntry.objects.filter(verb="team.joined", object_id=str(seat.pk)).exists()


def test_taking_someone_off_the_team_is_told_and_audited(login, admin_head, project, viktoria):
    members = list(project.members.order_by("pk"))
    n = next(i for i, m in enumerate(members) if m.user == viktoria)
    change(
        login(admin_head), project, project_post(project, members, **{f"members-{n}-DELETE": "on"})
    )
    assert not project.members.filter(user=viktoria).exists()
    assert Event.objects.get(
        project=project
    ).title == "Виктория Лебедева покинула команду проекта" or (
        "Виктория Лебедева" in Event.objects.get(project=project).title
    )
    assert AuditEntry.objects.filter(verb="team.left").exists()


def test_the_team_offers_the_agencys_staff_and_never_its_clients(
    login, admin_head, project, marina
):
    html = login(admin_head).get(f"/admin/clients/project/{project.pk}/change/").content.decode()
    assert "Сергей Соловьёв" in html
    assert "Марина Белова" not in html


def test_a_company_added_in_admin_is_the_heads_and_audited(login, admin_head, agency):
    response = login(admin_head).post(
        "/admin/clients/clientcompany/add/",
        {"name": "Новый клиент", "website": "", "tier": "standard", "language": "ru"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    company = ClientCompany.objects.get(name="Новый клиент")
    assert company.agency == agency
    assert AuditEntry.objects.filter(verb="company.created", object_id=str(company.pk)).exists()


def test_a_head_closes_projects_rather_than_deleting_them(login, admin_head, project):
    response = login(admin_head).post(
        f"/admin/clients/project/{project.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert Project.objects.filter(pk=project.pk).exists()
