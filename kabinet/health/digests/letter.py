"""The week's items written as a short Markdown letter in the client's language."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kabinet.core.formatting import format_due
from kabinet.core.services import absolute_url
from kabinet.health import reports
from kabinet.health.digests.selectors import KpiLine, PromiseLine, WeekItems
from kabinet.timeline.models import Event, Kind


def _day(value: date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def week_label(week_start: date) -> str:
    return f"{_day(week_start)} – {_day(week_start + timedelta(days=6))}"


def _when(items: WeekItems, at: datetime | None) -> str:
    return format_due(items.project.agency, at, long=True) if at else ""


def _event_line(event: Event) -> str:
    when = formats.date_format(event.occurred_at.astimezone(_tz(event)), "d.m")
    title = event.shown_title
    if event.kind in (Kind.REPORT, Kind.PLAN, Kind.RECOMMENDATION):
        title = f"{event.get_kind_display()}: {title}"
    return f"- {when} — {title}"


def _tz(event: Event):
    from zoneinfo import ZoneInfo

    return ZoneInfo(event.project.agency.timezone)


def _kpi_line(line: KpiLine) -> str:
    card = line.card
    comparison = card.vs_last_month
    metric = card.metric
    value = reports.number(card, comparison.value)
    unit = f" {metric.unit}" if metric.unit else ""
    month = formats.date_format(comparison.month, "YEAR_MONTH_FORMAT")
    text = _("%(name)s, %(month)s: %(value)s") % {
        "name": metric.name,
        "value": f"{value}{unit}",
        "month": month.lower() if translation.get_language() == "ru" else month,
    }
    if comparison.other is None:
        return f"- {text}"
    verdict = {
        True: _("better"),
        False: _("worse"),
        None: _("no change"),
    }[comparison.improved(higher_is_better=card.higher_is_better)]
    previous = f"{reports.number(card, comparison.other)}{unit}"
    return (
        f"- {text} ({reports.change(card, comparison)} — {verdict}; "
        + _("the month before: %(previous)s") % {"previous": previous}
        + ")"
    )


def _promise_line(items: WeekItems, line: PromiseLine) -> str:
    what, due = line.promise.what, _when(items, line.due_at)
    if line.state == "kept":
        return "- " + _("Kept: %(what)s") % {"what": what}
    if line.state == "moved":
        return "- " + _("Moved: %(what)s — now by %(due)s") % {"what": what, "due": due}
    if line.state == "late":
        return "- " + _("Not kept on time: %(what)s — was due %(due)s") % {"what": what, "due": due}
    return "- " + _("Open: %(what)s — by %(due)s") % {"what": what, "due": due}


def _waiting_line(waiting) -> str:
    if waiting.days == 0:
        return f"- {waiting.title} — " + _("waiting since today")
    days = ngettext("waiting %(days)d day", "waiting %(days)d days", waiting.days) % {
        "days": waiting.days
    }
    return f"- {waiting.title} — {days}"


def compose(items: WeekItems, language: str, signer=None) -> tuple[str, str]:
    """(subject, Markdown body) of the letter, in `language`."""
    project = items.project
    with translation.override(language):
        label = week_label(items.week_start)
        subject = _("Weekly digest: %(project)s, %(week)s") % {
            "project": project.name,
            "week": label,
        }
        lines = [
            _("Hello!"),
            "",
            _("Here is the week of %(week)s on the project «%(project)s».")
            % {"week": label, "project": project.name},
            "",
        ]
        sections: list[tuple[str, list[str]]] = [
            (
                _("What we did"),
                [
                    _event_line(e)
                    for e in sorted(items.done + items.published, key=lambda e: e.occurred_at)
                ],
            ),
            (
                _("What is next"),
                [
                    f"- {n.title}" + (f" — {_when(items, n.due_at)}" if n.due_at else "")
                    for n in items.next
                ],
            ),
            (_("What it led to"), [_kpi_line(k) for k in items.kpis]),
            (_("What we promised"), [_promise_line(items, p) for p in items.promises]),
            (_("Waiting for you"), [_waiting_line(w) for w in items.waiting]),
        ]
        if items.count == 0:
            lines += [_("This week we have nothing new to report on this project."), ""]
        for heading, section in sections:
            if section:
                lines += [f"### {heading}", "", *section, ""]
        link = absolute_url(url=reverse("project", args=[project.pk]))
        lines += [_("Everything is in your chronology: %(link)s") % {"link": link}, ""]
        if signer is not None:
            lines += [f"{signer.full_name or signer.email}", _("Account manager")]
        return subject[:300], "\n".join(lines).strip() + "\n"
