from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimelineConfig(AppConfig):
    name = "kabinet.timeline"
    label = "timeline"
    verbose_name = _("Chronology")
