from __future__ import annotations

import pytest
from django.utils import timezone

from kabinet.planning.models import DeadlineProposal, ProposalStatus
from kabinet.planning.services import replan
from kabinet.work.models import Task
from kabinet.work.services import create_task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sergey_accepts_a_proposed_deadline_and_marina_reads_it_in_her_chronology(
    page, browser_login, agency, project, sergey, viktoria, marina
):
    calendar = agency.calendar()
    today = timezone.localdate(timezone.now(), calendar.tz)
    due = calendar.closing_of(calendar.add_business_days(today, 1))
    # Fourteen hours of writing due the next business day: with six focused hours a day (at most
    # twelve before the due date, whenever the test runs) it is late.
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
    assert "Марина, добрый день!" in card.locator("textarea[name=message]").input_value()
    card.locator("textarea[name=message]").fill(
        "Марина, добрый день! Тексты категорий пришлём позже — делаем их глубже."
    )
    card.locator("input[name=reason]").fill("нужна дополнительная проработка текстов")
    card.locator("[data-testid=accept]").click()
    page.locator(f"#proposal-{proposal.pk} [data-testid=decided]").wait_for()

    task.refresh_from_db()
    proposal.refresh_from_db()
    assert task.due_at == proposal.new_due and proposal.status == ProposalStatus.ACCEPTED
    assert Task.objects.get(pk=task.pk).changes.get(field="due_at").actor == sergey

    page.context.clear_cookies()
    browser_login(page, marina)
    page.goto(f"/projects/{project.pk}/")
    chronology = page.locator("#chronology")
    text = chronology.inner_text()
    assert "Переписать тексты категорий" in text
    assert (
        "нужна дополнительная проработка текстов" not in text
    )  # the internal reason stays internal
    assert "Тексты категорий пришлём позже — делаем их глубже." in text
