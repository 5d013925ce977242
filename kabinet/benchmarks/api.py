"""The API's chronology list on long histories: ``kabinet bench api``.

For each size (``--sizes``, events in one project) it writes a project with that many events into
the configured database inside a transaction that is rolled back at the end (nothing is left
behind), then times, as Sergey with a token, through the whole Django stack:

- ``first_page``: ``GET /api/v1/projects/<id>/events?limit=20``;
- ``tenth_page``: the same after following ``next`` nine times (the cursor's keyset condition);
(On PostgreSQL the table is ANALYZEd after the bulk insert, as autovacuum would.)

- ``before``: what the unversioned API did for the same request — turn every event into JSON,
  then cut the first 20 (timed on the handler's work alone, without the HTTP stack, so it is a
  lower bound of what that request cost).

Writes ``var/bench/api.json``: ``{"database", "sizes": {N: {name: {"p50_ms", "max_ms"}}}}``.
Nothing is asserted: the figures go to BENCHMARKS.md.
"""

from __future__ import annotations

import json
import platform
import statistics
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from kabinet.benchmarks.inputs import count, count_list, output_file

PAGE = 20


class Rollback(Exception):
    pass


def add_arguments(parser) -> None:
    parser.add_argument(
        "--sizes",
        type=count_list(1, 100_000, 5),
        default="1000,10000,30000",
        help="events per project (at most 5 sizes of at most 100,000)",
    )
    parser.add_argument("--repeat", type=count(1, 1000), default=5)
    parser.add_argument("--out", type=output_file, default="var/bench/api.json")


def _timed(fn, repeat: int) -> dict[str, float]:
    for _ in range(3):  # warm-up
        fn()
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(statistics.median(runs), 1), "max_ms": round(max(runs), 1)}


def _one_size(n: int, repeat: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from kabinet.api.tokens import create_token
    from kabinet.api.views import event_out
    from kabinet.core.scoping import viewer_for
    from kabinet.core.testing import Role, make_agency, make_company, make_project, make_user
    from kabinet.timeline.models import Event, Kind
    from kabinet.timeline.selectors import chronology

    agency = make_agency(f"bench-api-{n}", "Bench")
    sergey = make_user(agency, f"bench-api-{n}@bench.test", Role.ACCOUNT_MANAGER)
    project = make_project(make_company(agency, "Bench Co"), "Bench", manager=sergey)
    now = timezone.now()
    Event.objects.bulk_create(
        [
            Event(
                agency=agency,
                project=project,
                kind=Kind.REPORT,
                title=f"Report {i}",
                body="Positions grew. " * 20,
                author=sergey,
                occurred_at=now - timedelta(minutes=i),
            )
            for i in range(n)
        ],
        batch_size=2000,
    )
    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum keeps them: without them the planner does not know the
        # project has N rows and sorts them all instead of walking (project, occurred_at).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE timeline_event")
    _token, key = create_token(user=sergey, agency=agency, name="bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    url = f"/api/v1/projects/{project.pk}/events?limit={PAGE}"

    def first_page():
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        return response.json()

    cursor = None
    for _ in range(9):
        cursor = client.get(url, {"cursor": cursor} if cursor else {}).json()["next"]

    def tenth_page():
        assert client.get(url, {"cursor": cursor} if cursor else {}).status_code == 200

    viewer = viewer_for(sergey)

    def before():
        rows = [event_out(e) for e in chronology(viewer, project.pk)]
        return rows[:PAGE]

    return {
        "first_page": _timed(first_page, repeat),
        "tenth_page": _timed(tenth_page, repeat),
        "before": _timed(before, max(1, repeat // 2)),
    }


def run(options: dict[str, Any], stdout) -> int:
    from django.db import connection, transaction

    sizes = options["sizes"]
    if isinstance(sizes, str):  # called without the parser (the bench's own test)
        sizes = count_list(1, 100_000, 5)(sizes)
    result: dict[str, Any] = {
        "database": connection.vendor,
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "page_size": PAGE,
        "sizes": {},
    }
    from django.test import override_settings
    from django.test.utils import setup_test_environment, teardown_test_environment

    try:
        setup_test_environment()  # 'testserver' allowed
        ours = True
    except RuntimeError:  # already set up (the bench's own test)
        ours = False
    try:
        with override_settings(API_RATE_TOKEN="1000000/min", API_RATE_IP="1000000/min"):
            for n in sizes:
                try:
                    with transaction.atomic():
                        result["sizes"][str(n)] = _one_size(n, options["repeat"])
                        raise Rollback
                except Rollback:
                    pass
                stdout.write(f"{n} events: {json.dumps(result['sizes'][str(n)])}")
    finally:
        if ours:
            teardown_test_environment()
    out = Path(options["out"])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    stdout.write(f"wrote {out}")
    return 0
