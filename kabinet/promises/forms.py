from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kabinet.core import limits
from kabinet.core.concurrency import VersionField
from kabinet.core.forms import BoundedDateTimeField, OneLineField, TextField
from kabinet.timeline.forms import StagedUploadsForm

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
NEW_TASK = "new"
NO_TASK = "none"


def wall_clock(value: datetime | None, tz: ZoneInfo) -> str:
    """A date-time as the form field shows it; empty for none (an outcome promised without a time)."""
    return value.astimezone(tz).strftime("%Y-%m-%dT%H:%M") if value else ""


class AgencyTimeMixin:
    """Date-times typed by staff are wall-clock times in the agency's time zone."""

    tz: ZoneInfo

    def _in_agency_tz(self, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        return timezone.make_aware(value.replace(tzinfo=None), self.tz)


class TaskChoiceMixin:
    def _task_choices(self, tasks) -> list[tuple[str, str]]:
        choices = [(NEW_TASK, _("Create a task to prepare it")), (NO_TASK, _("No task"))]
        choices += [(str(t.pk), str(t.title)) for t in tasks]
        return choices


class PromiseForm(AgencyTimeMixin, TaskChoiceMixin, forms.Form):
    """A promise typed by hand, or a detected one with a changed date or wording."""

    what = OneLineField(label=_("What was promised"), max_length=limits.TITLE)
    due_at = BoundedDateTimeField(
        label=_("Due"),
        widget=DATETIME_INPUT,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("In the agency's time zone; “end of the day” is the end of the business day."),
    )
    quote = TextField(
        label=_("The words used (optional)"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    task = forms.ChoiceField(label=_("Task"), required=False)
    promised_by = forms.ChoiceField(label=_("Who promised"), required=False)

    def __init__(self, *args, tz: ZoneInfo, tasks=(), with_quote: bool = True, team=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.tz = tz
        self.team = {str(u.pk): u for u in team}
        if team:
            self.fields["promised_by"].choices = [(str(u.pk), u.full_name) for u in team]
        else:
            del self.fields["promised_by"]
        self.fields["task"].choices = self._task_choices(tasks)
        self.fields["task"].initial = NEW_TASK
        self.tasks = {str(t.pk): t for t in tasks}
        if not with_quote:
            del self.fields["quote"]

    def clean_due_at(self):
        return self._in_agency_tz(self.cleaned_data.get("due_at"))

    def clean_task(self):
        value = self.cleaned_data.get("task") or NEW_TASK
        if value not in (NEW_TASK, NO_TASK) and value not in self.tasks:
            raise forms.ValidationError(_("Choose an open task of this project."))
        return value

    def clean_promised_by(self):
        value = self.cleaned_data.get("promised_by") or ""
        if value and value not in self.team:
            raise forms.ValidationError(_("Choose a person on the project team."))
        return self.team.get(value)

    def task_kwargs(self) -> dict:
        value = self.cleaned_data["task"]
        if value == NEW_TASK:
            return {"task": None, "create_task": True}
        if value == NO_TASK:
            return {"task": None, "create_task": False}
        return {"task": self.tasks[value], "create_task": False}


class KeepForm(AgencyTimeMixin, StagedUploadsForm):
    """Kept means delivered: what the client received — chosen, or written here and now."""

    evidence = forms.ChoiceField(
        label=_("Delivered in"),
        required=False,
        help_text=_("A message, report or document the client can see on this project."),
    )
    message = TextField(
        label=_("…or deliver it now: message to the client"),
        required=False,
        max_length=limits.MESSAGE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("It goes into the client's chronology, with the files attached below."),
    )
    kept_at = BoundedDateTimeField(
        label=_("Delivered at (if not just now)"),
        required=False,
        widget=DATETIME_INPUT,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args, tz: ZoneInfo, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.tz = tz
        self.candidates = {str(e.pk): e for e in candidates}
        self.fields["evidence"].choices = [("", _("— write it now —"))] + [
            (
                str(e.pk),
                f"{e.occurred_at.astimezone(tz):%d.%m %H:%M} · {e.get_kind_display()} · {e.shown_title}",
            )
            for e in candidates
        ]

    def clean_kept_at(self):
        return self._in_agency_tz(self.cleaned_data.get("kept_at"))

    def clean_evidence(self):
        value = self.cleaned_data.get("evidence") or ""
        return self.candidates.get(value)


class RenegotiateForm(AgencyTimeMixin, forms.Form):
    new_due = BoundedDateTimeField(
        label=_("New due date"),
        widget=DATETIME_INPUT,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    reason = TextField(
        label=_("Reason"), max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 2})
    )
    message = TextField(
        label=_("Message to the client"),
        required=False,
        max_length=limits.MESSAGE,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "It goes into the client's chronology. Written in the client's language; edit it freely."
        ),
    )
    version = VersionField()

    def __init__(self, *args, tz: ZoneInfo, **kwargs):
        super().__init__(*args, **kwargs)
        self.tz = tz

    def clean_new_due(self):
        return self._in_agency_tz(self.cleaned_data.get("new_due"))
