"""The docs page loads swagger-ui from Kabinet's own static files, never from a CDN."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders


def test_the_docs_page_refers_only_to_kabinets_own_static_files(login, sergey):
    html = login(sergey).get("/api/v1/docs").content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(url.endswith("swagger-ui-bundle.js") for url in urls)
    assert all(url.startswith("/") and not url.startswith("//") for url in urls), urls
    assert "cdn" not in html.lower()
    for url in urls:
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url
