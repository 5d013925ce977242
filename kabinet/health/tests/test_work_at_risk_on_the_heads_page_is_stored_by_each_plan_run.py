"""The head's page reads each client's work at risk from the company's snapshot row, where the
daily job and every plan run store it (issue 15: counts are read from stored results, never
recomputed per request). A change of the work shows on the page after the plan run it triggers,
a task done leaves the count, another agency's plan run leaves this agency's counts alone, and
the page says when the work was counted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kabinet.core.testing import make_company, make_project
from kabinet.health.models import UnderstandingSnapshot
from kabinet.health.understanding import take_snapshots
from kabinet.planning.services import replan
from kabinet.work.models import Task


def _overdue(project, title: str) -> Task:
    return Task.objects.create(
        agency=project.agency,
        project=project,
        title=title,
        due_at=timezone.now() - timedelta(days=1),
    )


@pytest.fixture
def seo(agency, sergey, stranger_agency):
    project = make_project(make_company(agency, "Сергеев клиент"), "SEO", manager=sergey)
    _overdue(project, "overdue before the daily job")
    theirs = make_project(make_company(stranger_agency, "Чужой клиент"), "SEO")
    _overdue(theirs, "theirs")
    take_snapshots(agency, alarms=False)
    take_snapshots(stranger_agency, alarms=False)
    return project


def _at_risk(page) -> dict:
    view = page.get("/understanding/").context["view"]
    return {c.company.name: c.at_risk for c in view.clients} | {
        "manager": sum(m.at_risk for m in view.managers)
    }


def test_the_page_reads_the_count_the_daily_job_stored(seo, login, head):
    assert _at_risk(login(head)) == {"Сергеев клиент": 1, "manager": 1}


def test_new_late_work_shows_after_the_plan_run_and_done_work_leaves_it(seo, agency, login, head):
    page = login(head)
    second = _overdue(seo, "overdue after the daily job")
    # Stored, not counted per request: the page waits for the plan run the change triggers.
    assert _at_risk(page)["Сергеев клиент"] == 1

    replan(agency=agency, reason="test")
    assert _at_risk(page) == {"Сергеев клиент": 2, "manager": 2}

    second.status = Task.Status.DONE
    second.save(update_fields=["status"])
    replan(agency=agency, reason="test")
    assert _at_risk(page) == {"Сергеев клиент": 1, "manager": 1}


def test_another_agencys_plan_run_leaves_this_agencys_counts_alone(
    seo, agency, stranger_agency, login, head
):
    UnderstandingSnapshot.objects.filter(agency=agency).update(at_risk=7)
    replan(agency=stranger_agency, reason="test")
    assert _at_risk(login(head))["Сергеев клиент"] == 7
    theirs = UnderstandingSnapshot.objects.get(agency=stranger_agency, project=None)
    assert theirs.at_risk == 1


def test_the_page_says_when_the_work_at_risk_was_counted(seo, agency, login, head):
    counted = timezone.now() - timedelta(minutes=30)
    UnderstandingSnapshot.objects.filter(agency=agency).update(at_risk_at=counted)
    response = login(head).get("/understanding/")  # the head reads Russian
    assert response.context["view"].at_risk_at == counted
    assert "посчитана последним планированием" in response.content.decode()

    head.language = "en"
    head.save(update_fields=["language"])
    assert "as counted by the last plan run" in login(head).get("/understanding/").content.decode()
