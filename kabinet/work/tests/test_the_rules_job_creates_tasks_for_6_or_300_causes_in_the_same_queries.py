"""The rules job fires all the new causes of a rule together: the firings, their tasks, the audit
entries and the assignees' notifications each in one multi-row insert, so acting on 300 silent
projects (or 300 missing reports) costs the same queries as acting on 6 — and it writes exactly
what firing them one cause at a time wrote."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from kabinet.clients.models import Project
from kabinet.core.testing import make_project
from kabinet.lib.business_calendar import DEFAULT_TZ as MSK
from kabinet.planning.services import request_replan
from kabinet.work import services
from kabinet.work.models import AutomationRule, RuleFiring, Task
from kabinet.work.rules import run_all_rules
from kabinet.work.services import ensure_default_rules
from kabinet.work.tests.written_by_jobs import written

SILENT_SINCE = datetime(2027, 3, 1, 12, tzinfo=MSK)
NOW = datetime(2027, 3, 12, 10, tzinfo=MSK)  # 9 business days of silence; February's report late
# Django writes at most 999 values into one SQLite statement, so there a multi-row insert of 300
# tasks is split in several; 40 still fit one.
MANY = 300 if connection.vendor == "postgresql" else 40


class Rollback(Exception):
    pass


def only(kind: str, agency) -> None:
    ensure_default_rules(agency=agency)
    AutomationRule.objects.filter(agency=agency).exclude(kind=kind).update(enabled=False)


def projects_up_to(count: int, companies, sergey, irina, viktoria) -> None:
    """Sergey with Viktoria, or Irina alone, on every other project."""
    while Project.objects.count() < count:
        n = Project.objects.count()
        if n % 2:
            make_project(companies[n % 2], f"SEO {n}", manager=irina)
        else:
            make_project(companies[n % 2], f"SEO {n}", manager=sergey, specialists=(viktoria,))
    Project.objects.update(last_client_update_at=SILENT_SINCE, start_date=datetime(2027, 1, 1))


def run_counted() -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        fired = run_all_rules(NOW)
    return fired, len(queries)


@pytest.mark.parametrize("kind", ["client_silence", "report_missing"])
def test_acting_on_300_causes_costs_the_same_queries_as_on_6(
    kind, agency, company, other_company, sergey, irina, viktoria
):
    only(kind, agency)
    request_replan(agency_id=agency.pk)  # the agency's plan row is there from now on
    projects_up_to(6, [company, other_company], sergey, irina, viktoria)
    fired_6, first = run_counted()
    projects_up_to(6 + MANY, [company, other_company], sergey, irina, viktoria)
    fired_many, second = run_counted()

    assert (fired_6, fired_many) == (6, MANY)
    assert first == second
    assert Task.objects.count() == RuleFiring.objects.count() == 6 + MANY
    assert not RuleFiring.objects.filter(task=None).exists()
    assert run_all_rules(NOW) == 0


@pytest.mark.parametrize("kind", ["client_silence", "report_missing"])
def test_what_it_writes_is_what_firing_one_cause_at_a_time_wrote(
    kind, agency, company, other_company, sergey, irina, viktoria, monkeypatch
):
    only(kind, agency)
    for person in (sergey, viktoria):  # Irina reads Russian
        person.language = "en"
        person.save(update_fields=["language"])
    projects_up_to(8, [company, other_company], sergey, irina, viktoria)

    def meanwhile(**kwargs):
        raise IntegrityError("as if another run took them: one cause at a time")

    try:
        with transaction.atomic(), monkeypatch.context() as patched:
            patched.setattr(services, "create_system_tasks", meanwhile)
            assert run_all_rules(NOW) == 8
            one_at_a_time = written()
            raise Rollback
    except Rollback:
        pass
    assert Task.objects.count() == RuleFiring.objects.count() == 0
    with CaptureQueriesContext(connection) as queries:
        assert run_all_rules(NOW) == 8

    together = written()
    assert together == one_at_a_time
    assert len(together["tasks"]) == len(together["audit"]) == len(together["firings"]) == 8
    assert len(together["notifications"]) == 8
    titles = {title for _k, _u, title, *_ in together["notifications"]}
    assert any(t.startswith("New task for you: ") for t in titles)  # to Sergey or Viktoria
    assert any(t.startswith("Новая задача для вас: ") for t in titles)  # to Irina
    assert not [q for q in queries if 'INSERT INTO "work_task"' in q["sql"]][1:]
