from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kabinet.core.concurrency import VersionField
from kabinet.health.digests.services import MAX_BODY, MAX_SUBJECT


class DigestForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=MAX_SUBJECT)
    body = forms.CharField(
        label=_("Letter (Markdown)"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 24, "class": "digest-body"}),
    )
    version = VersionField(required=True, min_value=1)


class DigestSettingForm(forms.Form):
    send_as_drafted = forms.BooleanField(
        label=_("Send the weekly digest as drafted, without waiting for the manager"),
        required=False,
    )
