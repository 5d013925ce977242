"""Page timings on the data that is there: ``kabinet bench pages``.

Runs against the configured database (``DATABASE_URL``), which must hold the demo agency — build
it once with ``kabinet demo --no-serve`` and grow it with ``--scale 10k|100k|1m``; nothing is
built here, so the same large data set serves every run. Each page is requested through the whole
Django stack (middleware, URL resolution, view, selectors, template) with Django's test client as
the persona who uses it: a few warm-up requests, then ``--repeat`` timed ones, the pages taken in
turn so that a busy machine slows them alike; after the warm-up what is loaded is frozen out
of the garbage collector's reach, as the served application does (``kabinet/wsgi.py``). In the same run a bare Django view returning a
constant page is timed the same way: that is the floor (``baseline``) each page is compared to.

Writes ``var/bench/pages.json``::

    {"database": "postgresql", "events": 1000000,
     "pages": {NAME: {"p50_ms", "p95_ms", "queries", ...}}, "baseline": {"p50_ms", "p95_ms"}}

Nothing is asserted: the figures go to BENCHMARKS.md.
"""

from __future__ import annotations

import json
import os
import platform
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.http import HttpResponse
from django.urls import include, path

from kabinet.benchmarks.inputs import count, output_file
from kabinet.core.startup import freeze_what_is_loaded

WARMUP = 2
BARE_URL = "/__bench__/constant/"


def constant_page(request) -> HttpResponse:
    """The floor: a Django view that does nothing but return a constant page."""
    return HttpResponse("<!doctype html><title>Kabinet</title><p>constant</p>")


# The bench's URLconf: Kabinet's own plus the bare view (only while the bench runs).
urlpatterns = [path("__bench__/constant/", constant_page), path("", include("kabinet.urls"))]


