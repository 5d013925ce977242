from __future__ import annotations

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "kabinet.planning"
    label = "planning"
    verbose_name = _("Priorities and schedules")

    def ready(self) -> None:
        from kabinet.planning import signals

        signals.connect()  # receivers: see kabinet/core/signals.py

    def nav_items(self, viewer) -> list[dict]:
        if viewer is None or not viewer.is_staff:
            return []
        items = [{"url": reverse("planning:queue"), "label": _("My queue")}]
        if viewer.is_manager:
            items.append({"url": reverse("planning:at_risk"), "label": _("At risk")})
        return items  # the head reaches the weights from the at-risk page
