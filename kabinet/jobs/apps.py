from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """Background machinery. Domain apps declare their jobs in their own `tasks.py`; the one list
    of periodic jobs is `kabinet/jobs/schedule.py`."""

    name = "kabinet.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")
