"""Markdown to safe HTML: markdown-it renders, nh3 (ammonia) sanitises.

Raw HTML in the source is escaped by markdown-it (html=False) and nh3 then keeps only a small
allow-list of tags, attributes and URL schemes, so script tags, event handlers and javascript:
links never reach a browser.

Images load only from Kabinet itself: an image from another site would tell that site who read a
published text and when (a tracking pixel). Markdown's `![alt](https://elsewhere/x.png)` becomes a
link to it instead, and the sanitiser drops any remote `src` that still got through; the
Content-Security-Policy (img-src 'self') is the browser's own third line.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).enable(
    ["table", "strikethrough"]
)


def is_own_url(url: str) -> bool:
    """A path on this site (`/files/3/`), or an absolute URL of SITE_URL's own origin."""
    parts = urlsplit((url or "").strip())
    if not parts.scheme and not parts.netloc:
        return not (url or "").strip().startswith("//")
    own = urlsplit(settings.SITE_URL)
    return (parts.scheme, parts.netloc) == (own.scheme, own.netloc)


def _image(renderer, tokens, idx, options, env) -> str:
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    if is_own_url(src):
        return renderer.image(tokens, idx, options, env)
    label = renderer.renderInlineAsText(token.children or [], options, env) or src
    return f'<a href="{escapeHtml(src)}">{escapeHtml(label)}</a>'


_md.add_render_rule("image", _image)


def _only_own_images(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not is_own_url(value):
        return None
    return value


ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "del",
    "s",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def render(source: str) -> SafeString:
    html = _md.render(source or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        attribute_filter=_only_own_images,
    )
    return mark_safe(clean)  # noqa: S308 — sanitised above
