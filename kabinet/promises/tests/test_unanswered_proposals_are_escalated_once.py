"""A proposal nobody confirms or dismisses within a business day goes to the manager, once."""

from __future__ import annotations

from kabinet.core.models import Notification
from kabinet.jobs.schedule import SCHEDULE
from kabinet.promises import services
from kabinet.promises.models import PromiseProposal
from kabinet.promises.tasks import escalate_proposals
from kabinet.promises.tests.conftest import msk


def escalations(user):
    return Notification.objects.filter(user=user, kind="promise_proposal_escalated")


def test_nothing_is_escalated_within_the_business_day(wednesday, write, project, viktoria, sergey):
    write(project, viktoria, "Исправлю ошибки 404 в понедельник.")

    assert services.escalate_unconfirmed_proposals(now=msk(2026, 12, 2, 17, 59)) == 0
    assert not escalations(sergey).exists()


def test_the_job_run_twice_tells_the_projects_manager_once(
    wednesday, write, project, viktoria, sergey
):
    write(project, viktoria, "Исправлю ошибки 404 в понедельник.")
    slot = msk(2026, 12, 3, 10, 0).isoformat()

    first = escalate_proposals.call(slot)
    second = escalate_proposals.call(slot)

    assert (first, second) == (1, 0)
    assert escalations(sergey).count() == 1
    assert PromiseProposal.objects.get().escalated_at == msk(2026, 12, 3, 10, 0)


def test_a_confirmed_or_dismissed_proposal_is_not_escalated(
    wednesday, write, project, viktoria, sergey, as_viewer
):
    write(project, viktoria, "Исправлю ошибки 404 в понедельник.")
    services.dismiss_proposal(viewer=as_viewer(viktoria), proposal=PromiseProposal.objects.get())

    assert services.escalate_unconfirmed_proposals(now=msk(2026, 12, 4, 10, 0)) == 0


def test_the_escalation_is_a_scheduled_periodic_job():
    assert "promises.escalate_proposals" in {job.name for job in SCHEDULE}
