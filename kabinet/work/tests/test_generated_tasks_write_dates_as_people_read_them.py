"""Tasks the rules and the understanding alarms write say their dates as the assignee reads them
("since 01.03.2027" in Russian), not as the database keeps them ("since 2027-03-01")."""

from __future__ import annotations

from datetime import datetime

import pytest

from kabinet.clients.models import Project
from kabinet.lib.business_calendar import DEFAULT_TZ as MSK
from kabinet.work.models import AutomationRule, Task
from kabinet.work.rules import run_all_rules
from kabinet.work.services import ensure_default_rules


@pytest.mark.parametrize("language,day", [("ru", "01.03.2027"), ("en", "03/01/2027")])
def test_the_silence_task_names_the_day_in_the_managers_format(
    agency, project, sergey, language, day
):
    sergey.language = language
    sergey.save(update_fields=["language"])
    ensure_default_rules(agency=agency)
    AutomationRule.objects.filter(agency=agency).exclude(kind="client_silence").update(
        enabled=False
    )
    Project.objects.filter(pk=project.pk).update(
        last_client_update_at=datetime(2027, 3, 1, 12, tzinfo=MSK)
    )

    run_all_rules(datetime(2027, 3, 12, 10, tzinfo=MSK))

    task = Task.objects.get(project=project, source_type="rule")
    assert day in task.description
    assert "2027-03-01" not in task.description
