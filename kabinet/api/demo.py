"""Demo webhooks and calendar feeds: every person gets a calendar address, and the head finds one
webhook endpoint registered but off (its URL is a placeholder: turn it on once it is real).

Idempotent: people who already have a feed keep it; the endpoint is added once per agency.
"""

from __future__ import annotations

from kabinet.api import feeds, webhooks
from kabinet.api.models import CalendarFeed, WebhookEndpoint
from kabinet.core.models import Membership, Role
from kabinet.core.scoping import Viewer

DEMO_ENDPOINT = "https://crm.example.com/kabinet-hooks"


def _viewer(membership: Membership) -> Viewer:
    return Viewer(
        user=membership.user,
        agency=membership.agency,
        role=membership.role,
        company_id=membership.company_id,
    )


def populate(ctx) -> None:
    agency = ctx.agency
    have = set(CalendarFeed.objects.filter(agency=agency).values_list("user_id", flat=True))
    for membership in Membership.objects.filter(agency=agency).select_related("user", "agency"):
        if membership.user_id not in have:
            feeds.rotate_feed(viewer=_viewer(membership))
    if WebhookEndpoint.objects.filter(agency=agency).exists():
        return
    head = (
        Membership.objects.filter(agency=agency, role=Role.HEAD)
        .select_related("user", "agency")
        .first()
    )
    if head is None:
        return
    viewer = _viewer(head)
    endpoint, _secret = webhooks.create_endpoint(
        viewer=viewer,
        url=DEMO_ENDPOINT,
        description="CRM",
        event_kinds=["report.published", "question.asked", "promise.broken", "task.done"],
    )
    webhooks.change_endpoint(
        viewer=viewer,
        endpoint=endpoint,
        url=endpoint.url,
        description=endpoint.description,
        event_kinds=endpoint.event_kinds,
        is_active=False,
    )
