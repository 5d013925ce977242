"""Lists are cut into pages in the database: an opaque cursor on (sort key, id), a capped size."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kabinet.timeline.models import Kind
from kabinet.timeline.services import record_event


def test_walking_the_pages_gives_every_event_once_newest_first(
    agency, marina, sergey, project, api
):
    now = timezone.now()
    same_time = now - timedelta(days=1)
    made = [
        record_event(
            project=project,
            kind=Kind.REPORT,
            title=f"e{i}",
            author=sergey,
            occurred_at=same_time if i % 3 == 0 else now - timedelta(hours=i),
        )
        for i in range(12)
    ]
    client = api(marina, agency)
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 5} | ({"cursor": cursor} if cursor else {})
        page = client.get(f"/api/v1/projects/{project.pk}/events", params).json()
        seen += [e["id"] for e in page["items"]]
        pages += 1
        cursor = page["next"]
        if cursor is None:
            break
    expected = sorted(made, key=lambda e: (e.occurred_at, e.pk), reverse=True)
    assert seen == [e.pk for e in expected] and pages == 3


def test_a_huge_limit_is_cut_to_the_maximum(settings, agency, marina, sergey, project, api):
    settings.API_MAX_PAGE_SIZE = 4
    for i in range(6):
        record_event(project=project, kind=Kind.REPORT, title=f"e{i}", author=sergey)
    page = api(marina, agency).get(f"/api/v1/projects/{project.pk}/events?limit=1000").json()
    assert len(page["items"]) == 4 and page["next"]


def test_a_page_reads_only_its_rows_from_the_database(agency, marina, sergey, project, api):
    for i in range(30):
        record_event(project=project, kind=Kind.REPORT, title=f"e{i}", author=sergey)
    client = api(marina, agency)
    client.get("/api/v1/projects")  # warm up: the token's last-use write
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/api/v1/projects/{project.pk}/events?limit=3").json()
    assert len(page["items"]) == 3
    events_query = [
        q["sql"] for q in queries if 'FROM "timeline_event"' in q["sql"] and "LIMIT" in q["sql"]
    ]
    assert events_query and all("LIMIT 4" in sql for sql in events_query), events_query


def test_filters_narrow_the_list(agency, marina, sergey, project, api):
    record_event(project=project, kind=Kind.REPORT, title="report", author=sergey)
    record_event(project=project, kind=Kind.PLAN, title="plan", author=sergey)
    page = api(marina, agency).get(f"/api/v1/projects/{project.pk}/events?kind=plan").json()
    assert [e["title"] for e in page["items"]] == ["plan"]
