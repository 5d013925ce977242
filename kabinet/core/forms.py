from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from kabinet.core import limits
from kabinet.core.concurrency import VersionField
from kabinet.core.models import User

if TYPE_CHECKING:
    from kabinet.core.scoping import Viewer


class OneLineField(forms.CharField):
    """A one-line text (a title, a subject, a name): it may end up in an e-mail's subject, so a
    line break, a NUL or another control character is refused instead of being sent along."""

    default_error_messages = {
        "control": _("Keep this to one line: no line breaks or control characters."),
    }

    def validate(self, value):
        super().validate(value)
        if limits.has_control_characters(value):
            raise forms.ValidationError(self.error_messages["control"], code="control")


class TextField(forms.CharField):
    """A multi-line text with a maximum length the server checks, not the browser: a browser
    with `maxlength` cuts a long paste silently; here the form comes back with all of it and the
    message (what was typed is never lost)."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class DateInput(forms.DateInput):
    """`<input type="date">`, its value always ISO (2026-12-02) whatever the language: a value in
    the reader's format (02.12.2026 in Russian) is one the browser refuses and shows as empty."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class BoundedDateField(forms.DateField):
    """A date between limits.EARLIEST_DATE and limits.LATEST_DATE (0001-01-01 is a slip)."""

    def validate(self, value):
        super().validate(value)
        message = limits.date_out_of_range(value)
        if message:
            raise forms.ValidationError(message, code="date_range")


class BoundedDateTimeField(forms.DateTimeField):
    """A date and time between limits.EARLIEST_DATE and limits.LATEST_DATE."""

    def validate(self, value):
        super().validate(value)
        message = limits.date_out_of_range(value)
        if message:
            raise forms.ValidationError(message, code="date_range")


class IdChoiceField(forms.ModelChoiceField):
    """A choice of one row by id: a value that is no id (25 digits, letters) is the field's
    "not one of the choices" error, never a database error."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if limits.as_id(value) is None and not isinstance(value, self.queryset.model):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several rows by id, with the same guard as IdChoiceField."""

    def _check_values(self, value):
        for item in value:
            if limits.as_id(item) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(item)[:30]},
                )
        return super()._check_values(value)


class EmailLoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autofocus": True})
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=limits.NOTE,  # hashing a megabyte on every try is work an attacker chooses
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _("Wrong email or password. Both are case-sensitive except the email."),
        "inactive": _("This account is inactive."),
    }


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "language", "notify_by_email"]
        labels = {
            "notify_by_email": _("Send my notifications by e-mail too (off: only here in Kabinet)")
        }


class PeriodForm(forms.Form):
    """The one period filter of the numbers pages: from–to days, by default the last
    `default_days` days up to today; a wrong range is an error on "to" and keeps what was typed."""

    start = BoundedDateField(label=_("From"), required=False, widget=DateInput())
    end = BoundedDateField(label=_("to"), required=False, widget=DateInput())

    def __init__(self, *args, default_days: int = 30, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_days = default_days

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The period ends before it starts."))
        return data

    def days(self, today: date) -> tuple[date, date]:
        """The first and the last day (inclusive); the default period when the form is unbound or wrong."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or end - timedelta(days=self.default_days - 1)
        return start, end

    def instants(self, tz: ZoneInfo, today: date) -> tuple[datetime, datetime]:
        """[start, end) as aware instants in `tz`: from the first day's midnight to after the last day."""
        start, end = self.days(today)
        return datetime.combine(start, time.min, tzinfo=tz), datetime.combine(
            end + timedelta(days=1), time.min, tzinfo=tz
        )


class NotificationPreferencesForm(forms.Form):
    """One row per topic the person can be told about: immediately, in a daily digest, or off."""

    def __init__(self, *args, viewer: Viewer, **kwargs) -> None:
        from kabinet.core.notifications import Delivery, topics_for
        from kabinet.core.selectors import delivery_choices

        super().__init__(*args, **kwargs)
        chosen = delivery_choices(viewer)
        self.topics = topics_for(viewer.is_client)
        for topic in self.topics:
            self.fields[f"topic_{topic.code}"] = forms.ChoiceField(
                label=topic.label,
                choices=Delivery.choices,
                initial=chosen.get(topic.code, topic.default),
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose how to be told about this."),
                    "invalid_choice": _("Choose immediately, daily or not at all."),
                },
            )

    def rows(self) -> list[forms.BoundField]:
        return [self[f"topic_{topic.code}"] for topic in self.topics]

    def choices(self) -> dict[str, str]:
        return {topic.code: self.cleaned_data[f"topic_{topic.code}"] for topic in self.topics}


def _parse_days(text: str) -> tuple[list, list[str]]:
    """Dates one per line (or separated by commas): 2026-12-31 or 31.12.2026."""
    days, bad = [], []
    for raw in text.replace(",", "\n").splitlines():
        item = raw.strip()
        if not item:
            continue
        for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                days.append(datetime.strptime(item, fmt).date())
                break
            except ValueError:
                continue
        else:
            bad.append(item)
    return days, bad


class DaysField(TextField):
    widget = forms.Textarea(attrs={"rows": 4})

    def to_python(self, value):
        days, bad = _parse_days(super().to_python(value) or "")
        if bad:
            raise forms.ValidationError(
                _("Not a date: %(items)s. Write one date per line, e.g. 2026-12-31 or 31.12.2026.")
                % {"items": ", ".join(bad)}
            )
        return days


class CalendarForm(forms.Form):
    """The agency's business calendar, as the head edits it (saved by services.save_calendar)."""

    timezone = forms.ChoiceField(label=_("Time zone"))
    country = forms.CharField(
        label=_("Country of public holidays"),
        max_length=8,
        required=False,
        help_text=_("Two-letter code, e.g. RU or DE; leave empty for no public holidays."),
    )
    work_start = forms.TimeField(
        label=_("Working day starts"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    work_end = forms.TimeField(
        label=_("Working day ends"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    weekend = forms.TypedMultipleChoiceField(
        label=_("Weekend days"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    days_off = DaysField(
        label=_("Custom days off"),
        max_length=limits.NOTE,
        required=False,
        help_text=_("One date per line, e.g. 2026-12-31."),
    )
    working_days = DaysField(
        label=_("Extra working days"),
        max_length=limits.NOTE,
        required=False,
        help_text=_("Weekend or holiday dates that are worked, one per line."),
    )
    version = VersionField()

    def __init__(self, *args, **kwargs) -> None:
        from zoneinfo import available_timezones

        from django.utils.dates import WEEKDAYS

        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = [(z, z) for z in sorted(available_timezones())]
        self.fields["weekend"].choices = [(n, WEEKDAYS[n]) for n in range(7)]

    @classmethod
    def initial_for(cls, agency) -> dict:
        return {
            "timezone": agency.timezone,
            "country": agency.country,
            "work_start": agency.work_start,
            "work_end": agency.work_end,
            "weekend": agency.weekend if agency.weekend else [5, 6],
            "days_off": "\n".join(agency.days_off),
            "working_days": "\n".join(agency.working_days),
            "version": agency.version,
        }

    def clean_country(self) -> str:
        return self.cleaned_data["country"].strip().upper()
