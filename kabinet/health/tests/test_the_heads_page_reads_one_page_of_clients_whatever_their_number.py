"""The head's page costs the same with 5 client companies as with 40: the same queries, the same
number of snapshot rows read into Python (a page of clients and their history), only a page of
clients rendered — the managers' figures are summed by the database, the alarms were stored by
the daily job. The clients that need attention come first, across pages and per manager."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from kabinet.core.testing import make_company, make_project
from kabinet.health import selectors
from kabinet.health.models import UnderstandingSnapshot

PAGE = 4  # a small page, so that 5 companies already need two
DAYS = 10  # days of history per company


@pytest.fixture(autouse=True)
def _small_page(monkeypatch):
    monkeypatch.setattr(selectors, "HEAD_PAGE_SIZE", PAGE)


def _clients(agency, managers, n: int, start: int = 0) -> None:
    """n companies, one project each, their managers in turn, DAYS of stored index; every
    fifth company below the threshold on the last day, its alarm and manager stored."""
    today = timezone.localdate()
    rows = []
    for i in range(start, start + n):
        company = make_company(agency, f"Клиент {i:02d}")
        manager = managers[i % len(managers)]
        make_project(company, f"SEO {i:02d}", manager=manager)
        alarmed = i % 5 == 0
        for back in range(DAYS):
            last = back == 0
            rows.append(
                UnderstandingSnapshot(
                    agency=agency,
                    company=company,
                    day=today - timedelta(days=back),
                    index=2 if alarmed and last else 7 + (i % 3) / 10,
                    components={},
                    measurements={
                        "promises_due": 4,
                        "promises_broken_or_moved": 1,
                        "responses": 10,
                        "responses_within_sla": 9,
                        "days_since_update": float(i % 7),
                    },
                    attention=alarmed and last,
                    manager=manager if last else None,  # as the daily job stores it
                    alarm={
                        "kind": "low",
                        "since": today.isoformat(),
                        "drop": None,
                        "component": None,
                        "moved": [{"key": "silence", "delta": -3.0, "value": 12.0}],
                    }
                    if alarmed and last
                    else None,
                )
            )
    UnderstandingSnapshot.objects.bulk_create(rows)


@contextmanager
def _reads():
    """Counts the queries, and the rows fetched from those that read the snapshots table."""
    seen = {"queries": 0, "snapshot_rows": 0}

    def counting(fetch, on):
        def fetched(*args):
            result = fetch(*args)
            if on:
                if result is None:
                    pass
                elif isinstance(result, tuple):
                    seen["snapshot_rows"] += 1
                else:
                    seen["snapshot_rows"] += len(result)
            return result

        return fetched

    def wrapper(execute, sql, params, many, context):
        seen["queries"] += 1
        result = execute(sql, params, many, context)
        cursor = context["cursor"]
        on = "health_understandingsnapshot" in sql
        for name in ("fetchone", "fetchmany", "fetchall"):
            cursor.__dict__.pop(name, None)
            setattr(cursor, name, counting(getattr(cursor, name), on))
        return result

    with connection.execute_wrapper(wrapper):
        yield seen


def _measure(login, head):
    client = login(head)
    client.get("/understanding/")  # warm: the session, the viewer
    with _reads() as seen:
        page = client.get("/understanding/")
    assert page.status_code == 200
    return seen, page


def test_five_or_forty_clients_cost_the_same_queries_and_snapshot_rows(
    login, head, agency, sergey, irina
):
    _clients(agency, [sergey, irina], 5)
    small, small_page = _measure(login, head)

    _clients(agency, [sergey, irina], 35, start=5)
    large, large_page = _measure(login, head)

    assert large["queries"] == small["queries"]
    assert large["snapshot_rows"] == small["snapshot_rows"]
    assert large["snapshot_rows"] <= PAGE * DAYS + PAGE + 10  # a page, its history, the sums
    assert large_page.content.decode().count('data-testid="client"') == PAGE
    assert len(large_page.context["charts"]) == PAGE
    view = large_page.context["view"]
    assert sum(m.clients for m in view.managers) == 40
    assert view.page.paginator.num_pages == 10


def test_the_managers_figures_add_up_every_client_not_only_the_page(
    login, head, agency, sergey, irina
):
    _clients(agency, [sergey, irina], 10)

    view = login(head).get("/understanding/").context["view"]

    by_name = {m.manager.full_name: m for m in view.managers}
    assert by_name["Сергей Соловьёв"].clients == 5  # companies 0, 2, 4, 6, 8
    assert by_name["Сергей Соловьёв"].alarms == 1  # company 0
    assert by_name["Сергей Соловьёв"].lowest == 2.0
    assert by_name["Ирина Павлова"].alarms == 1  # company 5
    assert by_name["Ирина Павлова"].kept_rate == pytest.approx(0.75)
    assert by_name["Ирина Павлова"].sla_share == pytest.approx(0.9)
    assert by_name["Сергей Соловьёв"].silence == 6.0  # company 6
    assert by_name["Ирина Павлова"].silence == 5.0  # company 5
    assert view.managers[0].alarms == 1


def test_the_clients_that_need_attention_come_first_across_pages_and_per_manager(
    login, head, agency, sergey, irina
):
    _clients(agency, [sergey, irina], 10)
    client = login(head)

    first = client.get("/understanding/").context["view"]
    assert [c.company.name for c in first.clients[:2]] == ["Клиент 00", "Клиент 05"]
    assert all(c.alarm is not None for c in first.clients[:2])
    assert all(c.alarm is None for c in first.clients[2:])
    second = client.get("/understanding/?page=2").context["view"]
    names = {c.company.name for c in first.clients} | {c.company.name for c in second.clients}
    assert len(names) == 2 * PAGE

    irinas = next(m for m in first.managers if m.manager == irina)
    mine = client.get(f"/understanding/?manager={irinas.key}").context["view"]
    assert mine.manager.manager == irina
    assert mine.page.paginator.count == 5
    assert mine.clients[0].company.name == "Клиент 05"
    assert {c.manager for c in mine.clients} == {irina}
