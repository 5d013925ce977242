from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kabinet.core"
    label = "core"
    verbose_name = _("Agency and people")

    def ready(self) -> None:
        from kabinet.core import signin  # noqa: F401  (sign-in audit receivers)
        from kabinet.core.logs import connect_job_signals

        connect_job_signals()  # job name and id on every log line of a background job


class KabinetAdminConfig(admin_apps.AdminConfig):
    """Django admin with Kabinet's site: tenant-scoped admins only (see core/admin_site.py)."""

    default = False  # kabinet.core's own config is CoreConfig
    default_site = "kabinet.core.admin_site.KabinetAdminSite"
