"""How apps add navigation entries and project links without the core knowing them.

An AppConfig may define `nav_items(viewer) -> list[dict(url, label)]` and
`project_links(viewer, project) -> list[dict(url, label)]`.
"""

from __future__ import annotations

from django.apps import apps


def nav_items(viewer) -> list[dict]:
    items: list[dict] = []
    for config in apps.get_app_configs():
        if hasattr(config, "nav_items"):
            items.extend(config.nav_items(viewer))
    return items


def project_links(viewer, project) -> list[dict]:
    links: list[dict] = []
    for config in apps.get_app_configs():
        if hasattr(config, "project_links"):
            links.extend(config.project_links(viewer, project))
    return links
