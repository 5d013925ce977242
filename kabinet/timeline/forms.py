from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kabinet.core import limits
from kabinet.core.forms import BoundedDateField, DateInput, OneLineField, TextField
from kabinet.timeline.models import COMPOSER_KINDS, Decision, Kind, Visibility


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class StagedUploadsForm(forms.Form):
    """A form with attachments that never loses a file: the one upload-staging helper.

    ``stage(viewer)`` stores every acceptable file at once (before the rest is validated), so a
    form that fails for any reason re-offers them; a refused file gets its message on ``files``
    and costs nothing else. ``keep_staged()`` prepares the failed form to be shown again.
    """

    files = MultipleFileField(label=_("Attachments"), required=False)
    staged = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.staged_files: list = []
        self.upload_errors: list[str] = []

    def staged_ids(self) -> list[int]:
        raw = self.data.get("staged", "") if self.data else ""
        return limits.ids(raw)  # a 25-digit "id" is no id: left out, never a database error

    def stage(self, viewer) -> list:
        from kabinet.timeline import services

        ids = self.staged_ids()
        for upload in self.files.getlist("files") if self.files else []:
            try:
                ids.append(services.stage_upload(viewer=viewer, upload=upload).pk)
            except ValidationError as exc:
                self.upload_errors.extend(exc.messages)
        self.staged_files = list(services.staged_attachments(viewer=viewer, ids=ids))
        return self.staged_files

    def is_complete(self) -> bool:
        """Valid, and every uploaded file accepted."""
        return self.is_valid() and not self.upload_errors

    def keep_staged(self) -> None:
        for error in self.upload_errors:
            self.add_error("files", error)
        data = self.data.copy()
        data["staged"] = ",".join(str(a.pk) for a in self.staged_files)
        self.data = data


class ComposerForm(StagedUploadsForm):
    kind = forms.ChoiceField(
        label=_("What"), choices=[(k.value, k.label) for k in Kind if k in COMPOSER_KINDS]
    )
    title = OneLineField(label=_("Title"), max_length=limits.TITLE)
    body = TextField(
        label=_("Text"),
        required=False,
        max_length=limits.DOCUMENT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: **bold**, lists, links, tables."),
    )
    visibility = forms.ChoiceField(
        label=_("Who sees it"), choices=Visibility.choices, initial=Visibility.CLIENT
    )
    period_start = BoundedDateField(label=_("Period from"), required=False, widget=DateInput())
    period_end = BoundedDateField(label=_("to"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("kind") in (Kind.REPORT, Kind.PLAN):
            if not data.get("period_start") or not data.get("period_end"):
                raise ValidationError(
                    _("Reports and plans cover a period: give its start and end.")
                )
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", _("The period ends before it starts."))
        return data


class ChronologyFilterForm(forms.Form):
    kind = forms.MultipleChoiceField(label=_("Kind"), choices=Kind.choices, required=False)
    start = BoundedDateField(label=_("From"), required=False, widget=DateInput())
    end = BoundedDateField(label=_("To"), required=False, widget=DateInput())
    q = forms.CharField(label=_("Search"), required=False, max_length=200)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(d.value, d.label) for d in Decision if d != Decision.PENDING]
    )
    comment = TextField(
        label=_("Comment"),
        required=False,
        max_length=limits.MESSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
