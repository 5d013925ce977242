from __future__ import annotations

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kabinet.timeline.forms import MultipleFileField


class StagedFilesMixin:
    """Files uploaded with a form that then failed are kept (staged) and re-offered."""

    def staged_ids(self) -> list[int]:
        raw = self.data.get("staged", "") if self.data else ""  # type: ignore[attr-defined]
        return [int(part) for part in raw.split(",") if part.strip().isdigit()]


class AskForm(StagedFilesMixin, forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(
        label=_("Your question"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: **bold**, lists, links."),
    )
    files = MultipleFileField(label=_("Attachments"), required=False)
    staged = forms.CharField(required=False, widget=forms.HiddenInput)


class ReplyForm(StagedFilesMixin, forms.Form):
    body = forms.CharField(
        label=_("Answer"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: **bold**, lists, links."),
    )
    internal = forms.BooleanField(
        label=_("Internal note (the client never sees it)"), required=False
    )
    keep_waiting = forms.BooleanField(
        label=_("Interim answer: the question still waits for us"), required=False
    )
    files = MultipleFileField(label=_("Attachments"), required=False)
    staged = forms.CharField(required=False, widget=forms.HiddenInput)


class ClientMessageForm(StagedFilesMixin, forms.Form):
    body = forms.CharField(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 5}))
    files = MultipleFileField(label=_("Attachments"), required=False)
    staged = forms.CharField(required=False, widget=forms.HiddenInput)


class ReopenForm(forms.Form):
    body = forms.CharField(
        label=_("What is still unclear?"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How helpful was the answer?"),
        coerce=int,
        choices=[(i, str(i)) for i in range(1, 6)],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a rating from 1 to 5."),
            "invalid_choice": _("Choose a rating from 1 to 5."),
        },
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def period(self):
        today = timezone.localdate()
        start = self.cleaned_data.get("start") or today - timedelta(days=30)
        end = self.cleaned_data.get("end") or today
        return start, end

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise ValidationError(_("The period ends before it starts."))
        return data
