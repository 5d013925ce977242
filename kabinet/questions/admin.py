from __future__ import annotations

from django.contrib import admin

from kabinet.core.admin import TenantAdmin
from kabinet.questions.models import SlaPolicy


@admin.register(SlaPolicy)
class SlaPolicyAdmin(TenantAdmin):
    """The head sets the agency's SLA targets (blank tier = default) in business hours."""

    list_display = (
        "__str__",
        "tier",
        "first_response_hours",
        "next_response_hours",
        "resolution_hours",
    )
