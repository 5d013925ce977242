from __future__ import annotations

from django.contrib import admin

from kabinet.promises.models import Promise, PromiseProposal, PromiseRenegotiation


class RenegotiationInline(admin.TabularInline):
    model = PromiseRenegotiation
    extra = 0
    raw_id_fields = ("message_event", "by")


@admin.register(Promise)
class PromiseAdmin(admin.ModelAdmin):
    list_display = ("what", "project", "promised_by", "due_at", "state", "kept_at", "broken_at")
    list_filter = ("state", "origin", "agency")
    search_fields = ("what", "quote", "project__name", "project__company__name")
    raw_id_fields = ("project", "promised_by", "source_event", "task", "kept_by", "confirmed_by")
    inlines = [RenegotiationInline]


@admin.register(PromiseProposal)
class PromiseProposalAdmin(admin.ModelAdmin):
    list_display = ("quote", "project", "author", "due_at", "status", "created_at")
    list_filter = ("status", "agency")
    raw_id_fields = ("project", "source_event", "author", "promise", "decided_by")
