"""Page timings: the client's home against the chronology page it must keep up with.

``kabinet bench pages`` builds the demo agency (``--scale`` copies of its clients) in a throwaway
test database, then requests each page through Django's test client as Marina (client) and as
Sergey (account manager): a few warm-up requests, then ``--repeat`` timed ones. It reports the
median and 90th-percentile wall time and the number of SQL queries per page, and writes
``var/bench/pages.json``. Nothing is asserted: the figures go to BENCHMARKS.md.
"""

from __future__ import annotations

import json
import platform
import statistics
import time
from pathlib import Path
from typing import Any

WARMUP = 3


def add_arguments(parser) -> None:
    parser.add_argument(
        "--scale", type=int, default=1, help="copies of the demo's client companies"
    )
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
    parser.add_argument("--out", default="var/bench/pages.json")


def _count_queries(client, url: str) -> int:
    from django.db import connection

    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    return len(queries)


def _measure(client, urls: dict[str, str], repeat: int) -> dict[str, dict[str, Any]]:
    """Time the pages in alternation (chronology, home, chronology, ...), so that a busy machine
    slows both alike and their ratio stays meaningful."""
    for url in urls.values():
        for _ in range(WARMUP):
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
    times: dict[str, list[float]] = {page: [] for page in urls}
    for _ in range(repeat):
        for page, url in urls.items():
            started = time.perf_counter()
            client.get(url)
            times[page].append((time.perf_counter() - started) * 1000)
    out = {}
    for page, url in urls.items():
        ordered = sorted(times[page])
        out[page] = {
            "url": url,
            "queries": _count_queries(client, url),
            "median_ms": round(statistics.median(ordered), 1),
            "p90_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))], 1),
            "repeat": repeat,
        }
    return out


def measure(scale: int = 1, repeat: int = 30) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment

    from kabinet.clients.models import Project
    from kabinet.core import demo
    from kabinet.core.models import User
    from kabinet.health.models import Point
    from kabinet.timeline.models import Event

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        demo.build(scale=scale)
        build_seconds = time.perf_counter() - started
        project = Project.objects.get(company__name="ТехноДом", service="seo")
        rows = []
        for email in ("marina@client.example", "sergey@agency.example"):
            client = Client()
            client.force_login(User.objects.get(email=email))
            urls = {
                "chronology": f"/projects/{project.pk}/",
                "home": f"/projects/{project.pk}/overview/",
            }
            measured = _measure(client, urls, repeat)
            for page in urls:
                rows.append({"page": page, "viewer": email.split("@")[0], **measured[page]})
            ratio = measured["home"]["median_ms"] / measured["chronology"]["median_ms"]
            rows[-1]["median_vs_chronology"] = round(ratio, 2)
        data = {
            "scale": scale,
            "database": connection.vendor,
            "project_events": Event.objects.filter(project=project).count(),
            "project_kpi_points": Point.objects.filter(metric__project=project).count(),
            "agency_events": Event.objects.count(),
            "demo_build_seconds": round(build_seconds, 1),
            "python": platform.python_version(),
            "pages": rows,
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    return data


def run(options: dict[str, Any], stdout) -> int:
    out = Path(options.get("out") or "var/bench/pages.json")
    data = measure(scale=options.get("scale") or 1, repeat=options.get("repeat") or 30)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    stdout.write(
        f"Pages of ТехноДом's SEO project ({data['project_events']} events, {data['project_kpi_points']} KPI values; "
        f"{data['database']}, scale {data['scale']})\n"
    )
    header = f"{'page':12} {'viewer':8} {'queries':>8} {'median ms':>10} {'p90 ms':>8} {'home/chronology':>16}"
    stdout.write(header + "\n")
    for row in data["pages"]:
        ratio = row.get("median_vs_chronology", "")
        stdout.write(
            f"{row['page']:12} {row['viewer']:8} {row['queries']:>8} {row['median_ms']:>10} "
            f"{row['p90_ms']:>8} {ratio:>16}\n"
        )
    stdout.write(f"written to {out}\n")
    return 0
