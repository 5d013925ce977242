"""Promise detector yardstick: precision, recall, due-exact and reading-exact, by phrase family.

Two corpora are scored apart:

- ``promise_corpus.jsonl`` — the labelled corpus the rules were written alongside ("tuned");
- ``promise_corpus_heldout.jsonl`` — sentences committed *before* the rules for their families
  were written ("written before the rules"). Nothing in the detector was tuned on them after the
  fact. The same person wrote both, though, so:
- ``promise_corpus_after_rules.jsonl`` — sentences written once the rules existed and scored as
  they are, never tuned on ("written after the rules, never tuned"): the plainest estimate of how
  the detector does on phrasing nobody tuned for.

Each row may name its ``family`` (rows without one are the base family). An expected promise may
say ``owner`` (the named person who promises), ``condition_contains`` (the client's condition it
depends on), ``kind`` ("outcome" for a promised result, an expectation risk; "deliverable" by
default) and ``day_off`` (the due date falls on a day off, the writer is warned). A matched
promise is *reading-exact* when all four agree with what the detector said. Expected promises
without ``due`` (outcomes with no time) are not counted in due-exact.

``run()`` is wired into ``make bench``; it writes ``var/bench/promises.json``. The same scoring
(:func:`score`) is asserted by ``kabinet/lib/tests/test_promise_detector_corpus.py``.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from kabinet.benchmarks.inputs import count, output_file
from kabinet.lib.business_calendar import BusinessCalendar
from kabinet.lib.promise_detector import DetectedPromise, detect

DATA = Path(__file__).resolve().parents[1] / "lib" / "tests" / "data"
CORPUS = DATA / "promise_corpus.jsonl"
HELDOUT = DATA / "promise_corpus_heldout.jsonl"
AFTER_RULES = DATA / "promise_corpus_after_rules.jsonl"
BASE_FAMILY = "base"


def load_corpus(path: str | Path = CORPUS) -> list[dict[str, Any]]:
    """The corpus lines as dicts (see the corpus format in docs/promise-detection.md)."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:  # pragma: no cover - corpus is checked in
                raise ValueError(f"{path}:{n}: not valid JSON: {exc}") from exc
    return rows


def corpus_language(row: dict[str, Any]) -> str:
    if row.get("lang"):
        return str(row["lang"])
    return "ru" if any("а" <= ch.lower() <= "я" for ch in row["text"]) else "en"


def family_of(row: dict[str, Any]) -> str:
    return str(row.get("family") or BASE_FAMILY)


@dataclass
class Tally:
    expected: int = 0
    detected: int = 0
    matched: int = 0
    timed: int = 0  # matched promises whose expected due is given
    due_exact: int = 0
    reading_exact: int = 0
    lines: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_alarms: list[dict[str, Any]] = field(default_factory=list)
    wrong_due: list[dict[str, Any]] = field(default_factory=list)
    wrong_reading: list[dict[str, Any]] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        return {
            "lines": self.lines,
            "expected": self.expected,
            "detected": self.detected,
            "matched": self.matched,
            "precision": round(self.matched / self.detected, 4) if self.detected else 1.0,
            "recall": round(self.matched / self.expected, 4) if self.expected else 1.0,
            "due_exact": round(self.due_exact / self.timed, 4) if self.timed else 1.0,
            "reading_exact": round(self.reading_exact / self.matched, 4) if self.matched else 1.0,
        }


def _overlaps(text: str, needle: str, found: DetectedPromise) -> bool:
    at = text.find(needle)
    if at < 0:
        return needle in found.quote
    return at < found.end and found.start < at + len(needle)


def reading(found: DetectedPromise) -> dict[str, Any]:
    """What the detector says about who promises what, in the corpus's terms."""
    return {
        "owner": getattr(found, "owner", None),
        "condition": getattr(found, "condition", None),
        "kind": getattr(found, "kind", "deliverable"),
        "day_off": "day_off" in getattr(found, "warnings", ()),
    }


def _reading_matches(exp: dict[str, Any], got: dict[str, Any]) -> bool:
    owner = exp.get("owner")
    if (got["owner"] or "").casefold() != (owner or "").casefold():
        return False
    cond = exp.get("condition_contains")
    if cond is None:
        if got["condition"]:
            return False
    elif not got["condition"] or cond.casefold() not in got["condition"].casefold():
        return False
    if got["kind"] != exp.get("kind", "deliverable"):
        return False
    return got["day_off"] == bool(exp.get("day_off", False))


def score_row(row: dict[str, Any], found: list[DetectedPromise], tally: Tally) -> None:
    """Greedy one-to-one matching of detected promises to expected ones, by quote overlap."""
    text = row["text"]
    expected = row["promises"]
    tally.lines += 1
    tally.expected += len(expected)
    tally.detected += len(found)
    unused = list(found)
    for exp in expected:
        hit = next((p for p in unused if _overlaps(text, exp["quote_contains"], p)), None)
        if hit is None:
            tally.misses.append({"text": text, "now": row["now"], "expected": exp})
            continue
        unused.remove(hit)
        tally.matched += 1
        if "due" in exp:
            tally.timed += 1
            if hit.due is not None and hit.due == datetime.fromisoformat(exp["due"]):
                tally.due_exact += 1
            else:
                tally.wrong_due.append(
                    {
                        "text": text,
                        "now": row["now"],
                        "expected": exp["due"],
                        "got": hit.due.isoformat() if hit.due else None,
                        "rule": hit.rule,
                    }
                )
        got = reading(hit)
        if _reading_matches(exp, got):
            tally.reading_exact += 1
        else:
            tally.wrong_reading.append({"text": text, "expected": exp, "got": got})
    for p in unused:
        tally.false_alarms.append({"text": text, "now": row["now"], "quote": p.quote})


