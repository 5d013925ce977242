"""Check a promised *outcome* against the agency's forecast — for the promise detector's side.

When staff write "к концу квартала выведем трафик до 40 000", the promise detector
(kabinet.promises.services.detect_in_event) calls `check_quote`: it finds the KPI the words name
(`find_metric`) and the figure (`target_in`), compares it with the KPI's latest forecast
(`check_outcome_promise`) and keeps the result on the proposal (`as_record`), which the manager
sees as "outside the forecast range" with the forecast (`describe`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import formats
from django.utils.translation import gettext as _

from kabinet.clients.models import Project
from kabinet.health.models import Forecast, Metric
from kabinet.lib import kpi


@dataclass(frozen=True)
class OutcomeCheck:
    metric: Metric
    forecast: Forecast
    check: kpi.ExpectationCheck
    reason: str
    promised_by: date | None = None

    @property
    def risky(self) -> bool:
        """The promise goes beyond the most optimistic end of the forecast."""
        return self.check.talk_now


def find_metric(project: Project, text: str) -> Metric | None:
    """The project's KPI named (by key or by a word of its name) in a piece of text, if one is."""
    lowered = text.lower()
    for metric in Metric.objects.filter(project=project).order_by("position", "pk"):
        if metric.key.lower() in lowered or metric.key.replace("_", " ") in lowered:
            return metric
        words = [w for w in metric.name.lower().split() if len(w) >= 4]
        if words and any(w[: max(4, len(w) - 2)] in lowered for w in words):
            return metric
    return None


def check_outcome_promise(
    project: Project, *, metric: Metric | str, target: Decimal | float, by_date: date | None = None
) -> OutcomeCheck | None:
    """None when the project has no such KPI or no forecast for it: nothing to compare with."""
    if isinstance(metric, str):
        metric_obj = Metric.objects.filter(project=project, key=metric).first() or find_metric(
            project, metric
        )
    else:
        metric_obj = metric
    if metric_obj is None:
        return None
    forecast = (
        Forecast.objects.filter(project=project, metric=metric_obj)
        .order_by("-created_at", "-pk")
        .first()
    )
    if forecast is None:
        return None
    check = kpi.check_expectation(
        float(target),
        float(forecast.low),
        float(forecast.high),
        higher_is_better=metric_obj.higher_is_better,
    )
    values = {
        "metric": metric_obj.name,
        "target": formats.number_format(float(target), force_grouping=True),
        "low": formats.number_format(forecast.low.normalize(), force_grouping=True),
        "high": formats.number_format(forecast.high.normalize(), force_grouping=True),
        "date": formats.date_format(forecast.by_date),
    }
    if check.talk_now:
        reason = _(
            "The promise (%(metric)s: %(target)s) goes beyond our forecast of %(low)s – %(high)s by %(date)s."
        )
    elif check.outside:
        reason = _(
            "The promise (%(metric)s: %(target)s) is below our forecast of %(low)s – %(high)s by %(date)s."
        )
    else:
        reason = _(
            "The promise (%(metric)s: %(target)s) is within our forecast of %(low)s – %(high)s by %(date)s."
        )
    return OutcomeCheck(
        metric=metric_obj,
        forecast=forecast,
        check=check,
        reason=reason % values,
        promised_by=by_date,
    )


# --------------------------------------------------------------------------- a detected promise

# "40 000", "40,000", "40.000", "1,5", "40 тыс.", "40k"
NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[\s\u00a0\u202f.,]\d{3})+|\d+(?:[.,]\d+)?)\s*"
    r"(тыс\.?|тысяч\w*|k\b|thousand)?",
    re.IGNORECASE,
)
PERCENT_AFTER = re.compile(r"^\s*(%|процент)", re.IGNORECASE)


def target_in(text: str) -> Decimal | None:
    """The figure a promise names («до 40 000 визитов», "40k leads"), or None when it names none.

    Percentages ("+30 %", "вдвое") are relative: they name no figure to compare with a forecast.
    Years ("by March 2027") are not figures either; the largest remaining number is the target.
    """
    found: list[Decimal] = []
    for match in NUMBER.finditer(text):
        raw, scale = match.group(1), match.group(2)
        if PERCENT_AFTER.match(text[match.end(1) :]):
            continue
        digits = re.sub(r"[\s\u00a0\u202f]", "", raw)
        if re.fullmatch(r"\d{1,3}([.,]\d{3})+", digits):
            digits = re.sub(r"[.,]", "", digits)  # a thousands separator
        try:
            value = Decimal(digits.replace(",", "."))
        except InvalidOperation:
            continue
        if scale:
            value *= 1000
        elif 1990 <= value <= 2100 and value == value.to_integral_value():
            continue  # a year
        found.append(value)
    return max(found) if found else None


def check_quote(project: Project, quote: str, by_date: date | None = None) -> OutcomeCheck | None:
    """Check a promise the detector found against the forecast of the KPI it names; None when it
    names no KPI of the project, no figure, or the KPI has no forecast."""
    metric = find_metric(project, quote)
    target = target_in(quote)
    if metric is None or target is None:
        return None
    return check_outcome_promise(project, metric=metric, target=target, by_date=by_date)


def _plain(value) -> str:
    """40000.0000 → "40000" (no exponent, no trailing zeros)."""
    return format(Decimal(str(value)).normalize(), "f")


def as_record(check: OutcomeCheck) -> dict:
    """What a proposal keeps of the check (plain data: its words are made when it is shown)."""
    return {
        "metric": check.metric.name,
        "target": _plain(check.check.target),
        "low": _plain(check.forecast.low),
        "high": _plain(check.forecast.high),
        "by": check.forecast.by_date.isoformat(),
        "outside": check.check.outside,
        "beyond": check.check.talk_now,
    }


def describe(record: dict) -> str:
    """The stored check in the reader's language: the promised figure and the forecast."""
    if not record:
        return ""
    values = {
        "metric": record["metric"],
        "target": formats.number_format(Decimal(record["target"]), force_grouping=True),
        "low": formats.number_format(Decimal(record["low"]), force_grouping=True),
        "high": formats.number_format(Decimal(record["high"]), force_grouping=True),
        "date": formats.date_format(date.fromisoformat(record["by"])),
    }
    return (
        _(
            "The promise names %(target)s (%(metric)s); our forecast is %(low)s – %(high)s by %(date)s."
        )
        % values
    )
