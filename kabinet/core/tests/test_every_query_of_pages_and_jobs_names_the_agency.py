"""Every SQL statement of every page and every periodic job that touches a tenant table names the
agency — the condition for distributing the data by agency (Citus, docs/scaling.md).

The SQL is recorded while each persona of the demo opens the benchmarked pages
(kabinet/benchmarks/pages.py) and every page linked from them (one URL per route: the object
pages of projects, events, tasks, questions, promises ...), and while every job of
kabinet/jobs/schedule.py runs. A statement over a tenant table (tenant_sql.py: a table with
``agency_id``, or one reached only through such a table) must compare an ``agency_id`` (or the
agency's own id) with a value somewhere in it: in its WHERE, a JOIN, or a subquery it reads
through. The few legitimately global statements are listed in ALLOWED with the reason.

A statement that does not would be listed below by shape (statement kind, tenant tables, the
columns compared with values — the same on SQLite and PostgreSQL) with a page or job that runs it;
both lists are empty today. The test fails on any statement that is neither allowed nor listed (a
new read without the agency). Whether a job runs a statement depends on the data it finds, and
the demo has nothing due in the outboxes: a separate test gives both outbox sweeps something due
in both agencies of the demo. docs/scaling.md says what each kind costs on Citus.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

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

# Jobs that do not name the agency: none. Every job goes one agency at a time (the agencies are a
# reference table), the two outboxes' sweeps too: every minute one query per agency takes what is
# due in that agency (through the index on the state), and each item is then handled in its
# agency. Until 2026-12-01 the sweeps took what was due across all agencies in one statement.
KNOWN_GAPS_IN_JOBS: dict[str, str] = {}

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


def test_the_outbox_sweeps_name_the_agency_when_something_is_due(demo) -> None:
    """The demo's outboxes are empty, so the jobs above only read them. Here both agencies have
    something due in each: a webhook delivery (one endpoint answers 200; the other answers 500 on
    its last allowed failure, so it is turned off and its heads are told) and notification e-mails
    (pending, failed and due again, abandoned while sending, a daily digest). Every statement of
    the sweeps and of what they do for each item names the agency."""
    from django.core import mail

    from kabinet.api import webhooks
    from kabinet.api.models import WebhookDelivery, WebhookEndpoint
    from kabinet.api.testing import Receiver
    from kabinet.core.models import Agency, Notification, User

    now = timezone.now()
    agencies = list(Agency.objects.order_by("pk"))
    assert len(agencies) >= 2
    E = Notification.EmailState
    for agency in agencies:
        people = list(
            User.objects.filter(memberships__agency=agency, is_active=True).order_by("pk")[:4]
        )
        assert len(people) == 4
        Notification.objects.filter(agency=agency, email_state__in=[E.PENDING, E.DAILY]).update(
            email_state=E.SENT
        )
        for person, extra in zip(
            people,
            [
                {"email_state": E.PENDING},
                {"email_state": E.FAILED, "email_attempts": 1, "email_next_try_at": now},
                {
                    "email_state": E.SENDING,
                    "email_attempt_id": "n" + "0" * 31 + str(agency.pk),
                    "email_sending_at": now - timedelta(days=1),
                },
                {"email_state": E.DAILY},
            ],
            strict=True,
        ):
            Notification.objects.create(
                agency=agency,
                user=person,
                kind="test",
                title="Есть новости",
                created_at=now - timedelta(days=2),
                **extra,
            )
    mail.outbox.clear()

    findings: list[Finding] = []
    endpoints = []
    with Receiver(200) as fine, Receiver(500) as failing:
        for agency, receiver in zip(agencies[:2], (fine, failing), strict=True):
            endpoint = WebhookEndpoint.objects.create(
                agency=agency,
                url=receiver.url,
                event_kinds=["report.published"],
                secret=webhooks.new_secret(),
                consecutive_failures=webhooks.DISABLE_AFTER - 1,
            )
            WebhookDelivery.objects.create(
                agency=agency,
                endpoint=endpoint,
                msg_id=f"msg_sweep_{agency.pk}",
                kind="report.published",
                body="{}",
                next_attempt_at=now - timedelta(minutes=1),
            )
            endpoints.append(endpoint)
        for name in ("api.webhooks", "core.notification_emails", "core.notification_digests"):
            job = next(j for j in registered_jobs() if j.name == name)
            with recording(f"job {name}", findings):
                job.task.call(slot=now.isoformat())
        assert len(fine.requests) == 1 and len(failing.requests) == 1

    assert new_gaps(findings, {}) == ""
    assert [WebhookEndpoint.objects.get(pk=e.pk).is_active for e in endpoints] == [True, False]
    assert Notification.objects.filter(agency=agencies[1], kind="webhook_disabled").exists()
    for agency in agencies[:2]:
        sent = Notification.objects.filter(agency=agency, kind="test", email_state=E.SENT)
        assert sent.count() == 4  # pending, failed, abandoned and the digest: each mailed once
    assert len(mail.outbox) >= 8


def registered_jobs():
    from kabinet.jobs.periodic import registered

    return registered()


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
