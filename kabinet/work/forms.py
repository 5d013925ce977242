from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kabinet.core import limits
from kabinet.core.concurrency import VersionField
from kabinet.core.forms import (
    BoundedDateField,
    BoundedDateTimeField,
    DateInput,
    IdChoiceField,
    IdMultipleChoiceField,
    OneLineField,
    TextField,
)
from kabinet.work.models import AutomationRule, ProjectRoleChoice, Recurrence, Task, Visibility

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%Y-%m-%d", "%d.%m.%Y"]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class TaskForm(forms.Form):
    title = OneLineField(label=_("Title"), max_length=limits.TITLE)
    description = TextField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=limits.MESSAGE,
    )
    assignee = IdChoiceField(label=_("Assignee"), queryset=None, required=False)
    estimate_hours = forms.DecimalField(
        label=_("Estimate, hours"), required=False, min_value=0, max_value=10000
    )
    due_at = BoundedDateTimeField(
        label=_("Due"), required=False, widget=DateTimeInput(), input_formats=DATETIME_FORMATS
    )
    visibility = forms.ChoiceField(
        label=_("Who sees it"), choices=Visibility.choices, initial=Visibility.INTERNAL
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=Task.Status.choices, initial=Task.Status.TODO
    )
    priority_boost = forms.IntegerField(
        label=_("Priority boost"), initial=0, min_value=-100, max_value=100
    )
    blocked_by = IdMultipleChoiceField(label=_("Blocked by"), queryset=None, required=False)
    skill = IdChoiceField(
        label=_("Skill needed"),
        queryset=None,
        required=False,
        help_text=_("The plan gives the task only to people with this skill."),
    )
    reason = TextField(
        label=_("Reason for the change"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Required when the due date moves; for a client-visible task the client sees it."
        ),
    )
    version = VersionField()

    def __init__(
        self, *args, people, project_tasks, skills=None, editing: bool = False, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = people
        if skills is None:
            from kabinet.planning.models import Skill

            skills = Skill.objects.none()
        self.fields["skill"].queryset = skills
        self.fields["blocked_by"].queryset = project_tasks
        self.fields["blocked_by"].widget.attrs["size"] = 5
        if not editing:
            del self.fields["reason"]
            del self.fields["version"]
            self.fields["status"].choices = [
                (s.value, s.label) for s in Task.Status if s in Task.OPEN_STATUSES
            ]


class MoveDueForm(forms.Form):
    due_at = BoundedDateTimeField(
        label=_("New due date"), widget=DateTimeInput(), input_formats=DATETIME_FORMATS
    )
    reason = TextField(
        label=_("Reason"),
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a client-visible task the client sees this reason in the chronology."),
        error_messages={
            "required": _("Say why the due date moves: the reason is kept on the record.")
        },
    )
    version = VersionField()


class PlaybookForm(forms.Form):
    name = OneLineField(label=_("Name"), max_length=limits.NAME)
    language = forms.ChoiceField(
        label=_("Language"), choices=[("ru", _("Russian")), ("en", _("English"))]
    )
    service = forms.CharField(label=_("Service"), max_length=16, required=False)
    description = TextField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=limits.MESSAGE,
    )
    version = VersionField()


class PlaybookItemForm(forms.Form):
    title = OneLineField(label=_("Task"), max_length=limits.TITLE, required=False)
    offset_business_days = forms.IntegerField(
        label=_("Due after, business days"), min_value=0, max_value=1000, required=False
    )
    estimate_hours = forms.DecimalField(
        label=_("Estimate, hours"), required=False, min_value=0, max_value=10000
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=ProjectRoleChoice.choices, initial=ProjectRoleChoice.SPECIALIST
    )
    visibility = forms.ChoiceField(
        label=_("Who sees it"), choices=Visibility.choices, initial=Visibility.CLIENT
    )
    depends_on = forms.CharField(
        label=_("Depends on (numbers)"),
        required=False,
        max_length=100,
        help_text=_("Numbers of earlier rows, e.g. 1, 2"),
    )

    def clean_depends_on(self) -> list[int]:
        raw = self.cleaned_data.get("depends_on") or ""
        parts = [part.strip() for part in raw.replace(";", ",").split(",") if part.strip()]
        # A row number is short: "1234567890123456789012345" is refused like a word.
        if not all(part.isdigit() and len(part) <= 4 and int(part) > 0 for part in parts):
            raise ValidationError(_("Write row numbers separated by commas, e.g. 1, 2."))
        return [int(part) - 1 for part in parts]


PlaybookItemFormSet = forms.formset_factory(PlaybookItemForm, extra=3, can_delete=True)


class StartPlaybookForm(forms.Form):
    playbook = IdChoiceField(label=_("Playbook"), queryset=None)
    start = BoundedDateField(label=_("Start date"), widget=DateInput())

    def __init__(self, *args, playbooks, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["playbook"].queryset = playbooks


class RecurrenceForm(forms.Form):
    title = OneLineField(label=_("Title"), max_length=limits.TITLE)
    description = TextField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=limits.MESSAGE,
    )
    mode = forms.ChoiceField(label=_("Repeat"), choices=Recurrence.Mode.choices)
    business_day = forms.IntegerField(
        label=_("Business day of the month"),
        required=False,
        min_value=1,
        max_value=15,
        help_text=_(
            "E.g. 3 = the third business day of every month (public holidays and days off count)."
        ),
    )
    rrule = forms.CharField(
        label=_("RRULE"),
        required=False,
        max_length=500,
        help_text=_("RFC 5545, e.g. FREQ=WEEKLY;BYDAY=MO or FREQ=MONTHLY;BYMONTHDAY=1"),
    )
    due_time = forms.TimeField(
        label=_("Due time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("Empty: the end of the business day."),
    )
    assignee_role = forms.ChoiceField(label=_("Assignee role"), choices=ProjectRoleChoice.choices)
    assignee = IdChoiceField(
        label=_("Assignee (overrides the role)"), queryset=None, required=False
    )
    estimate_hours = forms.DecimalField(
        label=_("Estimate, hours"), required=False, min_value=0, max_value=10000
    )
    visibility = forms.ChoiceField(
        label=_("Who sees it"), choices=Visibility.choices, initial=Visibility.CLIENT
    )
    lead_days = forms.IntegerField(
        label=_("Create days in advance"), min_value=0, max_value=60, initial=7
    )
    starts_on = BoundedDateField(label=_("Starts on"), widget=DateInput())
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, people, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = people


class RuleForm(forms.Form):
    enabled = forms.BooleanField(label=_("Enabled"), required=False)
    version = VersionField()

    PARAM_LABELS = {
        "business_hours": _("after business hours"),
        "business_days": _("after business days"),
        "grace_business_days": _("business days of grace"),
        "hours": _("hours before the due time"),
    }

    def __init__(self, *args, rule: AutomationRule, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rule = rule
        self.conflict: dict | None = None  # the conflict panel, when a save came too late
        for name in AutomationRule.DEFAULT_PARAMS.get(rule.kind, {}):
            self.fields[name] = forms.IntegerField(
                label=self.PARAM_LABELS.get(name, name),
                min_value=1,
                max_value=1000,
                initial=rule.param(name),
            )
        self.fields["enabled"].initial = rule.enabled
        self.fields["version"].initial = rule.version

    def params(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("enabled", "version")}
