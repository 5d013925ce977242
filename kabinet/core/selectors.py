"""Reads that belong to no single domain: the viewer's own notifications and preferences.

Each names the viewer's agency as well as the person (a person's rows live in the agency's shard,
docs/scaling.md).
"""

from __future__ import annotations

from django.db.models import QuerySet

from kabinet.core.models import Notification, NotificationPreference
from kabinet.core.scoping import Viewer


def notifications(viewer: Viewer) -> QuerySet[Notification]:
    """The viewer's notifications in their agency, newest first."""
    return Notification.objects.filter(agency=viewer.agency, user=viewer.user)


def notification_list(viewer: Viewer, limit: int = 100) -> list[Notification]:
    return list(notifications(viewer).select_related("project__company")[:limit])


def unread_count(viewer: Viewer) -> int:
    return notifications(viewer).filter(read_at__isnull=True).count()


def delivery_choices(viewer: Viewer) -> dict[str, str]:
    """topic -> delivery the viewer chose (topics never chosen are absent)."""
    return dict(
        NotificationPreference.objects.filter(agency=viewer.agency, user=viewer.user).values_list(
            "topic", "delivery"
        )
    )
