"""`{% calendar_feed_card %}`: the settings page's card with the person's calendar URL."""

from __future__ import annotations

from django import template

from kabinet.api import feeds

register = template.Library()


@register.inclusion_tag("api/_calendar_feed.html", takes_context=True)
def calendar_feed_card(context) -> dict:
    viewer = getattr(context["request"], "viewer", None)
    feed = feeds.feed_of(viewer=viewer) if viewer is not None else None
    return {
        "viewer": viewer,
        "feed_url": feeds.feed_url(feed=feed) if feed else "",
        "csrf_token": context.get("csrf_token"),
    }
