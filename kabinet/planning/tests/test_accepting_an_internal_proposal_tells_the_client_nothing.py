from __future__ import annotations

from datetime import timedelta

from kabinet.planning.models import DeadlineProposal, ProposalStatus
from kabinet.timeline.models import Event
from kabinet.work.models import Task


def test_an_internal_task_gets_no_client_message_and_its_move_stays_internal(
    project, viktoria, sergey, marina, make_task, plan, now, login
):
    task = make_task(
        "Внутренний аудит ссылок", assignee=viktoria, hours=12, due=now + timedelta(hours=9)
    )
    plan()
    proposal = DeadlineProposal.objects.get(task=task)
    assert proposal.message == ""

    response = login(sergey).post(
        f"/planning/proposals/{proposal.pk}/accept/",
        {
            "message": "",
            "reason": "перегрузка на неделе",
            "seen_new_due": proposal.new_due.isoformat(),
        },
    )

    assert response.status_code == 302
    assert Task.objects.get(pk=task.pk).due_at == proposal.new_due
    assert DeadlineProposal.objects.get(pk=proposal.pk).status == ProposalStatus.ACCEPTED
    assert task.changes.get(field="due_at").reason == "перегрузка на неделе"
    assert not Event.objects.filter(project=project).exists()
