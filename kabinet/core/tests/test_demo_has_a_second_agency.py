"""The demo has a second agency with its own people, client, project and items — none of which
the first agency's head can reach."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from kabinet.core.demo import OTHER_AGENCY_SLUG, PASSWORD
from kabinet.core.models import Membership, Role

pytestmark = pytest.mark.django_db


def test_the_second_demo_agency_has_its_own_head_manager_client_project_and_items():
    from kabinet.clients.models import Project
    from kabinet.promises.models import Promise
    from kabinet.questions.models import Thread
    from kabinet.timeline.models import Event
    from kabinet.work.models import Task

    call_command("demo", "--no-serve", verbosity=0)
    roles = set(
        Membership.objects.filter(agency__slug=OTHER_AGENCY_SLUG).values_list("role", flat=True)
    )
    assert {Role.HEAD, Role.ACCOUNT_MANAGER, Role.SPECIALIST, Role.CLIENT} <= roles
    project = Project.objects.get(agency__slug=OTHER_AGENCY_SLUG)
    assert project.members.count() == 2
    for model in (Event, Thread, Promise, Task):
        assert model.objects.filter(project=project).exists(), model.__name__


def test_the_first_demo_head_cannot_open_the_second_agencys_project_or_admin_rows():
    from kabinet.clients.models import ClientCompany, Project

    call_command("demo", "--no-serve", verbosity=0)
    client = Client()
    assert client.login(username="head@agency.example", password=PASSWORD)
    project = Project.objects.get(agency__slug=OTHER_AGENCY_SLUG)
    company = ClientCompany.objects.get(agency__slug=OTHER_AGENCY_SLUG)
    assert client.get(f"/projects/{project.pk}/").status_code == 404
    assert client.get(f"/admin/clients/project/{project.pk}/change/").status_code == 404
    assert client.get(f"/admin/clients/clientcompany/{company.pk}/change/").status_code == 404
    assert company.name not in client.get("/admin/clients/project/add/").content.decode()
