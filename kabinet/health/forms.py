from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kabinet.core import limits
from kabinet.core.concurrency import VersionField
from kabinet.core.forms import BoundedDateField, DateInput, IdChoiceField, OneLineField, TextField
from kabinet.health.imports import DATE_FORMATS, SCALES
from kabinet.health.models import Aggregation, Connection, Direction, Metric, Period, Visibility


class MetricForm(forms.Form):
    name = OneLineField(label=_("Name"), max_length=limits.NAME)
    key = forms.SlugField(
        label=_("Key"),
        max_length=64,
        help_text=_("Latin letters, digits and _, e.g. organic_sessions."),
    )
    unit = forms.CharField(label=_("Unit"), max_length=32, required=False)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    period = forms.ChoiceField(label=_("Period"), choices=Period.choices)
    aggregation = forms.ChoiceField(label=_("Monthly figure"), choices=Aggregation.choices)
    decimals = forms.IntegerField(label=_("Decimal places"), min_value=0, max_value=4, initial=0)
    visibility = forms.ChoiceField(
        label=_("Who sees it"), choices=Visibility.choices, initial=Visibility.CLIENT
    )


class PointForm(forms.Form):
    metric = IdChoiceField(label=_("KPI"), queryset=Metric.objects.none())
    date = BoundedDateField(label=_("Date"), widget=DateInput())
    value = forms.DecimalField(label=_("Value"), max_digits=18, decimal_places=4)

    def __init__(self, *args, metrics=None, **kwargs):
        super().__init__(*args, **kwargs)
        if metrics is not None:
            self.fields["metric"].queryset = metrics


