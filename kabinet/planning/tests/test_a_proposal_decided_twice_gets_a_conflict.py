"""Two managers decide one proposed deadline move at once: the first decision stands, the second
changes nothing and is shown the first — what was decided, by whom — next to what it entered."""

from __future__ import annotations

from kabinet.planning.models import ProposalStatus
from kabinet.timeline.models import Event, Kind
from kabinet.work.models import Task


def test_accepting_a_proposal_someone_rejected_meanwhile_is_a_conflict(
    proposal, sergey, head, login
):
    due_before = proposal.task.due_at
    rejected = login(head).post(
        f"/planning/proposals/{proposal.pk}/reject/", {"note": "Виктория успеет в выходные"}
    )
    assert rejected.status_code == 302

    second = login(sergey).post(
        f"/planning/proposals/{proposal.pk}/accept/",
        {
            "message": "Марина, тексты будут во вторник.",
            "reason": "больше проработки",
            "seen_new_due": proposal.new_due.isoformat(),
        },
    )

    assert second.status_code == 409
    html = second.content.decode()
    assert 'data-testid="conflict"' in html
    assert "Анна Королёва" in html  # who decided first
    assert "Виктория успеет в выходные" in html  # what she decided
    assert "Марина, тексты будут во вторник." in html  # what Sergey typed, still shown
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED and proposal.decided_by == head
    assert Task.objects.get(pk=proposal.task_id).due_at == due_before
    assert not Event.objects.filter(kind__in=[Kind.DEADLINE, Kind.MESSAGE]).exists()


def test_accepting_twice_tells_the_client_once(proposal, sergey, head, login):
    data = {
        "message": "Марина, тексты будут во вторник.",
        "reason": "больше проработки",
        "seen_new_due": proposal.new_due.isoformat(),
    }
    assert login(sergey).post(f"/planning/proposals/{proposal.pk}/accept/", data).status_code == 302

    second = login(head).post(f"/planning/proposals/{proposal.pk}/accept/", data)

    assert second.status_code == 409
    assert "Сергей Соловьёв" in second.content.decode()
    assert Event.objects.filter(kind=Kind.DEADLINE).count() == 1
