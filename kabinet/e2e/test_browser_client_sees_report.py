from __future__ import annotations

from datetime import date

import pytest

from kabinet.timeline.models import Kind, Visibility
from kabinet.timeline.services import record_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_marina_logs_in_opens_her_project_and_reads_the_report(
    page, browser_login, marina, project, sergey
):
    record_event(
        project=project,
        kind=Kind.REPORT,
        title="Отчёт за октябрь 2026",
        body="## Итоги\n\nВизиты из поиска: **+18%**",
        author=sergey,
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
    )
    record_event(
        project=project,
        kind=Kind.MESSAGE,
        title="Внутренняя заметка",
        author=sergey,
        visibility=Visibility.INTERNAL,
    )

    browser_login(page, marina)  # she lands on her project's home
    page.click(".project-links >> text=Хронология")
    page.wait_for_url(f"**/projects/{project.pk}/")

    chronology = page.locator("#chronology")
    assert chronology.get_by_text("Отчёт за октябрь 2026").is_visible()
    assert "Внутренняя заметка" not in chronology.inner_text()
    page.click("#chronology >> text=Отчёт за октябрь 2026")
    assert page.locator("article strong").inner_text() == "+18%"
    assert page.locator("html").get_attribute("lang") == "ru"
