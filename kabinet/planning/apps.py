from __future__ import annotations

from datetime import timedelta

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "kabinet.planning"
    label = "planning"
    verbose_name = _("Priorities and schedules")

    def ready(self) -> None:
        from kabinet.planning import signals, tasks

        signals.connect()
        try:
            from kabinet.work.periodic import register_periodic
        except ImportError:  # pragma: no cover - the work app always ships it now
            return
        # Time passes even when nothing changes: slack shrinks, tasks become late.
        register_periodic("planning.replan_all", timedelta(hours=1), tasks.replan_all_agencies)

    def nav_items(self, viewer) -> list[dict]:
        if viewer is None or not viewer.is_staff:
            return []
        items = [{"url": reverse("planning:queue"), "label": _("My queue")}]
        if viewer.is_manager:
            items.append({"url": reverse("planning:at_risk"), "label": _("At risk")})
        return items  # the head reaches the weights from the at-risk page
