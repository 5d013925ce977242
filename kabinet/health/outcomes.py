"""Check a promised *outcome* against the agency's forecast — for the promise detector's side.

When staff write "к концу квартала выведем трафик до 40 000" the detector can call
`check_outcome_promise(project, metric="organic_sessions", target=40000, by_date=...)` (or find
the metric from the words with `find_metric`) and flag the promise to the manager the same way
an expectation outside the forecast is flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

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
