"""The month for a report: the KPI table, a chart image and the done work, from the same data the
client sees on her home page — so a report takes minutes and always matches it."""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from kabinet.health.selectors import Card, MonthSummary
from kabinet.lib import kpi


def number(card: Card, value: float | None) -> str:
    if value is None:
        return "—"
    text = formats.number_format(
        round(value, card.metric.decimals),
        decimal_pos=card.metric.decimals,
        use_l10n=True,
        force_grouping=True,
    )
    return text


def change(card: Card, comparison: kpi.Comparison) -> str:
    share = comparison.change_share
    if share is None:
        return "—"
    arrow = {True: "▲", False: "▼", None: ""}[
        comparison.improved(higher_is_better=card.higher_is_better)
    ]
    sign = "+" if share > 0 else ("−" if share < 0 else "")
    text = formats.number_format(round(abs(share) * 100, 1), decimal_pos=1, use_l10n=True)
    return f"{sign}{text} % {arrow}".strip()


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(summary: MonthSummary) -> str:
    """Markdown in the client's language, ready to paste into (or insert in) a report."""
    project = summary.project
    with translation.override(project.company.language):
        month_name = formats.date_format(summary.month, "YEAR_MONTH_FORMAT")
        heading = _("Results: %(month)s") % {"month": month_name}
        vs_previous = _("vs the month before")
        vs_year = _("vs a year before")
        kpi_label, forecast_label = _("KPI"), _("Our forecast")
        lines = [f"## {heading}", ""]
        if summary.cards:
            lines += [
                f"| {kpi_label} | {month_name} | {vs_previous} | {vs_year} | {forecast_label} |",
                "|---|---:|---:|---:|---|",
            ]
            for card in summary.cards:
                metric = card.metric
                name = f"{metric.name}, {metric.unit}" if metric.unit else metric.name
                forecast = "—"
                if card.forecast is not None:
                    forecast = _("%(low)s – %(high)s by %(date)s") % {
                        "low": number(card, float(card.forecast.low)),
                        "high": number(card, float(card.forecast.high)),
                        "date": formats.date_format(card.forecast.by_date, "SHORT_DATE_FORMAT"),
                    }
                lines.append(
                    f"| {_cell(name)} | {number(card, card.vs_last_month.value)} | {change(card, card.vs_last_month)} | "
                    f"{change(card, card.vs_last_year)} | {_cell(forecast)} |"
                )
            lines.append("")
            for card in summary.cards:
                url = reverse("health:chart_svg", args=[project.pk, card.metric.pk])
                lines += [f"![{_cell(card.metric.name)}]({url}?month={summary.month:%Y-%m})", ""]
        else:
            lines += [_("No KPIs are recorded for this project yet."), ""]
        done_heading = _("Done in %(month)s") % {"month": month_name}
        lines += [f"## {done_heading}", ""]
        if summary.done:
            for event in summary.done:
                when = formats.date_format(event.occurred_at, "SHORT_DATE_FORMAT")
                lines.append(f"- {when} — {event.title}")
        else:
            lines.append(_("No completed work is recorded in the chronology for this month."))
        lines.append("")
    return "\n".join(lines)


WIDTH, HEIGHT, PAD_L, PAD_R, PAD_T, PAD_B = 640, 260, 56, 16, 28, 44


def svg(card: Card) -> str:
    """A small, dependency-free SVG of the monthly figures with the forecast and expectation."""
    months = card.months
    values = {m: card.figures.get(m) for m in months if m <= card.last_complete}
    candidates = [v for v in values.values() if v is not None]
    if card.forecast is not None:
        candidates += [float(card.forecast.low), float(card.forecast.high)]
    if card.expectation is not None:
        candidates.append(float(card.expectation.target))
    top = max(candidates, default=1.0) * 1.1 or 1.0
    bottom = min(0.0, min(candidates, default=0.0))
    span = (top - bottom) or 1.0
    n = max(len(months), 1)
    step = (WIDTH - PAD_L - PAD_R) / n

    def x(i: float) -> float:
        return PAD_L + step * (i + 0.5)

    def y(v: float) -> float:
        return PAD_T + (HEIGHT - PAD_T - PAD_B) * (1 - (v - bottom) / span)

    title = escape(
        f"{card.metric.name} ({card.metric.unit})" if card.metric.unit else card.metric.name
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{title}" font-family="sans-serif" font-size="11">',
        f"<title>{title}</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
        f'<text x="{PAD_L}" y="16" font-size="13" font-weight="bold">{title}</text>',
    ]
    for frac in (0, 0.5, 1):
        v = bottom + span * frac
        parts.append(
            f'<line x1="{PAD_L}" x2="{WIDTH - PAD_R}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e3e6ee"/>'
        )
        parts.append(
            f'<text x="{PAD_L - 6}" y="{y(v) + 4:.1f}" text-anchor="end" fill="#6b7385">{escape(number(card, v))}</text>'
        )
    index = {m: i for i, m in enumerate(months)}
    if card.forecast is not None and kpi.month_start(card.forecast.by_date) in index:
        i = index[kpi.month_start(card.forecast.by_date)]
        forecast_label = escape(_("Our forecast"))
        y1, y2 = y(float(card.forecast.high)), y(float(card.forecast.low))
        parts.append(
            f'<rect x="{x(i) - step * 0.35:.1f}" y="{y1:.1f}" width="{step * 0.7:.1f}" height="{max(y2 - y1, 2):.1f}" '
            f'fill="#7b4de0" fill-opacity="0.18" stroke="#7b4de0"><title>{forecast_label}</title></rect>'
        )
    if card.expectation is not None and kpi.month_start(card.expectation.by_date) in index:
        i = index[kpi.month_start(card.expectation.by_date)]
        expectation_label = escape(_("Client's expectation"))
        ye = y(float(card.expectation.target))
        parts.append(
            f'<line x1="{x(i) - step * 0.45:.1f}" x2="{x(i) + step * 0.45:.1f}" y1="{ye:.1f}" y2="{ye:.1f}" '
            f'stroke="#e07b39" stroke-width="3" stroke-dasharray="6 3"><title>{expectation_label}</title></line>'
        )
    coords = [f"{x(index[m]):.1f},{y(v):.1f}" for m, v in values.items() if v is not None]
    if coords:
        parts.append(
            f'<polyline points="{" ".join(coords)}" fill="none" stroke="#2f5bea" stroke-width="2.5"/>'
        )
        for c in coords:
            cx, cy = c.split(",")
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="3.5" fill="#2f5bea"/>')
    for note in card.annotations:
        xi = x(note["x"])
        parts.append(
            f'<path d="M{xi:.1f},{HEIGHT - PAD_B + 2} l-4,8 h8 z" fill="#1e8e3e"><title>{escape(note["date"])} — '
            f"{escape(note['title'])}</title></path>"
        )
    for m, i in index.items():
        label = formats.date_format(m, "M y") if n > 8 else formats.date_format(m, "M Y")
        parts.append(
            f'<text x="{x(i):.1f}" y="{HEIGHT - 10}" text-anchor="middle" fill="#6b7385">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)
