"""Issue 10 point 7: Marina's question and her approval do not end the agency's silence — Sergey's
project list still shows the days since the agency last published something to her."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kabinet.core.scoping import viewer_for
from kabinet.timeline.models import Decision, Kind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_marinas_own_question_and_approval_leave_sergey_nine_days_of_silence(
    page, browser_login, marina, sergey, project
):
    from kabinet.timeline.services import record_event

    nine_days_ago = timezone.now() - timedelta(days=9, hours=1)
    record_event(
        project=project,
        kind=Kind.REPORT,
        title="Отчёт за октябрь",
        author=sergey,
        occurred_at=nine_days_ago,
    )
    recommendation = record_event(
        project=project,
        kind=Kind.RECOMMENDATION,
        title="ТЗ на перелинковку",
        author=sergey,
        decision=Decision.PENDING,
        occurred_at=nine_days_ago,
    )

    browser_login(page, marina)
    page.goto(f"/events/{recommendation.pk}/")
    page.get_by_role("button", name="Согласовать").click()
    page.get_by_text("Спасибо, ваше решение записано.").wait_for()
    page.goto(f"/projects/{project.pk}/questions/ask/")
    page.fill("input[name=subject]", "Где отчёт за ноябрь?")
    page.fill("textarea[name=body]", "Ждём отчёт.")
    page.click("button.primary")
    page.wait_for_url("**/questions/*/")
    page.context.clear_cookies()

    browser_login(page, sergey)
    page.goto("/projects/")
    assert page.get_by_test_id("silence").inner_text() == "9"

    from kabinet.questions.models import Thread
    from kabinet.questions.services import reply

    reply(
        viewer=viewer_for(sergey),
        thread=Thread.objects.get(),
        body="Отчёт будет в пятницу, сверяем данные.",
    )
    page.reload()
    assert page.get_by_test_id("silence").inner_text() == "0"
