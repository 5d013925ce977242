from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from kabinet.core.models import User


class EmailLoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autofocus": True})
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
        fields = ["full_name", "language", "notify_in_app", "notify_by_email"]


class PeriodForm(forms.Form):
    """The one period filter of the numbers pages: from–to days, by default the last
    `default_days` days up to today; a wrong range is an error on "to" and keeps what was typed."""

    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

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
