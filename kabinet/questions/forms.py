from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kabinet.core import limits
from kabinet.core.concurrency import VersionField
from kabinet.core.forms import OneLineField, TextField
from kabinet.timeline.forms import StagedUploadsForm


class AskForm(StagedUploadsForm):
    subject = OneLineField(label=_("Subject"), max_length=limits.TITLE)
    body = TextField(
        label=_("Your question"),
        max_length=limits.MESSAGE,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: **bold**, lists, links."),
    )


class ReplyForm(StagedUploadsForm):
    body = TextField(
        label=_("Answer"),
        max_length=limits.MESSAGE,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: **bold**, lists, links."),
    )
    internal = forms.BooleanField(
        label=_("Internal note (the client never sees it)"), required=False
    )
    keep_waiting = forms.BooleanField(
        label=_("Interim answer: the question still waits for us"), required=False
    )


class ClientMessageForm(StagedUploadsForm):
    body = TextField(
        label=_("Your message"), max_length=limits.MESSAGE, widget=forms.Textarea(attrs={"rows": 5})
    )


class ReopenForm(forms.Form):
    body = TextField(
        label=_("What is still unclear?"),
        required=False,
        max_length=limits.MESSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How helpful was the answer?"),
        coerce=int,
        # One row, the ends of the scale named: a bare column of 1..5 did not say which end is good.
        choices=[
            (1, format_lazy("1 · {}", _("did not help"))),
            (2, "2"),
            (3, "3"),
            (4, "4"),
            (5, format_lazy("5 · {}", _("solved my problem"))),
        ],
        widget=forms.RadioSelect(attrs={"class": "scale"}),
        error_messages={
            "required": _("Choose a rating from 1 to 5."),
            "invalid_choice": _("Choose a rating from 1 to 5."),
        },
    )
    comment = TextField(
        label=_("Comment"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SlaPoliciesForm(forms.Form):
    """Three targets per client tier; the default row is required, a tier row may stay empty
    (that tier then follows the default). Saved by services.save_sla_policies."""

    TARGETS = (
        ("first_response_hours", _("First response")),
        ("next_response_hours", _("Next response")),
        ("resolution_hours", _("Resolution")),
    )

    version = VersionField()  # of the whole set (services.sla_version)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.tiers = self.tier_choices()
        for tier, _label in self.tiers:
            for name, label in self.TARGETS:
                self.fields[f"{tier or 'default'}_{name}"] = forms.CharField(
                    label=label,
                    required=not tier,
                    max_length=20,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
                )

    @staticmethod
    def tier_choices() -> list[tuple[str, str]]:
        from kabinet.clients.models import Tier

        return [("", _("Default (every tier)"))] + list(Tier.choices)

    @classmethod
    def initial_for(cls, policies) -> dict:
        from kabinet.questions.services import sla_version

        policies = list(policies)
        initial = {
            f"{p.tier or 'default'}_{name}": f"{getattr(p, name).normalize():f}"
            for p in policies
            for name, _label in cls.TARGETS
        }
        initial["version"] = sla_version(policies=policies)
        return initial

    def rows(self):
        """[(tier label, [bound fields])] for the template's table."""
        return [
            (label, [self[f"{tier or 'default'}_{name}"] for name, _l in self.TARGETS])
            for tier, label in self.tiers
        ]

    def targets(self) -> dict[str, dict | None]:
        data = self.cleaned_data
        out: dict[str, dict | None] = {}
        for tier, _label in self.tiers:
            values = {
                name: data.get(f"{tier or 'default'}_{name}", "").strip()
                for name, _l in self.TARGETS
            }
            out[tier] = None if tier and not any(values.values()) else values
        return out
