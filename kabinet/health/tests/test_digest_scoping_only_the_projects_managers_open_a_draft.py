"""A draft is the agency's working paper: only the managers of its project (and the head) open
it; a client — of this company, another company or another agency — and a specialist get 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kabinet.core.testing import Role, make_company, make_project, make_user
from kabinet.health.digests import services
from kabinet.health.models import Digest
from kabinet.health.tests import digest_week as w


@pytest.fixture
def digest(project, sergey):
    services.draft_due_digests(now=w.DRAFTED_AT)
    return Digest.objects.get(project=project)


def test_the_projects_manager_and_the_head_open_the_draft(digest, login, sergey, head):
    assert login(sergey).get(reverse("health:digest", args=[digest.pk])).status_code == 200
    assert login(head).get(reverse("health:digest", args=[digest.pk])).status_code == 200


@pytest.mark.parametrize("who", ["oleg", "marina", "viktoria", "irina", "stranger"])
def test_everyone_else_gets_404_on_the_draft(digest, login, request, who, other_project):
    client = login(request.getfixturevalue(who))
    url = reverse("health:digest", args=[digest.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"subject": "x", "body": "y", "version": 1}).status_code == 404
    digest.refresh_from_db()
    assert digest.subject != "x" and not digest.is_sent


def test_a_client_of_another_agency_gets_404_on_the_draft(digest, login, stranger_agency):
    company = make_company(stranger_agency, "Чужой клиент")
    make_project(company, "SEO")
    client_user = make_user(stranger_agency, "c@other.test", Role.CLIENT, company=company)

    response = login(client_user).get(reverse("health:digest", args=[digest.pk]))

    assert response.status_code == 404


def test_another_companys_client_gets_404_on_the_projects_digest_page(project, login, oleg):
    url = reverse("health:project_digest", args=[project.pk])

    assert login(oleg).get(url).status_code == 404


def test_the_list_shows_a_manager_only_her_projects(digest, other_project, login, irina, sergey):
    services.draft_due_digests(now=w.DRAFTED_AT)  # drafts the other project's week too
    url = reverse("health:digests") + f"?week={w.WEEK.isoformat()}"

    assert [d.project for d in login(sergey).get(url).context["rows"]] == [digest.project]
    assert [d.project for d in login(irina).get(url).context["rows"]] == [other_project]


def test_another_companys_client_cannot_set_the_projects_digest_choice(project, login, oleg):
    url = reverse("health:digest_setting", args=[project.pk])

    assert login(oleg).post(url, {"send_as_drafted": "on"}).status_code == 404
    assert (
        not Digest.objects.exists()
        and not project.company.__class__.objects.filter(
            digest_setting__send_as_drafted=True
        ).exists()
    )
