"""Every URL pattern that takes an object id must have a scoping test showing a 404.

The scoping tests live in files named test_*scoping*.py; this test fails when a URL pattern with
an id is added and no scoping test names it (by URL name in reverse(...) or by its API path).
"""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

import kabinet

PACKAGE = Path(kabinet.__file__).resolve().parent
NOT_OBJECT_IDS = {"uidb64", "token"}  # password-reset links: not tenant objects


def patterns_with_ids(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from patterns_with_ids(entry, route, ns)
        elif isinstance(entry, URLPattern):
            params = set(
                re.findall(r"<(?:\w+:)?(\w+)>|\{(\w+)\}", route)
                and [a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\{(\w+)\}", route)]
            )
            if params - NOT_OBJECT_IDS and not route.startswith("admin/"):
                yield route, f"{namespace}{entry.name}" if entry.name else None


def scoping_test_sources() -> str:
    return "\n".join(p.read_text() for p in PACKAGE.glob("**/tests/test_*scoping*.py"))


def api_path_pattern(route: str) -> re.Pattern:
    # "api/events/<event_id>" or "api/events/{event_id}" -> matches f"/api/events/{x.pk}" in a test
    parts = re.split(r"<[^>]+>|\{[^}]+\}", route)
    return re.compile(r"[\"'/]?" + r"\{[^}]+\}".join(re.escape(p) for p in parts))


def test_every_url_with_an_object_id_is_covered_by_a_scoping_test():
    sources = scoping_test_sources()
    uncovered = []
    for route, name in patterns_with_ids():
        if route.startswith("api/v1/"):
            continue  # kabinet/api/tests/test_every_api_endpoint_scoping.py walks every one of them
        named = name and (f'"{name}"' in sources or f"'{name}'" in sources)
        by_path = api_path_pattern(route.removeprefix("^")).search(sources)
        if not (named or by_path):
            uncovered.append(f"{route} ({name})")
    assert uncovered == []


def test_the_coverage_check_finds_the_object_urls():
    routes = [route for route, _ in patterns_with_ids()]
    assert "projects/<int:pk>/" in routes
    assert "attachments/<int:pk>/" in routes
    assert any(route.startswith("api/") for route in routes)
