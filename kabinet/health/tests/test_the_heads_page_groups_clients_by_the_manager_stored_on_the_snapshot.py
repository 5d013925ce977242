"""The daily job stores each client company's account manager on the company's snapshot row, and
the head's page groups its clients by that stored manager (it does not look the team up again
per company). A change of the project team rewrites the stored manager of the latest day. Work
at risk per manager counts the open tasks, overdue or forecast late, of that manager's clients
only — not their done or not-yet-due work, and nothing of a second agency, even where the same
person manages clients there or its clients have no manager either."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kabinet.clients.models import ProjectMember
from kabinet.clients.services import save_team
from kabinet.core.models import Membership, Role
from kabinet.core.scoping import viewer_for
from kabinet.core.testing import make_company, make_project
from kabinet.health.models import UnderstandingSnapshot
from kabinet.health.understanding import take_snapshots
from kabinet.planning.models import PlanRun, TaskForecast
from kabinet.work.models import Task


def _task(project, title: str, *, due_in_days: float | None, status=Task.Status.TODO) -> Task:
    due = timezone.now() + timedelta(days=due_in_days) if due_in_days is not None else None
    return Task.objects.create(
        agency=project.agency, project=project, title=title, due_at=due, status=status
    )


def _forecast_late(task: Task, hours: float) -> None:
    run = PlanRun.objects.create(agency=task.agency)
    TaskForecast.objects.create(
        agency=task.agency, task=task, plan_run=run, weight=1, late_hours=hours, one_line="late"
    )


@pytest.fixture
def clients(agency, sergey, irina, stranger_agency):
    """Sergey's, Irina's and an unmanaged client here; in the second agency a client Sergey also
    manages there and an unmanaged one — each with late work; snapshots of today in both."""
    seo = make_project(make_company(agency, "Сергеев клиент"), "SEO", manager=sergey)
    ppc = make_project(make_company(agency, "Иринин клиент"), "PPC", manager=irina)
    alone = make_project(make_company(agency, "Ничей клиент"), "SMM")

    _task(seo, "overdue", due_in_days=-2)
    _forecast_late(_task(seo, "will be late", due_in_days=3), hours=5)
    _forecast_late(_task(seo, "on time", due_in_days=3), hours=0)
    _task(seo, "not due yet", due_in_days=5)
    _task(seo, "done late", due_in_days=-3, status=Task.Status.DONE)
    _task(seo, "cancelled", due_in_days=-3, status=Task.Status.CANCELLED)
    _task(ppc, "overdue", due_in_days=-1)
    _task(alone, "waiting, overdue", due_in_days=-1, status=Task.Status.WAITING_CLIENT)

    Membership.objects.create(agency=stranger_agency, user=sergey, role=Role.ACCOUNT_MANAGER)
    theirs = make_project(make_company(stranger_agency, "Чужой клиент"), "SEO", manager=sergey)
    nobodys = make_project(make_company(stranger_agency, "Чужой ничей"), "SEO")
    for project in (theirs, nobodys):
        for n in range(3):
            _task(project, f"overdue {n}", due_in_days=-1)
        _forecast_late(_task(project, "late", due_in_days=2), hours=8)

    take_snapshots(agency, alarms=False)
    take_snapshots(stranger_agency, alarms=False)
    return {"seo": seo, "ppc": ppc, "alone": alone, "theirs": theirs}


def _rows(agency) -> dict:
    return {
        s.company.name: s.manager
        for s in UnderstandingSnapshot.objects.filter(agency=agency, project=None)
    }


def test_the_daily_job_stores_each_clients_account_manager(clients, agency, sergey, irina):
    assert _rows(agency) == {
        "Сергеев клиент": sergey,
        "Иринин клиент": irina,
        "Ничей клиент": None,
    }
    assert not UnderstandingSnapshot.objects.filter(project__isnull=False, manager__isnull=False)


def test_the_page_groups_by_the_stored_manager_and_follows_a_team_change(
    clients, agency, login, head, sergey, irina
):
    page = login(head)
    view = page.get("/understanding/").context["view"]
    assert {m.manager: m.clients for m in view.managers} == {sergey: 1, irina: 1, None: 1}

    # The stored manager is what the page reads: rewritten on the row, the page follows it even
    # though the project's team still names Irina.
    UnderstandingSnapshot.objects.filter(company=clients["ppc"].company, project=None).update(
        manager=sergey
    )
    view = page.get("/understanding/").context["view"]
    assert {m.manager: m.clients for m in view.managers} == {sergey: 2, None: 1}
    sergeys = next(m for m in view.managers if m.manager == sergey)
    listed = page.get(f"/understanding/?manager={sergeys.key}").context["view"]
    assert {c.company.name for c in listed.clients} == {"Сергеев клиент", "Иринин клиент"}
    assert {c.manager for c in listed.clients} == {sergey}

    # The head puts Irina on the unmanaged client's team: its latest row names her at once.
    save_team(
        viewer=viewer_for(head),
        project=clients["alone"],
        members=[ProjectMember(user=irina, role=ProjectMember.ProjectRole.ACCOUNT_MANAGER)],
        removed=[],
    )
    assert _rows(agency)["Ничей клиент"] == irina
    view = page.get("/understanding/").context["view"]
    assert {m.manager: m.clients for m in view.managers} == {sergey: 2, irina: 1}


def test_work_at_risk_counts_the_open_late_tasks_of_the_managers_own_clients_only(
    clients, login, head, sergey, irina
):
    view = login(head).get("/understanding/").context["view"]

    at_risk = {m.manager: m.at_risk for m in view.managers}
    # Sergey: the overdue task and the one forecast late — not the one on time, the one not due
    # yet, the done or cancelled ones, nor his client's four late tasks in the other agency.
    assert at_risk[sergey] == 2
    assert at_risk[irina] == 1
    assert at_risk[None] == 1  # the other agency's unmanaged client does not count here
    by_client = {c.company.name: c.at_risk for c in view.clients}
    assert by_client == {"Сергеев клиент": 2, "Иринин клиент": 1, "Ничей клиент": 1}
