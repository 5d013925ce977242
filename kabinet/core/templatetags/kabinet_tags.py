from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from kabinet.core.markdown import render

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(source: str) -> SafeString:
    return render(source)


@register.simple_tag(takes_context=True)
def project_links(context, project) -> list[dict]:
    from kabinet.core import extensions

    return extensions.project_links(context.get("viewer"), project)


@register.simple_tag
def form_token() -> SafeString:
    """A hidden field unique to this rendering of a form (see core.decorators.once_per_form)."""
    import secrets

    from django.utils.html import format_html

    return format_html(
        '<input type="hidden" name="form_token" value="{}">', secrets.token_urlsafe(24)
    )
