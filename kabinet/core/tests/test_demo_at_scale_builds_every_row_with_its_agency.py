"""`kabinet demo --scale N`: the bulk history at a tiny N, with its tenant keys and stored results."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F

from kabinet.clients.models import ClientCompany, Project, ProjectMember
from kabinet.core import scale
from kabinet.core.models import Agency
from kabinet.planning.models import TaskForecast
from kabinet.questions.models import Message, Thread
from kabinet.timeline import search
from kabinet.timeline.models import Event
from kabinet.work.models import Task

pytestmark = pytest.mark.django_db

EVENTS = 2_000


@pytest.fixture
def built():
    call_command("demo", "--no-serve", verbosity=0)
    before = {m: m.objects.count() for m in (Event, Task, Thread)}
    call_command("demo", "--no-serve", "--scale", str(EVENTS), verbosity=0)
    return before


def test_the_scaled_demo_has_the_shape_asked_for(built):
    shape = scale.Shape.for_events(EVENTS)
    agency = Agency.objects.get(slug="demo")
    assert Event.objects.count() - built[Event] == EVENTS
    assert Task.objects.count() - built[Task] == shape.tasks
    assert Thread.objects.count() - built[Thread] == shape.threads
    assert ClientCompany.objects.filter(name__startswith=scale.COMPANY_PREFIX).count() == (
        shape.companies
    )
    big = Project.objects.get(agency=agency, company__name="ТехноДом", service="seo")
    assert big.events.count() >= shape.big_project_events
    assert Project.objects.filter(company__name__startswith=scale.COMPANY_PREFIX).count() == (
        shape.projects - 1  # and the demo's own ТехноДом SEO, which grows
    )


def test_every_scaled_row_carries_the_agency_of_its_project(built):
    assert not Event.objects.exclude(agency=F("project__agency")).exists()
    assert not Task.objects.exclude(agency=F("project__agency")).exists()
    assert not Thread.objects.exclude(agency=F("project__agency")).exists()
    assert not Message.objects.exclude(agency=F("thread__agency")).exists()
    assert not ProjectMember.objects.exclude(agency=F("project__agency")).exists()
    assert not TaskForecast.objects.exclude(agency=F("task__agency")).exists()
    assert not Project.objects.exclude(agency=F("company__agency")).exists()


def test_the_scaled_history_is_searchable_and_its_plan_stored(built):
    agency = Agency.objects.get(slug="demo")
    scaled = Event.objects.filter(project__company__name__startswith=scale.COMPANY_PREFIX)
    assert search.filter_events(scaled, "дубли страниц").exists()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {search.FTS_TABLE}")
            assert cursor.fetchone()[0] == Event.objects.count()
    open_tasks = Task.objects.filter(agency=agency, status__in=Task.OPEN_STATUSES)
    assert open_tasks.exists()
    scaled_open = open_tasks.filter(project__company__name__startswith=scale.COMPANY_PREFIX)
    assert scaled_open.exists()
    assert not scaled_open.filter(forecast__isnull=True).exists()
    silent = Project.objects.filter(
        company__name__startswith=scale.COMPANY_PREFIX, last_client_update_at__isnull=True
    )
    assert not silent.filter(events__visibility="client").exists()


def test_running_the_scaled_demo_again_adds_nothing(built):
    count = Event.objects.count()
    call_command("demo", "--no-serve", "--scale", str(EVENTS), verbosity=0)
    assert Event.objects.count() == count


@pytest.mark.parametrize("bad", ["0", "ten", "50", "9m"])
def test_demo_refuses_a_scale_it_cannot_build_with_a_clear_message(bad):
    with pytest.raises(CommandError, match="--scale"):
        call_command("demo", "--no-serve", "--scale", bad)
