from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from kabinet.core.markdown import render

from .factories import event

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "[x](JaVaScRiPt:alert(1))",
    '<div onclick="alert(1)">hi</div>',
    "![x](javascript:alert(1))",
    "<iframe src='https://evil.example'></iframe>",
    '<svg onload="alert(1)">',
]


class TagCollector(HTMLParser):
    """Collects the real elements and attributes a browser would build (escaped text is not a tag)."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k.lower(): (v or "") for k, v in attrs}))


def dangerous_parts(html: str) -> list[str]:
    parser = TagCollector()
    parser.feed(html)
    found = []
    for tag, attrs in parser.tags:
        if tag in {"script", "iframe", "svg", "object", "embed", "style"}:
            found.append(tag)
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"{tag}@{name}")
            if name in {"href", "src"} and value.strip().lower().startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                found.append(f"{tag}@{name}={value}")
    return found


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_renders_harmless(source):
    assert dangerous_parts(render(source)) == []


def test_the_detector_itself_sees_dangerous_html():
    assert dangerous_parts('<a href="javascript:x" onclick="y">a</a><script>') == [
        "a@href=javascript:x",
        "a@onclick",
        "script",
    ]


def test_ordinary_markdown_keeps_its_formatting():
    html = render(
        "## Итоги\n\n**+18%** визитов, [отчёт](https://example.com/r)\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert "<h2>Итоги</h2>" in html
    assert "<strong>+18%</strong>" in html
    assert 'href="https://example.com/r"' in html and "noopener" in html
    assert "<table>" in html


def test_hostile_event_body_is_harmless_on_the_page(login, marina, sergey, project):
    ev = event(
        project,
        title="Отчёт",
        body='<script>alert("x")</script>\n\n[a](javascript:alert(1))',
        author=sergey,
    )
    html = login(marina).get(reverse("event", args=[ev.pk])).content.decode()
    body = html.split('<div class="md">', 1)[1].split("</div>", 1)[0]
    assert dangerous_parts(body) == []
    assert "&lt;script&gt;" in body  # shown as text, not run
