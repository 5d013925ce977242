from __future__ import annotations

from django.http import HttpRequest

from kabinet.core import extensions, selectors


def kabinet(request: HttpRequest) -> dict:
    viewer = getattr(request, "viewer", None)
    if not viewer:
        return {"viewer": None, "unread_notifications": 0, "nav_items": []}
    return {
        "viewer": viewer,
        "unread_notifications": selectors.unread_count(viewer),
        "nav_items": extensions.nav_items(viewer),
    }
