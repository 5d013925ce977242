"""`kabinet health backtest`: does the understanding index separate the clients who left?

For each client company that left (its `left_on`, marked by the head, and/or a CSV of
departures), the index is reconstructed as it stood `lead_days` (30) before the departure — the
adapter measures "as of" any moment and the scorer is pure — and, at the same moments, for every
client that stayed (matching times). The departed are the positives, the risk is 10 − index;
ROC AUC is the exact Mann–Whitney count, for the index and for each component's own score.

Proposed weights: in proportion to each component's lift over chance (AUC − 0.5, floored at 0),
scaled to the current total (`kabinet.lib.understanding.proposed_weights`). No fitted regression:
scipy is not a dependency. The AUC of the proposed weights is measured on the same history
(in-sample, so optimistic). The proposal is stored for the head, who accepts it or not on the
settings page.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone

from kabinet.clients.models import ClientCompany, Project
from kabinet.core.models import Agency
from kabinet.health import understanding as adapter
from kabinet.lib import understanding as engine

METHOD = (
    "AUC-proportional: each weight ∝ max(0, component AUC − 0.5), scaled to the current total "
    "(scipy is not installed, so no fitted logistic regression)"
)


class BacktestError(Exception):
    """Bad input (a CSV row, an agency, too few departures): the message names what and where."""


@dataclass
class Sample:
    company: ClientCompany
    as_of: date
    departed: bool
    left_on: date | None
    measurements: engine.Measurements
    score: engine.Score


def read_departures(path: Path, agency: Agency) -> dict[int, date]:
    """company (name or id), left_on (YYYY-MM-DD) per row; a header row is required."""
    if not path.exists():
        raise BacktestError(f"--departures: no such file: {path}")
    companies = {c.name.casefold(): c for c in ClientCompany.objects.filter(agency=agency)}
    by_id = {str(c.pk): c for c in companies.values()}
    out: dict[int, date] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = [f.strip().lower() for f in reader.fieldnames or []]
        if "company" not in fields or "left_on" not in fields:
            raise BacktestError(
                f"{path}: the header must name the columns 'company' and 'left_on' "
                f"(found: {', '.join(fields) or 'nothing'})"
            )
        for line, row in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
            name = row.get("company", "")
            company = by_id.get(name) or companies.get(name.casefold())
            if company is None:
                raise BacktestError(
                    f"{path}, line {line}, column company: no client {name!r} in {agency.slug}"
                )
            try:
                left = date.fromisoformat(row.get("left_on", ""))
            except ValueError:
                raise BacktestError(
                    f"{path}, line {line}, column left_on: {row.get('left_on')!r} is not a date "
                    "(YYYY-MM-DD)"
                ) from None
            out[company.pk] = left
    return out


def _end_of(day: date, agency: Agency) -> datetime:
    return datetime.combine(day, time(23, 59), tzinfo=agency.calendar().tz)


def collect(agency: Agency, departures: dict[int, date], lead_days: int = 30) -> list[Sample]:
    """The samples: each departed client as of `lead_days` before it left, and every client that
    stayed (or had not left yet) at each of those moments."""
    row = adapter.settings_for(agency)
    companies = {c.pk: c for c in ClientCompany.objects.filter(agency=agency)}
    projects = list(Project.objects.filter(agency=agency).select_related("company"))
    moments = sorted({left - timedelta(days=lead_days) for left in departures.values()})
    samples: list[Sample] = []
    for as_of in moments:
        at = _end_of(as_of, agency)
        live = [
            p
            for p in projects
            if p.start_date <= as_of
            and (departures.get(p.company_id) is None or departures[p.company_id] > as_of)
        ]
        measured = adapter.measure(agency, at, live)
        by_company: dict[int, list[engine.Measurements]] = {}
        for p in live:
            by_company.setdefault(p.company_id, []).append(measured[p.pk])
        for company_id, items in by_company.items():
            left = departures.get(company_id)
            departed = left is not None and left - timedelta(days=lead_days) == as_of
            if left is not None and not departed:
                continue  # leaves later: not a stayer, and not yet its moment
            company = companies[company_id]
            m = engine.merge(items)
            s = engine.score(m, adapter.engine_settings(row, company.tier))
            samples.append(Sample(company, as_of, departed, left, m, s))
    return samples


def _component_risk(sample: Sample, key: str) -> float:
    score = sample.score.component(key).score
    return 1.0 - (0.5 if score is None else score)


def evaluate(samples: list[Sample], weights: dict[str, float], cadence: int) -> float | None:
    settings = engine.Settings(weights=weights, cadence_days=cadence)
    pos = [10 - engine.score(s.measurements, settings).index for s in samples if s.departed]
    neg = [10 - engine.score(s.measurements, settings).index for s in samples if not s.departed]
    return engine.auc(pos, neg)


def run(
    agency: Agency,
    *,
    csv_path: Path | None = None,
    lead_days: int = 30,
    propose: bool = True,
) -> dict[str, Any]:
    departures = {
        pk: left
        for pk, left in ClientCompany.objects.filter(
            agency=agency, left_on__isnull=False
        ).values_list("pk", "left_on")
    }
    if csv_path is not None:
        departures.update(read_departures(csv_path, agency))
    if not departures:
        raise BacktestError(
            f"{agency.slug}: no client has left — mark departures on the head's page "
            "(/understanding/) or pass --departures file.csv"
        )
    samples = collect(agency, departures, lead_days)
    departed = [s for s in samples if s.departed]
    stayed = [s for s in samples if not s.departed]
    if not departed or not stayed:
        raise BacktestError(
            f"{agency.slug}: need at least one client who left (with history {lead_days} days "
            "before) and one who stayed"
        )
    row = adapter.settings_for(agency)
    current = dict(adapter.engine_settings(row).weights)
    cadence = int(row.cadence_days)
    overall = engine.auc(
        [10 - s.score.index for s in departed], [10 - s.score.index for s in stayed]
    )
    component_auc = {
        key: engine.auc(
            [_component_risk(s, key) for s in departed], [_component_risk(s, key) for s in stayed]
        )
        for key in engine.COMPONENTS
    }
    proposed = engine.proposed_weights(component_auc, current)
    proposed_auc = evaluate(samples, proposed, cadence)
    data: dict[str, Any] = {
        "agency": agency.slug,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "lead_days": lead_days,
        "departed": len(departed),
        "stayed_samples": len(stayed),
        "stayed_clients": len({s.company.pk for s in stayed}),
        "auc": overall,
        "component_auc": component_auc,
        "current_weights": current,
        "proposed_weights": proposed,
        "proposed_auc": proposed_auc,
        "proposed_auc_is_in_sample": True,
        "method": METHOD,
        "departures": [
            {
                "company": s.company.name,
                "left_on": s.left_on.isoformat() if s.left_on else None,
                "as_of": s.as_of.isoformat(),
                "index": round(s.score.index, 2),
                "stayers_mean_index": _mean([t.score.index for t in stayed if t.as_of == s.as_of]),
                "components": {
                    c.key: None if c.score is None else round(c.score, 3)
                    for c in s.score.components
                },
            }
            for s in departed
        ],
    }
    if propose:
        row.proposal = {
            "weights": proposed,
            "method": METHOD,
            "auc": overall,
            "proposed_auc": proposed_auc,
            "component_auc": component_auc,
            "departed": len(departed),
            "at": data["generated_at"],
        }
        if row.pk is None:
            row.save()
        else:
            row.save(update_fields=["proposal", "updated_at"])
    return data


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def report(data: dict[str, Any]) -> str:
    """The readable report (Markdown)."""
    lines = [
        f"# Understanding index backtest — {data['agency']}",
        "",
        f"Index as it stood {data['lead_days']} days before each departure, against the clients "
        f"who stayed at the same moments: {data['departed']} departed, "
        f"{data['stayed_samples']} samples of {data['stayed_clients']} clients who stayed.",
        "",
        f"**ROC AUC of the index: {_fmt(data['auc'])}** (0.5 = chance; 1 = every client who left "
        "scored lower than every client who stayed).",
        "",
        "| component | its own ROC AUC | current weight | proposed weight |",
        "|---|---:|---:|---:|",
    ]
    for key in engine.COMPONENTS:
        lines.append(
            f"| {key} | {_fmt(data['component_auc'].get(key))} | "
            f"{data['current_weights'].get(key, 0):.2f} | {data['proposed_weights'].get(key, 0):.2f} |"
        )
    lines += [
        "",
        f"Proposed weights ({data['method']}): ROC AUC {_fmt(data['proposed_auc'])} on the same "
        "history — in-sample, so optimistic. The head accepts them or not on the settings page "
        "(/understanding/settings/).",
        "",
        "| client who left | left on | as of | index | mean index of those who stayed |",
        "|---|---|---|---:|---:|",
    ]
    for d in data["departures"]:
        lines.append(
            f"| {d['company']} | {d['left_on']} | {d['as_of']} | {d['index']:.2f} | "
            f"{_fmt(d['stayers_mean_index'])} |"
        )
    return "\n".join(lines) + "\n"


def write(data: dict[str, Any], out: Path, report_path: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report_path.write_text(report(data), encoding="utf-8")
