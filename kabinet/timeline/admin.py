from __future__ import annotations

from django.contrib import admin

from kabinet.core.admin import TenantAdmin
from kabinet.timeline.models import Event


@admin.register(Event)
class EventAdmin(TenantAdmin):
    list_display = ["occurred_at", "project", "kind", "title", "visibility"]
    list_filter = ["kind", "visibility"]
    search_fields = ["title", "body"]
    raw_id_fields = ["project", "parent", "author"]
    exclude = ["agency"]
