"""Issue 10 point 5 (issue 16 point 6): Sergey accepts a new date for Marina's texts; more work
arrives and "Recompute" does not propose moving that date again. When it truly cannot be met, the
page says what would meet it, and a second move appears only when Sergey asks for it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from kabinet.planning.models import DeadlineProposal, ProposalStatus
from kabinet.planning.services import replan
from kabinet.work.models import Task
from kabinet.work.services import create_task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_accepted_date_is_not_moved_again_and_the_page_says_what_would_meet_it(
    page, browser_login, agency, project, sergey, viktoria, marina
):
    calendar = agency.calendar()
    today = timezone.localdate(timezone.now(), calendar.tz)
    due = calendar.closing_of(calendar.add_business_days(today, 1))
    task = create_task(
        viewer=None,
        project=project,
        title="Переписать тексты категорий",
        assignee=viktoria,
        estimate_hours=14,
        due_at=due,
        visibility="client",
    )
    replan(agency=agency, reason="test")
    proposal = DeadlineProposal.objects.get(task=task, status=ProposalStatus.PENDING)

    browser_login(page, sergey)
    page.goto("/planning/at-risk/")
    card = page.locator(f"#proposal-{proposal.pk}")
    card.locator("input[name=reason]").fill("нужно больше времени на тексты")
    card.locator("[data-testid=accept]").click()
    page.locator(f"#proposal-{proposal.pk} [data-testid=decided]").wait_for()
    task.refresh_from_db()
    accepted_due = task.due_at

    # New urgent work for Viktoria; Sergey recomputes.
    create_task(
        viewer=None,
        project=project,
        title="Срочный аудит",
        assignee=viktoria,
        estimate_hours=12,
        due_at=calendar.closing_of(calendar.add_business_days(today, 1)),
    )
    page.goto("/planning/at-risk/")
    page.get_by_role("button", name="Пересчитать сейчас").click()
    page.wait_for_load_state()
    page.goto("/planning/at-risk/")
    assert not DeadlineProposal.objects.filter(task=task, status=ProposalStatus.PENDING).exists()
    assert page.locator(f"[data-testid=proposal][data-task='{task.pk}']").count() == 0

    # The texts turn out bigger: the date cannot be met any more. The page says what would.
    Task.objects.filter(pk=task.pk).update(estimate_hours=40)
    replan(agency=agency, reason="test")
    page.goto("/planning/at-risk/")
    assert page.locator(f"[data-testid=proposal][data-task='{task.pk}']").count() == 0
    commitment = page.locator(f"[data-testid=commitment][data-task='{task.pk}']")
    assert "Больше времени" in commitment.get_by_test_id("option-capacity").inner_text()
    page.screenshot(path="/tmp/truth-commitment.png", full_page=True)

    # Only when Sergey asks is a second move proposed.
    commitment.get_by_test_id("ask-move").click()
    page.wait_for_load_state()
    asked = DeadlineProposal.objects.get(task=task, status=ProposalStatus.PENDING)
    assert asked.asked_by == sergey and asked.old_due == accepted_due
    assert page.locator(f"#proposal-{asked.pk} [data-testid=asked]").is_visible()
