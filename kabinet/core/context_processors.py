from __future__ import annotations

from django.http import HttpRequest

from kabinet.core import extensions


def kabinet(request: HttpRequest) -> dict:
    viewer = getattr(request, "viewer", None)
    if not viewer:
        return {"viewer": None, "unread_notifications": 0, "nav_items": []}
    return {
        "viewer": viewer,
        "unread_notifications": request.user.notifications.filter(read_at__isnull=True).count(),
        "nav_items": extensions.nav_items(viewer),
    }
