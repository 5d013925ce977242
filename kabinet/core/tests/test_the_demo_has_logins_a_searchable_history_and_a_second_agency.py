"""What `kabinet demo` builds: the logins it prints, a history found by another word form, and a
second agency with its own people, client, project and items — none of which the first agency's
head can reach.

These tests only read the demo, so it is built once for all of them (the `demo_output` fixture,
one transaction rolled back after the last test); each test still runs in its own savepoint.
Tests that build the demo again or change it (idempotence, --scale) are in
test_demo_is_idempotent.py.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from kabinet.core.demo import OTHER_AGENCY_SLUG, PASSWORD
from kabinet.core.models import Membership, Role, User
from kabinet.core.scoping import viewer_for
from kabinet.timeline.selectors import ChronologyFilter, chronology

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """The demo, built once for this module; what the command printed."""
    out = StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", "--no-serve", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def test_demo_prints_every_login_and_the_shared_password(demo_output):
    for email in [
        "marina@client.example",
        "oleg@client2.example",
        "sergey@agency.example",
        "viktoria@agency.example",
        "head@agency.example",
        "head@vektor.example",
    ]:
        assert email in demo_output
    assert "kabinet-demo" in demo_output and "http://127.0.0.1:8000/" in demo_output


def test_demo_logins_work_with_the_documented_password(demo_output):
    for email in [
        "head@agency.example",
        "sergey@agency.example",
        "viktoria@agency.example",
        "marina@client.example",
        "oleg@client2.example",
    ]:
        assert User.objects.get(email=email).check_password(PASSWORD), email
    managers = User.objects.filter(
        memberships__role="account_manager", memberships__agency__slug="demo"
    )
    specialists = User.objects.filter(
        memberships__role="specialist", memberships__agency__slug="demo"
    )
    assert managers.count() == 3
    assert specialists.count() == 6


def test_demo_history_is_found_by_another_word_form(demo_output):
    marina = viewer_for(User.objects.get(email="marina@client.example"))
    project = marina.user.membership.company.projects.order_by("pk").first()
    found = chronology(marina, project.pk, ChronologyFilter(q="отчёты"))
    assert found.exists()
    assert all(
        "тчёт" in (e.title + e.body).lower() or "тчет" in (e.title + e.body).lower() for e in found
    )


def test_the_second_demo_agency_has_its_own_head_manager_client_project_and_items(demo_output):
    from kabinet.clients.models import Project
    from kabinet.promises.models import Promise
    from kabinet.questions.models import Thread
    from kabinet.timeline.models import Event
    from kabinet.work.models import Task

    roles = set(
        Membership.objects.filter(agency__slug=OTHER_AGENCY_SLUG).values_list("role", flat=True)
    )
    assert {Role.HEAD, Role.ACCOUNT_MANAGER, Role.SPECIALIST, Role.CLIENT} <= roles
    project = Project.objects.get(agency__slug=OTHER_AGENCY_SLUG)
    assert project.members.count() == 2
    for model in (Event, Thread, Promise, Task):
        assert model.objects.filter(project=project).exists(), model.__name__


def test_the_first_demo_head_cannot_open_the_second_agencys_project_or_admin_rows(demo_output):
    from kabinet.clients.models import ClientCompany, Project

    client = Client()
    signed_in = client.post("/login/", {"username": "head@agency.example", "password": PASSWORD})
    assert signed_in.status_code == 302
    project = Project.objects.get(agency__slug=OTHER_AGENCY_SLUG)
    company = ClientCompany.objects.get(agency__slug=OTHER_AGENCY_SLUG)
    assert client.get(f"/projects/{project.pk}/").status_code == 404
    assert client.get(f"/admin/clients/project/{project.pk}/change/").status_code == 404
    assert client.get(f"/admin/clients/clientcompany/{company.pk}/change/").status_code == 404
    assert company.name not in client.get("/admin/clients/project/add/").content.decode()
