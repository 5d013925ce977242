"""The rules job asks which causes it has already acted on in one query per batch, so a run that
finds only old causes costs the same for 5 silent projects as for 50 (and for 5 or 50 projects
without their report); only a new cause costs its task."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kabinet.clients.models import Project
from kabinet.core.testing import make_project
from kabinet.lib.business_calendar import DEFAULT_TZ as MSK
from kabinet.work.models import AutomationRule, RuleFiring
from kabinet.work.rules import run_all_rules
from kabinet.work.services import ensure_default_rules

SILENT_SINCE = datetime(2027, 3, 1, 12, tzinfo=MSK)
NOW = datetime(2027, 3, 12, 10, tzinfo=MSK)  # 9 business days of silence; February's report late


def projects_up_to(count: int, company, sergey, viktoria) -> None:
    while Project.objects.count() < count:
        make_project(
            company, f"SEO {Project.objects.count()}", manager=sergey, specialists=(viktoria,)
        )
    Project.objects.update(last_client_update_at=SILENT_SINCE, start_date=datetime(2027, 1, 1))


def run_counted() -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        fired = run_all_rules(NOW)
    return fired, len(queries)


@pytest.mark.parametrize("kind", ["client_silence", "report_missing"])
def test_a_run_over_causes_already_acted_on_costs_the_same_for_5_and_50(
    kind, agency, company, sergey, viktoria
):
    ensure_default_rules(agency=agency)
    AutomationRule.objects.filter(agency=agency).exclude(kind=kind).update(enabled=False)

    projects_up_to(5, company, sergey, viktoria)
    fired_5, _ = run_counted()
    again_5 = run_counted()
    projects_up_to(50, company, sergey, viktoria)
    fired_45, _ = run_counted()
    again_50 = run_counted()

    assert (fired_5, fired_45) == (5, 45)
    assert again_5[0] == again_50[0] == 0
    assert again_5[1] == again_50[1]
    assert RuleFiring.objects.count() == 50