def add_arguments(parser) -> None:
    parser.add_argument("--repeat", type=count(1, 1000), default=30, help="timed requests per page")
    parser.add_argument("--only", default="", help="comma-separated page names (default: all)")
    parser.add_argument("--out", type=output_file, default="var/bench/pages.json")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _queries(client, url: str) -> int:
    from django.db import connection

    seen: list[str] = []

    def count(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    return len(seen)


def pages() -> list[tuple[str, str, str]]:
    """(name, persona e-mail, URL) of every page measured; pages not on this build are left out."""
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from kabinet.clients.models import Project

    big = Project.objects.get(company__name="ТехноДом", service="seo")
    today = timezone.localdate()
    start = (today - timedelta(days=90)).isoformat()
    marina, sergey, viktoria, head = (
        "marina@client.example",
        "sergey@agency.example",
        "viktoria@agency.example",
        "head@agency.example",
    )
    chronology = f"/projects/{big.pk}/"
    rows = [
        ("client_home", marina, f"/projects/{big.pk}/overview/"),
        ("chronology_first", marina, chronology),
        ("chronology_page_50", marina, chronology + "?page=50"),
        ("chronology_search", marina, chronology + "?q=позиции+сайта"),
        ("chronology_filter", marina, chronology + f"?kind=report&start={start}"),
        ("manager_chronology", sergey, chronology),
        ("manager_projects", sergey, "/projects/"),
        ("questions_desk", sergey, "/questions/"),
        ("promises", sergey, "/promises/"),
        ("work_board", sergey, "/work/"),
        ("planning_queue", viktoria, "/planning/queue/"),
        ("planning_at_risk", sergey, "/planning/at-risk/"),
        ("api_projects", sergey, "/api/v1/projects"),
        ("api_events", sergey, f"/api/v1/projects/{big.pk}/events?limit=20"),
        ("api_events_search", sergey, f"/api/v1/projects/{big.pk}/events?limit=20&q=позиции"),
        ("api_questions", sergey, f"/api/v1/projects/{big.pk}/questions"),
    ]
    for name in ("health:head", "health:agency", "head"):
        try:
            rows.append(("head_view", head, reverse(name)))
            break
        except NoReverseMatch:
            continue
    return rows


def _time(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return elapsed


def measure(repeat: int = 30, only: set[str] | None = None) -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings

    from kabinet.core.models import Agency, User
    from kabinet.timeline.models import Event

    if not Agency.objects.filter(slug="demo").exists():
        raise SystemExit(
            "no demo agency in this database: run `kabinet demo --no-serve` (and --scale 10k, "
            "100k or 1m) first"
        )
    # The pages as served: Django's test environment is not set up, because it instruments every
    # template render (a signal and a copy of the context per template, which the test client
    # keeps) — a cost no served page pays, and one that grows with a page's includes. Only the
    # test client's host is allowed, e-mail stays in memory, and no query is logged (DEBUG off).
    served = override_settings(
        ROOT_URLCONF=__name__,
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        DEBUG=False,
        WHITENOISE_AUTOREFRESH=True,  # no static file is asked for; none need be collected
    )
    with served:
        every = pages()
        unknown = sorted((only or set()) - {name for name, _e, _u in every})
        if unknown:
            raise SystemExit(
                f"--only: no page named {', '.join(unknown)}; the pages are "
                + ", ".join(name for name, _e, _u in every)
            )
        measured = [p for p in every if not only or p[0] in only]
        clients: dict[str, Any] = {}
        for _name, email, _url in measured:
            if email not in clients:
                clients[email] = Client()
                clients[email].force_login(User.objects.get(email=email))
        bare = Client()
        for _name, email, url in measured:
            for _ in range(WARMUP):
                _time(clients[email], url)
        for _ in range(WARMUP):
            _time(bare, BARE_URL)
        # What is loaded by now is frozen, as kabinet/wsgi.py does once the server has
        # loaded the application (a full collection then pauses a request ~15 ms, not ~90).
        freeze_what_is_loaded()
        times: dict[str, list[float]] = {name: [] for name, _e, _u in measured}
        baseline: list[float] = []
        for _ in range(repeat):
            baseline.append(_time(bare, BARE_URL))
            for name, email, url in measured:
                times[name].append(_time(clients[email], url))
        base_p50 = percentile(baseline, 0.5)
        out_pages = {}
        for name, email, url in measured:
            p50 = percentile(times[name], 0.5)
            out_pages[name] = {
                "p50_ms": round(p50, 1),
                "p95_ms": round(percentile(times[name], 0.95), 1),
                "queries": _queries(clients[email], url),
                "vs_bare_p50": round(p50 / base_p50, 1) if base_p50 else None,
                "viewer": email.split("@")[0],
                "url": url,
            }
    return {
        "database": connection.vendor,
        "events": Event.objects.count(),
        "pages": out_pages,
        "baseline": {
            "p50_ms": round(base_p50, 2),
            "p95_ms": round(percentile(baseline, 0.95), 2),
        },
        "repeat": repeat,
        "python": platform.python_version(),
        "load_average": list(os.getloadavg()),
    }


def run(options: dict[str, Any], stdout) -> int:
    out = Path(options.get("out") or "var/bench/pages.json")
    repeat = 30 if options.get("repeat") is None else options["repeat"]
    if repeat < 1 or repeat > 1000:
        raise SystemExit("--repeat must be between 1 and 1000")
    only = {n.strip() for n in (options.get("only") or "").split(",") if n.strip()} or None
    data = measure(repeat=repeat, only=only)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    stdout.write(
        f"Pages on {data['database']}, {data['events']:,} events, {repeat} requests each "
        f"(load average {data['load_average'][0]:.1f})\n"
    )
    stdout.write(
        f"{'page':22} {'viewer':9} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'×bare':>6}\n"
    )
    for name, row in data["pages"].items():
        stdout.write(
            f"{name:22} {row['viewer']:9} {row['queries']:>7} {row['p50_ms']:>8} "
            f"{row['p95_ms']:>8} {row['vs_bare_p50']:>6}\n"
        )
    b = data["baseline"]
    stdout.write(f"{'bare Django view':32} {b['p50_ms']:>8} {b['p95_ms']:>8}\n")
    stdout.write(f"written to {out}\n")
    return 0
