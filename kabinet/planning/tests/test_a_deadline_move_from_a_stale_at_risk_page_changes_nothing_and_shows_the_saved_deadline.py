"""Two managers have the at-risk page open. The head changes the task herself (gives it more
hours); Sergey, on the page loaded before, accepts the plan's proposed move: nothing moves, nobody
is told, and he gets 409 with the task saved now (by the head) — its deadline next to the date he
asked for — his message still in the form. Accepted again from that answer (its hidden version is
the task's current one), the move goes through. The same holds for the bulk accept of internal
moves and for "propose moving the date anyway". (Had the head moved the deadline itself, the
proposal would be out of date until the next replan: see
test_a_proposal_whose_task_deadline_changed_since_cannot_be_accepted.)"""

from __future__ import annotations

import re
from datetime import timedelta

from kabinet.core.scoping import viewer_for
from kabinet.planning import services
from kabinet.planning.models import DeadlineProposal, ProposalStatus
from kabinet.timeline.models import Event, Kind
from kabinet.work.models import Task


def _proposal_version(html: str, proposal: DeadlineProposal) -> str:
    card = re.search(rf'id="proposal-{proposal.pk}".*?</form>', html, re.S).group(0)
    return re.search(r'name="version" value="(\d+)"', card).group(1)


def _head_moves_the_deadline(login, head, task, days: int = 3) -> Task:
    response = login(head).post(
        f"/tasks/{task.pk}/move/",
        {
            "due_at": (task.due_at + timedelta(days=days)).strftime("%Y-%m-%d %H:%M"),
            "reason": "клиент просил позже",
        },
    )
    assert response.status_code == 302
    return Task.objects.get(pk=task.pk)


def _head_gives_it_more_hours(head, task) -> Task:
    from kabinet.work.services import change_task

    return change_task(viewer=head, task=task, estimate_hours=task.estimate_hours + 4)


def test_accepting_a_move_on_a_stale_page_changes_nothing_and_shows_the_saved_deadline(
    proposal, sergey, head, login
):
    sergeys = login(sergey)
    seen = _proposal_version(sergeys.get("/planning/at-risk/").content.decode(), proposal)
    assert seen == str(proposal.task.version)
    changed = _head_gives_it_more_hours(head, proposal.task)
    events = Event.objects.filter(kind__in=[Kind.DEADLINE, Kind.MESSAGE]).count()

    asked = proposal.new_due.astimezone(changed.project.agency.calendar().tz)
    data = {
        "new_due": asked.strftime("%Y-%m-%dT%H:%M"),
        "message": "Марина, тексты будут во вторник.",
        "reason": "больше проработки",
        "seen_new_due": proposal.new_due.isoformat(),
        "version": seen,
    }
    second = sergeys.post(f"/planning/proposals/{proposal.pk}/accept/", data)

    assert second.status_code == 409
    html = second.content.decode()
    assert 'data-testid="conflict"' in html
    assert "Анна Королёва" in html  # who changed it
    row = re.search(r'<tr[^>]*data-field="new_due".*?</tr>', html, re.S).group(0)
    saved_due = changed.due_at.astimezone(asked.tzinfo).strftime("%Y-%m-%d %H:%M")
    assert saved_due in row and asked.strftime("%Y-%m-%d %H:%M") in row
    assert "Марина, тексты будут во вторник." in html  # what he typed is kept
    after = Task.objects.get(pk=proposal.task_id)
    assert (after.due_at, after.version) == (changed.due_at, changed.version)
    assert Event.objects.filter(kind__in=[Kind.DEADLINE, Kind.MESSAGE]).count() == events
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING

    # Accepting again from the 409 answer is a choice made with the saved deadline in view.
    assert _proposal_version(html, proposal) == str(changed.version)
    again = sergeys.post(
        f"/planning/proposals/{proposal.pk}/accept/", {**data, "version": changed.version}
    )
    assert again.status_code == 302
    assert Task.objects.get(pk=proposal.task_id).due_at == proposal.new_due


