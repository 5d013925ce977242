"""Issue 10 point 6: the proposed message never blames the agency's workload; Sergey edits the
date, picks the reason Marina is given, keeps his internal reason to himself; Marina reads the new
date, what she gets then and that reason. An English-speaking client's draft is in English."""

from __future__ import annotations

import pytest
from django.utils import timezone

from kabinet.planning.models import DeadlineProposal, ProposalStatus
from kabinet.planning.services import replan
from kabinet.work.services import create_task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sergey_edits_the_date_picks_the_reason_and_marina_reads_no_excuse_about_workload(
    page, browser_login, agency, company, project, sergey, viktoria, marina
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
    drafted = card.locator("textarea[name=message]").input_value()
    assert "график" not in drafted.lower() and "загруж" not in drafted.lower()
    assert "«Переписать тексты категорий» вы получите к" in drafted

    later = calendar.closing_of(calendar.add_business_days(today, 6)).astimezone(calendar.tz)
    card.locator("input[name=new_due]").fill(later.strftime("%Y-%m-%dT%H:%M"))
    card.locator("select[name=client_reason]").select_option("waiting_client")
    card.locator("input[name=reason]").fill("Виктория перегружена аудитами")
    card.locator("[data-testid=accept]").click()
    page.locator(f"#proposal-{proposal.pk} [data-testid=decided]").wait_for()
    task.refresh_from_db()
    assert task.due_at == later

    page.context.clear_cookies()
    browser_login(page, marina)
    page.goto(f"/projects/{project.pk}/")
    text = page.locator("#chronology").inner_text()
    assert "ждём от вас материалы или доступы" in text
    assert f"вы получите к {later.day} " in text
    assert "перегружена" not in text and "график" not in text.lower()

    # An English-speaking client gets the draft in English, with no excuse about workload either.
    company.language = "en"
    company.save(update_fields=["language"])
    other = create_task(
        viewer=None,
        project=project,
        title="Rewrite the blog",
        assignee=viktoria,
        estimate_hours=30,
        due_at=due,
        visibility="client",
    )
    replan(agency=agency, reason="test")
    english = DeadlineProposal.objects.get(task=other, status=ProposalStatus.PENDING)
    page.context.clear_cookies()
    browser_login(page, sergey)
    page.goto("/planning/at-risk/")
    drafted = page.locator(f"#proposal-{english.pk} textarea[name=message]").input_value()
    assert "You will receive “Rewrite the blog” by" in drafted
    assert "We are moving the date because we want to do it thoroughly" in drafted
    assert "schedule" not in drafted.lower()
