"""An absence entered by the person herself is visible to the planner at once: her work moves
past it, and the plan says who else (with the skill and a seat on the project) could do it."""

from __future__ import annotations

from datetime import date, timedelta

from kabinet.core.scoping import viewer_for
from kabinet.planning import services
from kabinet.planning.models import PlanRequest, ProposalStatus, ReassignmentProposal, TaskForecast


def test_viktorias_sick_days_move_her_audit_and_elena_is_proposed(
    agency, project, viktoria, elena, nikita, skills, make_task, plan, now
):
    audit = make_task(
        "Технический аудит",
        assignee=viktoria,
        hours=6,
        due=now + timedelta(days=1, hours=9),  # Tuesday 18:00
        skill=skills["SEO"],
    )
    plan()
    before = TaskForecast.objects.get(task=audit)
    assert before.late_hours == 0 and before.predicted_start.date() == date(2026, 12, 7)
    assert not ReassignmentProposal.objects.exists()

    PlanRequest.objects.filter(agency=agency).update(dirty=False)
    services.add_absence(
        viewer=viewer_for(viktoria),
        person=viktoria,
        kind="sick",
        starts_on="2026-12-07",
        ends_on="2026-12-08",
    )
    assert PlanRequest.objects.get(agency=agency).dirty  # the replan job is asked for at once

    plan()
    after = TaskForecast.objects.get(task=audit)
    assert after.predicted_start.date() >= date(2026, 12, 9)  # not before she is back
    assert after.late_hours > 0
    proposal = ReassignmentProposal.objects.get(task=audit, status=ProposalStatus.PENDING)
    assert proposal.from_person == viktoria and proposal.to_person == elena  # not Nikita: no SEO
    assert proposal.late_hours_after == 0 and proposal.late_hours_before == after.late_hours


def test_her_own_hours_and_capacity_replace_the_agencys(
    agency, project, viktoria, make_task, plan, now
):
    task = make_task("Отчёт", assignee=viktoria, hours=4, due=now + timedelta(days=5))
    services.save_schedule(
        viewer=viewer_for(viktoria),
        person=viktoria,
        work_start="12:00",
        work_end="20:00",
        weekdays=["1", "2", "3"],  # Tuesday to Thursday
        capacity_hours="3",
    )
    plan()
    forecast = TaskForecast.objects.get(task=task)
    start = forecast.predicted_start.astimezone(agency.calendar().tz)
    assert start.weekday() == 1 and start.hour == 12  # Tuesday at her own opening
    assert forecast.predicted_finish - forecast.predicted_start > timedelta(hours=20)  # 3 h a day