def test_over_htmx_the_stale_accept_answers_the_card_with_the_panel(proposal, sergey, head, login):
    seen = proposal.task.version
    _head_moves_the_deadline(login, head, proposal.task)

    response = login(sergey).post(
        f"/planning/proposals/{proposal.pk}/accept/",
        {
            "message": "Марина, тексты будут во вторник.",
            "reason": "больше проработки",
            "seen_new_due": proposal.new_due.isoformat(),
            "version": seen,
        },
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert f'id="proposal-{proposal.pk}"' in html and 'data-testid="conflict"' in html


def test_the_bulk_accept_from_a_stale_page_moves_nothing(
    project, viktoria, sergey, head, make_task, plan, now, login
):
    tasks = [
        make_task(f"Внутренняя {i}", assignee=viktoria, hours=10, due=now + timedelta(hours=8))
        for i in range(2)
    ]
    plan()
    proposals = list(DeadlineProposal.objects.filter(task__in=tasks, status="pending"))
    assert len(proposals) == 2
    html = login(sergey).get("/planning/at-risk/").content.decode()
    for p in proposals:
        assert f'name="version_{p.pk}" value="{p.task.version}"' in html
    changed = _head_gives_it_more_hours(head, proposals[0].task)

    def bulk(versions):
        data = {"pick": [p.pk for p in proposals], "bulk_reason": "перепланировали"}
        for p, version in zip(proposals, versions, strict=True):
            data[f"due_{p.pk}"] = p.new_due.astimezone(
                changed.project.agency.calendar().tz
            ).strftime("%Y-%m-%dT%H:%M")
            data[f"version_{p.pk}"] = version
        return login(sergey).post("/planning/at-risk/bulk-accept/", data)

    stale = bulk([p.task.version for p in proposals])

    assert stale.status_code == 409
    assert "Анна Королёва" in stale.content.decode()
    assert Task.objects.get(pk=proposals[0].task_id).due_at == proposals[0].old_due
    assert Task.objects.get(pk=proposals[1].task_id).due_at == proposals[1].old_due
    assert (
        not DeadlineProposal.objects.filter(pk__in=[p.pk for p in proposals])
        .exclude(status="pending")
        .exists()
    )

    current = bulk([changed.version, proposals[1].task.version])
    assert current.status_code == 302
    assert Task.objects.get(pk=proposals[1].task_id).due_at == proposals[1].new_due


def test_asking_for_a_move_on_a_stale_page_asks_nothing(
    project, viktoria, sergey, head, make_task, plan, now, login
):
    task = make_task(
        "Переписать тексты категорий",
        assignee=viktoria,
        hours=12,
        due=now + timedelta(hours=9),
        visibility="client",
    )
    plan()
    first = DeadlineProposal.objects.get(task=task, status=ProposalStatus.PENDING)
    services.accept_proposal(
        viewer=viewer_for(head),
        proposal=first,
        message="Марина, тексты будут во вторник.",
        reason="нужно время",
    )
    Task.objects.filter(pk=task.pk).update(estimate_hours=40)
    plan()
    task.refresh_from_db()
    html = login(sergey).get("/planning/at-risk/").content.decode()
    assert 'data-testid="ask-move"' in html
    seen = task.version
    assert f'name="version" value="{seen}"' in html
    # Meanwhile the head gives the task more hours (a later date would no longer be the date the
    # client has: nothing to ask for).
    from kabinet.work.services import change_task

    moved = change_task(viewer=head, task=task, estimate_hours=50, reason="объём вырос")

    stale = login(sergey).post(f"/planning/tasks/{task.pk}/ask-move/", {"version": seen})

    assert stale.status_code == 409
    page = stale.content.decode()
    assert 'data-testid="conflict"' in page and "Анна Королёва" in page
    row = re.search(r'<tr[^>]*data-field="estimate_hours".*?</tr>', page, re.S).group(0)
    assert 'data-testid="saved">50<' in row
    assert not DeadlineProposal.objects.filter(task=task, status=ProposalStatus.PENDING).exists()

    current = login(sergey).post(f"/planning/tasks/{task.pk}/ask-move/", {"version": moved.version})
    assert current.status_code == 302
    asked = DeadlineProposal.objects.get(task=task, status=ProposalStatus.PENDING)
    assert asked.asked_by == sergey
