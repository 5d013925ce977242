from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "kabinet.health"
    label = "health"
    verbose_name = _("Results and KPIs")
