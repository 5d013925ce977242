from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kabinet.api.webhooks import KINDS


class EndpointForm(forms.Form):
    url = forms.CharField(label=_("URL"), max_length=500)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    event_kinds = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(code, label) for code, label in KINDS.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