class ExpectationForm(forms.Form):
    metric = IdChoiceField(label=_("KPI"), queryset=Metric.objects.none())
    target = forms.DecimalField(
        label=_("Target (the month's figure)"), max_digits=18, decimal_places=4
    )
    by_date = BoundedDateField(label=_("By"), widget=DateInput())
    note = TextField(
        label=_("In the client's words"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, metrics=None, shown=None, by_client: bool = False, **kwargs):
        """`metrics`: the queryset a choice is checked against; `shown`: those metrics when
        the page has read them already (the home's KPI cards), so listing them costs no query."""
        super().__init__(*args, **kwargs)
        if metrics is not None:
            self.fields["metric"].queryset = metrics
        if shown is not None:
            field = self.fields["metric"]
            field.choices = [("", field.empty_label)] + [
                (m.pk, field.label_from_instance(m)) for m in shown
            ]
        if by_client:
            self.fields["note"].label = _("In your words")


class ForecastForm(forms.Form):
    metric = IdChoiceField(label=_("KPI"), queryset=Metric.objects.none())
    low = forms.DecimalField(
        label=_("At least (the month's figure)"), max_digits=18, decimal_places=4
    )
    high = forms.DecimalField(label=_("At most"), max_digits=18, decimal_places=4)
    by_date = BoundedDateField(label=_("By"), widget=DateInput())
    note = TextField(
        label=_("Reasoning"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, metrics=None, **kwargs):
        super().__init__(*args, **kwargs)
        if metrics is not None:
            self.fields["metric"].queryset = metrics

    def clean(self):
        data = super().clean()
        low, high = data.get("low"), data.get("high")
        if low is not None and high is not None and low > high:
            self.add_error("high", _("The upper end of the range is below the lower end."))
        return data


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("One row per date; a column of dates and a column per KPI."),
    )


class PlanItemForm(forms.Form):
    title = OneLineField(label=_("Plan item"), max_length=limits.TITLE)
    task = IdChoiceField(label=_("Carried by task"), queryset=None, required=False)

    def __init__(self, *args, tasks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks


class MappingForm(forms.Form):
    """The column-mapping step: which column holds the dates and in what format, and which KPI
    (and in what units) each other column is. Built from the file's own header row."""

    date_column = forms.ChoiceField(label=_("Dates are in the column"))
    date_format = forms.ChoiceField(
        label=_("Date format"), choices=[(k, label) for k, (label, _f) in DATE_FORMATS.items()]
    )

    def __init__(self, *args, headers: list[str], metrics, **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        column_choices = [
            (str(i), h or _("column %(n)s") % {"n": i + 1}) for i, h in enumerate(headers)
        ]
        self.fields["date_column"].choices = column_choices
        metric_choices = [("", _("— do not import —"))] + [(m.key, str(m)) for m in metrics]
        scale_choices = [(k, label) for k, (label, _factor) in SCALES.items()]
        by_name = {m.name.strip().lower(): m.key for m in metrics} | {m.key: m.key for m in metrics}
        self.column_fields = []
        for i, header in enumerate(headers):
            name = f"col_{i}"
            self.fields[name] = forms.ChoiceField(
                label=header or _("column %(n)s") % {"n": i + 1},
                choices=metric_choices,
                required=False,
                initial=by_name.get((header or "").strip().lower(), ""),
            )
            self.fields[f"scale_{i}"] = forms.ChoiceField(
                label=_("units"), choices=scale_choices, required=False, initial="1"
            )
            self.column_fields.append((self[name], self[f"scale_{i}"]))
        guess = next(
            (
                i
                for i, h in enumerate(headers)
                if (h or "").strip().lower() in {"date", "дата", "day", "день"}
            ),
            0,
        )
        self.fields["date_column"].initial = str(guess)

    def clean(self):
        data = super().clean()
        date_column = data.get("date_column")
        chosen = [
            (i, data.get(f"col_{i}"))
            for i in range(len(self.headers))
            if data.get(f"col_{i}") and str(i) != date_column
        ]
        if not chosen:
            raise forms.ValidationError(_("Choose the KPI of at least one column."))
        keys = [key for _i, key in chosen]
        if len(set(keys)) != len(keys):
            raise forms.ValidationError(_("Two columns are mapped to the same KPI."))
        return data

    def mapping(self) -> dict:
        data = self.cleaned_data
        date_column = int(data["date_column"])
        return {
            "date_column": date_column,
            "date_format": data["date_format"],
            "columns": {
                str(i): {"metric": data[f"col_{i}"], "scale": data.get(f"scale_{i}") or "1"}
                for i in range(len(self.headers))
                if data.get(f"col_{i}") and i != date_column
            },
        }


class ConnectionForm(forms.Form):
    """A source connection. The token field is never filled from what is stored: on a change it
    stays empty (the stored token is kept) unless a new one is entered."""

    kind = forms.ChoiceField(label=_("Source"), choices=Connection.Kind.choices)
    account = forms.CharField(
        label=_("Account"),
        max_length=100,
        help_text=_(
            "Metrica counter ID, Direct client login, GA4 property ID or Google Ads customer ID."
        ),
    )
    manager_account = forms.CharField(
        label=_("Manager account"),
        max_length=100,
        required=False,
        help_text=_("Google Ads only: the manager (MCC) customer ID the access goes through."),
    )
    token = forms.CharField(
        label=_("Access token"),
        required=False,
        max_length=4000,
        strip=True,
        # render_value: a refused form gives back what was just typed; a stored token is never
        # an initial value, so it is never shown.
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, metrics=(), connection: Connection | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.metrics = list(metrics)
        self.connection = connection
        if connection is not None:
            self.fields["token"].help_text = _(
                "Stored, ends in …%(hint)s. Leave empty to keep it; enter a new one to replace it."
            ) % {"hint": connection.token_hint or "••••"}
        else:
            self.fields["token"].required = True
        mapping = (connection.mapping if connection is not None else {}) or {}
        for metric in self.metrics:
            self.fields[f"map_{metric.key}"] = forms.CharField(
                label=metric.name,
                max_length=300,
                required=False,
                initial=mapping.get(metric.key, ""),
            )

    def mapping_fields(self):
        return [self[f"map_{m.key}"] for m in self.metrics]

    def mapping(self) -> dict[str, str]:
        return {m.key: self.cleaned_data.get(f"map_{m.key}", "") for m in self.metrics}


class UnderstandingSettingsForm(forms.Form):
    """The head's settings of the understanding index: one weight per component, the agreed
    cadence of updates and the alarm thresholds (for one client tier: its own weights or not)."""

    cadence_days = forms.IntegerField(
        label=_("Agreed cadence of updates, business days"), min_value=1, max_value=60
    )
    threshold = forms.DecimalField(
        label=_("Alarm when the index is below"), min_value=0, max_value=10, decimal_places=1
    )
    drop_points = forms.DecimalField(
        label=_("… or drops by at least (points)"), min_value=0.1, max_value=10, decimal_places=1
    )
    drop_days = forms.IntegerField(label=_("… within (days)"), min_value=1, max_value=90)
    tier_own = forms.BooleanField(label=_("This tier has its own weights"), required=False)
    version = VersionField()

    def __init__(self, *args, tier: str = "", **kwargs):
        from kabinet.health.understanding import COMPONENT_LABELS
        from kabinet.lib.understanding import COMPONENTS

        super().__init__(*args, **kwargs)
        self.tier = tier
        if not tier:
            del self.fields["tier_own"]
        for key in COMPONENTS:
            self.fields[f"w_{key}"] = forms.DecimalField(
                label=COMPONENT_LABELS[key],
                min_value=0,
                max_value=100,
                decimal_places=2,
                required=True,
            )

    def weight_fields(self):
        return [self[name] for name in self.fields if name.startswith("w_")]

    def weights(self) -> dict[str, str]:
        from kabinet.lib.understanding import COMPONENTS

        return {key: self.data.get(f"w_{key}", "") for key in COMPONENTS}


class ClientLeftForm(forms.Form):
    left_on = forms.DateField(label=_("Left on"), widget=DateInput(), required=False)
