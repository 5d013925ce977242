from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kabinet.core import limits
from kabinet.core.concurrency import VersionField
from kabinet.core.forms import BoundedDateTimeField, DateInput, TextField
from kabinet.lib.scheduling.priority import DEFAULT_WEIGHTS, FACTORS

FACTOR_LABELS = {
    "deadline": _("Deadline slack against the remaining work"),
    "promise": _("A promise to the client is attached"),
    "tier": _("Client tier"),
    "budget": _("Client's monthly budget"),
    "health": _("Client's health (understanding index)"),
    "blocks_tasks": _("Tasks it blocks"),
    "blocks_hours": _("Hours of work it blocks"),
    "client_visible": _("The client sees the task"),
    "age": _("How long it has waited"),
    "boost": _("Manager's boost"),
}
FACTOR_SHORT = {
    "deadline": _("deadline"),
    "promise": _("promise"),
    "tier": _("tier"),
    "budget": _("budget"),
    "health": _("client health"),
    "blocks_tasks": _("blocks tasks"),
    "blocks_hours": _("blocks hours"),
    "client_visible": _("client sees it"),
    "age": _("waiting"),
    "boost": _("boost"),
}


class WeightsForm(forms.Form):
    """Plain text inputs: the service validates and says what is wrong, the typed text stays."""

    capacity_hours = forms.CharField(
        label=_("Daily capacity, hours"),
        help_text=_("Focused work a person does a day: the first hours of each business day."),
        max_length=20,
        required=False,
    )
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in FACTORS:
            self.fields[f"w_{name}"] = forms.CharField(
                label=FACTOR_LABELS[name],
                max_length=20,
                required=False,
                help_text=_("Default: %(value)s") % {"value": DEFAULT_WEIGHTS[name]},
            )

    def weight_fields(self):
        return [self[f"w_{name}"] for name in FACTORS]

    def weights(self) -> dict[str, str]:
        return {name: self.data.get(f"w_{name}", "") for name in FACTORS}


class AcceptForm(forms.Form):
    """Accepting a proposed move: the date as the manager sets it, the reason the client is given
    (from a short list, or written), the message, and the internal reason (never shown to her)."""

    new_due = BoundedDateTimeField(
        label=_("New deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        required=False,
    )
    client_reason = forms.ChoiceField(label=_("Reason the client is given"), required=False)
    client_reason_text = forms.CharField(
        label=_("…or in your words"), max_length=300, required=False
    )
    message = TextField(
        label=_("Message to the client"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=limits.MESSAGE,
    )
    reason = forms.CharField(
        label=_("Internal reason (kept on the record, not shown to the client)"),
        max_length=1000,
        required=False,
    )
    seen_new_due = BoundedDateTimeField(widget=forms.HiddenInput, required=False)
    version = VersionField()  # the task's, as the page showed it

    def __init__(self, *args, tz=None, **kwargs):
        from kabinet.planning.wording import CLIENT_REASONS

        super().__init__(*args, **kwargs)
        self.tz = tz
        self.fields["client_reason"].choices = [
            (key, _(text)) for key, text in CLIENT_REASONS.items()
        ] + [("", _("other (write it below)"))]

    def clean_new_due(self):
        value = self.cleaned_data.get("new_due")
        if value is None or self.tz is None:
            return value
        from django.utils import timezone

        return timezone.make_aware(value.replace(tzinfo=None), self.tz)

    def chosen_reason(self) -> str | None:
        """The reason for the client: the manager's words win over the list; None when the form
        did not carry the choice at all (the proposal's own reason is kept)."""
        if "client_reason" not in self.data and "client_reason_text" not in self.data:
            return None
        return (self.cleaned_data.get("client_reason_text") or "").strip() or (
            self.cleaned_data.get("client_reason") or ""
        )


class PinForm(forms.Form):
    """The queue's pin button: what it asks for and the task's version the queue showed."""

    pinned = forms.ChoiceField(
        label=_("Pinned in the queue"),
        choices=[("1", _("pinned")), ("0", _("not pinned"))],
        required=False,
    )
    version = VersionField()


class BoostForm(forms.Form):
    """The queue's boost control (the service checks the number and names the error)."""

    boost = forms.CharField(label=_("Priority boost"), max_length=20, required=False)
    version = VersionField()


class RejectForm(forms.Form):
    note = forms.CharField(label=_("Why the deadline stays"), max_length=1000, required=False)


WEEKDAYS = [
    (0, _("Mon")),
    (1, _("Tue")),
    (2, _("Wed")),
    (3, _("Thu")),
    (4, _("Fri")),
    (5, _("Sat")),
    (6, _("Sun")),
]


class ScheduleForm(forms.Form):
    """Plain inputs: the service validates and names the field; what was typed stays."""

    work_start = forms.CharField(
        label=_("Working day starts"),
        required=False,
        max_length=8,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Empty: the agency's hours."),
    )
    work_end = forms.CharField(
        label=_("Working day ends"),
        required=False,
        max_length=8,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    weekdays = forms.MultipleChoiceField(
        label=_("Days I work"),
        choices=WEEKDAYS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: the agency's working days."),
    )
    capacity_hours = forms.CharField(
        label=_("Daily capacity, hours"),
        required=False,
        max_length=20,
        help_text=_("Focused work a day. Empty: the agency's default."),
    )
    skills = forms.MultipleChoiceField(
        label=_("Skills"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, skills=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skills"].choices = [(str(s.pk), s.name) for s in skills]


class AbsenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=())
    starts_on = forms.CharField(
        label=_("First day"),
        widget=DateInput(),
        required=False,
        max_length=32,
    )
    ends_on = forms.CharField(
        label=_("Last day"),
        widget=DateInput(),
        required=False,
        max_length=32,
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        from kabinet.planning.models import AbsenceKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = AbsenceKind.choices


class SkillsForm(forms.Form):
    skills = TextField(
        label=_("The agency's skills, one per line"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=limits.NOTE,
        help_text=_(
            "People have skills; a task may need one. A skill taken off the list is removed from people and tasks."
        ),
    )
