"""The weekly job reads a batch of projects in a constant number of queries: drafting nine
projects' letters costs the same queries as drafting three (it was some twenty per project)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kabinet.health.digests import services
from kabinet.health.models import Digest
from kabinet.health.tests import digest_week as w
from kabinet.health.tests.digest_projects import busy_project


def queries_of_the_job() -> int:
    Digest.objects.all().delete()
    with CaptureQueriesContext(connection) as captured:
        services.draft_due_digests(now=w.DRAFTED_AT)
    return len(captured)


def test_nine_projects_cost_the_queries_of_three(company, other_company, sergey, irina, marina):
    for i in range(3):
        busy_project((company, other_company)[i % 2], (sergey, irina)[i % 2], f"P{i}", lines=3)
    three = queries_of_the_job()
    for i in range(3, 9):
        busy_project((company, other_company)[i % 2], (sergey, irina)[i % 2], f"P{i}", lines=3)
    nine = queries_of_the_job()

    assert Digest.objects.count() == 9
    assert nine == three
