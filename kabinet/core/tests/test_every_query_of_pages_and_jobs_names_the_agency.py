"""Every SQL statement of every page and every periodic job that touches a tenant table names the
agency — the condition for distributing the data by agency (Citus, docs/scaling.md).

The SQL is recorded while each persona of the demo opens the benchmarked pages
(kabinet/benchmarks/pages.py) and every page linked from them (one URL per route: the object
pages of projects, events, tasks, questions, promises ...), and while every job of
kabinet/jobs/schedule.py runs. A statement over a tenant table (tenant_sql.py: a table with
``agency_id``, or one reached only through such a table) must compare an ``agency_id`` (or the
agency's own id) with a value somewhere in it: in its WHERE, a JOIN, or a subquery it reads
through. The few legitimately global statements are listed in ALLOWED with the reason.

Not every statement does so yet. The ones that do not are listed below by shape (statement kind,
tenant tables, the columns compared with values — the same on SQLite and PostgreSQL) with a page
or job that runs it: two reads of the project home, and the outbox sweeps of two jobs across
every agency at once. The test fails on any statement that is neither allowed nor listed (a new
read without the agency); a gap that is fixed is taken off the list by hand (whether a job runs a
statement depends on the data it finds, so a listed shape that did not occur in one run is not
proof that it is gone). docs/scaling.md says what each kind costs on Citus.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone

from kabinet.core.tests.tenant_sql import Allowed, Finding, check, tenant_tables

pytestmark = pytest.mark.django_db

# Statements over a tenant table that rightly do not name one agency: (table, the column
# compared with a value, why).
ALLOWED: list[Allowed] = [
    Allowed(
        "core_membership",
        "user_id",
        "who the signed-in person is: their membership is looked up by user before the agency "
        "is known (a Citus router query would need the agency in the session)",
    ),
]

# Reads on pages that do not name the agency: none. Every page reads children through their
# agency; a new statement that does not is a failure here.
KNOWN_GAPS_IN_PAGES: dict[str, str] = {}

# Jobs go one agency at a time, except the two outboxes' sweeps: every minute they take what is
# due across all agencies from an index on the state (a multi-shard query on Citus); what they
# found is then handled in its agency. One query per agency per minute, whether anything is due
# or not, would cost more than the one sweep.
KNOWN_GAPS_IN_JOBS: dict[str, str] = {
    "SELECT api_webhookdelivery by api_webhookdelivery.state": "api.webhooks",
    "SELECT core_notification by core_notification.email_state": "core.notification_emails",
}

PERSONAS = (
    "marina@client.example",
    "sergey@agency.example",
    "viktoria@agency.example",
    "head@agency.example",
)
SKIP = re.compile(r"^/(logout|admin|static|language|api/v1/docs|api/v1/openapi)")
HREF = re.compile(r'href="(/[^"#]*)"')
MAX_PAGES_PER_PERSONA = 120


@contextmanager
def recording(where: str, findings: list[Finding]) -> Iterator[None]:
    def wrapper(execute, sql, params, many, context):
        finding = check(sql, connection.vendor, where, ALLOWED)
        if finding is not None:
            findings.append(finding)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield


def crawl(client: Client, start: list[str], visit: Callable[[str], object]) -> int:
    """GET the start URLs and the pages they link to, one URL per route; returns the count."""
    seen_routes: set[str] = set()
    queue = list(start)
    done = 0
    while queue and done < MAX_PAGES_PER_PERSONA:
        url = queue.pop(0)
        if SKIP.match(url):
            continue
        try:
            match = resolve(url.split("?")[0])
        except Resolver404:
            continue
        route = match.route + ("?" if "?" in url else "")
        if route in seen_routes and url not in start:
            continue
        seen_routes.add(route)
        response = visit(url)
        done += 1
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            queue.extend(HREF.findall(response.content.decode()))
    return done


def new_gaps(findings: list[Finding], known: dict[str, str]) -> str:
    """The statements neither allowed nor known, with their SQL and where they ran. With
    KABINET_TENANT_SQL_SHAPES=FILE every unallowed shape is appended to FILE (to refresh the lists
    after a fix)."""
    if os.environ.get("KABINET_TENANT_SQL_SHAPES"):
        with open(os.environ["KABINET_TENANT_SQL_SHAPES"], "a", encoding="utf-8") as out:
            for f in findings:
                if f.allowed is None:
                    out.write(f"{f.shape}\t{f.where}\n")
    by_shape: dict[str, tuple[str, set[str]]] = {}
    for f in findings:
        if f.allowed is None and f.shape not in known:
            by_shape.setdefault(f.shape, (f.sql[:600], set()))[1].add(f.where)
    return "\n\n".join(
        f"{shape}\n    {sql}\n    from {sorted(where)[:5]}"
        for shape, (sql, where) in sorted(by_shape.items())
    )


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo, built once for this file and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", "--no-serve", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_data, db):
    return None


def test_every_page_names_the_agency_in_every_query_over_a_tenant_table(demo) -> None:
    from kabinet.benchmarks.pages import pages
    from kabinet.core.models import User

    rows = pages()
    findings: list[Finding] = []
    visited = 0
    for email in PERSONAS:
        client = Client()
        client.force_login(User.objects.get(email=email))
        start = [url for _name, who, url in rows if who == email] + ["/", "/projects/"]

        def visit(url: str, client=client, email=email):
            with recording(f"{email.split('@')[0]} GET {url}", findings):
                return client.get(url)

        visited += crawl(client, start, visit)
    assert visited > 60  # the crawl reached the object pages, not only the start list
    assert new_gaps(findings, KNOWN_GAPS_IN_PAGES) == ""


def test_every_periodic_job_names_the_agency_in_every_query_over_a_tenant_table(demo) -> None:
    from kabinet.jobs.periodic import registered

    findings: list[Finding] = []
    slot = timezone.now().isoformat()
    for job in registered():
        with recording(f"job {job.name}", findings):
            job.task.call(slot=slot)
    assert new_gaps(findings, KNOWN_GAPS_IN_JOBS) == ""


def test_the_check_finds_a_query_without_the_agency(demo) -> None:
    """The check can fail: a read by id alone is found, the same read scoped is not."""
    from kabinet.clients.models import Project
    from kabinet.core.models import Agency
    from kabinet.timeline.models import Event

    agency = Agency.objects.get(slug="demo")
    findings: list[Finding] = []
    with recording("unscoped", findings):
        list(Event.objects.filter(pk__in=[1, 2]))
    assert [f.tables for f in findings] == [["timeline_event"]]
    findings.clear()
    with recording("scoped", findings):
        list(Event.objects.filter(pk__in=[1, 2], project__company__agency=agency))
        list(Event.objects.filter(project__in=Project.objects.filter(agency=agency)))
    assert findings == []


def test_the_tenant_tables_are_found_from_the_models() -> None:
    tables = tenant_tables()
    assert {"clients_project", "clients_clientcompany", "core_membership"} <= tables.direct
    assert "core_user" not in tables.tenant and "django_session" not in tables.tenant
