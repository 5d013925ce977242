"""The weekly job is declared in the schedule and drafts once per project and ISO week, however
often it runs; paused and closed projects get no letter."""

from __future__ import annotations

from datetime import timedelta

from kabinet.health.digests import services
from kabinet.health.models import Digest
from kabinet.health.tests import digest_week as w
from kabinet.jobs.periodic import registered


def test_the_job_is_in_the_schedule():
    job = next(j for j in registered() if j.name == "health.weekly_digests")

    assert job.every == timedelta(hours=1)


def test_running_the_job_again_drafts_nothing_new(project, other_project, sergey):
    first = services.draft_due_digests(now=w.DRAFTED_AT)
    second = services.draft_due_digests(now=w.DRAFTED_AT + timedelta(hours=5))

    assert first["drafted"] == 2 and second["drafted"] == 0
    assert Digest.objects.filter(week_start=w.WEEK).count() == 2


def test_a_draft_the_manager_edited_is_not_redrafted(project, sergey):
    from kabinet.core.scoping import viewer_for

    services.draft_due_digests(now=w.DRAFTED_AT)
    digest = Digest.objects.get(project=project)
    services.save_digest(
        viewer=viewer_for(sergey), digest=digest, subject="Тема", body="Мой текст", version=1
    )

    services.draft_due_digests(now=w.DRAFTED_AT + timedelta(hours=1))

    digest.refresh_from_db()
    assert digest.body == "Мой текст\n"


def test_the_next_week_gets_its_own_draft(project, sergey):
    services.draft_due_digests(now=w.DRAFTED_AT)
    services.draft_due_digests(now=w.DRAFTED_AT + timedelta(days=7))

    assert [d.week_start for d in Digest.objects.filter(project=project)] == [
        w.WEEK + timedelta(days=7),
        w.WEEK,
    ]


def test_paused_projects_get_no_letter(project, sergey):
    project.status = "paused"
    project.save(update_fields=["status"])

    assert services.draft_due_digests(now=w.DRAFTED_AT)["drafted"] == 0
