from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kabinet.timeline.forms import StagedUploadsForm


class AskForm(StagedUploadsForm):
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(
        label=_("Your question"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: **bold**, lists, links."),
    )


class ReplyForm(StagedUploadsForm):
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


class ClientMessageForm(StagedUploadsForm):
    body = forms.CharField(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 5}))


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