def score(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Overall, per-language and per-family figures plus the list of errors, for corpus rows."""
    calendars: dict[str, BusinessCalendar] = {}
    overall = Tally()
    per_lang: dict[str, Tally] = {}
    per_family: dict[str, Tally] = {}
    per_family_lang: dict[str, Tally] = {}
    started = time.perf_counter()
    for row in rows:
        tz = row.get("tz", "Europe/Moscow")
        cal = calendars.setdefault(tz, BusinessCalendar(tz=tz))
        now = datetime.fromisoformat(row["now"])
        found = detect(row["text"], now, cal)
        lang = corpus_language(row)
        family = family_of(row)
        score_row(row, found, overall)
        score_row(row, found, per_lang.setdefault(lang, Tally()))
        score_row(row, found, per_family.setdefault(family, Tally()))
        score_row(row, found, per_family_lang.setdefault(f"{family}/{lang}", Tally()))
    elapsed = time.perf_counter() - started
    result = overall.figures()
    result["positive_lines"] = sum(1 for r in rows if r["promises"])
    result["negative_lines"] = sum(1 for r in rows if not r["promises"])
    result["per_language"] = {k: v.figures() for k, v in sorted(per_lang.items())}
    result["per_family"] = {k: v.figures() for k, v in sorted(per_family.items())}
    result["per_family_language"] = {k: v.figures() for k, v in sorted(per_family_lang.items())}
    result["errors"] = {
        "misses": overall.misses,
        "false_alarms": overall.false_alarms,
        "wrong_due": overall.wrong_due,
        "wrong_reading": overall.wrong_reading,
    }
    result["seconds"] = round(elapsed, 4)
    return result


def add_arguments(parser) -> None:
    """Arguments of `kabinet bench promises`."""
    parser.add_argument(
        "--out",
        type=output_file,
        default="var/bench/promises.json",
        help="where to write the JSON report",
    )
    parser.add_argument(
        "--repeat", type=count(1, 1000), default=3, help="passes over the corpus for the throughput"
    )


def _table(stdout, title: str, report: dict[str, Any]) -> None:
    stdout.write(f"{title}\n")
    stdout.write(
        f"{'':22} {'precision':>10} {'recall':>8} {'due exact':>10} {'reading':>8} {'promises':>9}\n"
    )
    rows = [
        ("overall", report),
        *report["per_language"].items(),
        *report["per_family_language"].items(),
    ]
    for name, figures in rows:
        stdout.write(
            f"{name:22} {figures['precision']:>10.3f} {figures['recall']:>8.3f} "
            f"{figures['due_exact']:>10.3f} {figures['reading_exact']:>8.3f} {figures['expected']:>9}\n"
        )


def run(options: dict[str, Any], stdout) -> int:
    """`kabinet bench promises`: print the yardstick's figures and write them as JSON."""
    out = options.get("out") or "var/bench/promises.json"
    repeat = 3 if options.get("repeat") is None else options["repeat"]
    if not 1 <= repeat <= 1000:
        raise SystemExit("--repeat must be between 1 and 1000")
    result = measure(out, repeat=repeat)
    _table(
        stdout, "Promise detector on the tuned corpus (rules written alongside it)", result["tuned"]
    )
    stdout.write("\n")
    _table(stdout, "Sentences written before the rules (held out)", result["written_before_rules"])
    stdout.write("\n")
    _table(
        stdout,
        "Sentences written after the rules, never tuned on",
        result["written_after_rules_never_tuned"],
    )
    stdout.write(f"throughput: {result['throughput_sentences_per_second']:.0f} sentences/s\n")
    stdout.write(f"written to {out}\n")
    return 0


def measure(out_path: str | Path = "var/bench/promises.json", repeat: int = 3) -> dict[str, Any]:
    """Score the three corpora, measure throughput (sentences/second) and write the JSON report."""
    tuned_rows = load_corpus(CORPUS)
    heldout_rows = load_corpus(HELDOUT)
    after_rows = load_corpus(AFTER_RULES)
    result: dict[str, Any] = {
        "tuned": score(tuned_rows),
        "written_before_rules": score(heldout_rows),
        "written_after_rules_never_tuned": score(after_rows),
    }
    cal = BusinessCalendar()
    prepared = [
        (r["text"], datetime.fromisoformat(r["now"]))
        for r in tuned_rows + heldout_rows + after_rows
    ]
    started = time.perf_counter()
    for _ in range(repeat):
        for text, now in prepared:
            detect(text, now, cal)
    elapsed = time.perf_counter() - started
    result["throughput_sentences_per_second"] = round(len(prepared) * repeat / elapsed, 1)
    root = CORPUS.parents[4]
    result["corpus"] = {
        "tuned": str(CORPUS.relative_to(root)),
        "written_before_rules": str(HELDOUT.relative_to(root)),
        "written_after_rules_never_tuned": str(AFTER_RULES.relative_to(root)),
    }
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return result
