"""Promise detector yardstick: precision, recall and due-exact on the labelled corpus.

``run()`` is wired into ``make bench``; it writes ``var/bench/promises.json``. The same
scoring (:func:`score`) is asserted by ``kabinet/lib/tests/test_promise_detector_corpus.py``.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from kabinet.lib.business_calendar import BusinessCalendar
from kabinet.lib.promise_detector import DetectedPromise, detect

CORPUS = Path(__file__).resolve().parents[1] / "lib" / "tests" / "data" / "promise_corpus.jsonl"


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


@dataclass
class Tally:
    expected: int = 0
    detected: int = 0
    matched: int = 0
    due_exact: int = 0
    lines: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_alarms: list[dict[str, Any]] = field(default_factory=list)
    wrong_due: list[dict[str, Any]] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        return {
            "lines": self.lines,
            "expected": self.expected,
            "detected": self.detected,
            "matched": self.matched,
            "precision": round(self.matched / self.detected, 4) if self.detected else 1.0,
            "recall": round(self.matched / self.expected, 4) if self.expected else 1.0,
            "due_exact": round(self.due_exact / self.matched, 4) if self.matched else 1.0,
        }


def _overlaps(text: str, needle: str, found: DetectedPromise) -> bool:
    at = text.find(needle)
    if at < 0:
        return needle in found.quote
    return at < found.end and found.start < at + len(needle)


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
        if hit.due == datetime.fromisoformat(exp["due"]):
            tally.due_exact += 1
        else:
            tally.wrong_due.append(
                {
                    "text": text,
                    "now": row["now"],
                    "expected": exp["due"],
                    "got": hit.due.isoformat(),
                    "rule": hit.rule,
                }
            )
    for p in unused:
        tally.false_alarms.append({"text": text, "now": row["now"], "quote": p.quote})


def score(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Overall and per-language figures plus the list of errors, for a list of corpus rows."""
    calendars: dict[str, BusinessCalendar] = {}
    overall = Tally()
    per_lang: dict[str, Tally] = {}
    started = time.perf_counter()
    for row in rows:
        tz = row.get("tz", "Europe/Moscow")
        cal = calendars.setdefault(tz, BusinessCalendar(tz=tz))
        now = datetime.fromisoformat(row["now"])
        found = detect(row["text"], now, cal)
        lang = corpus_language(row)
        score_row(row, found, overall)
        score_row(row, found, per_lang.setdefault(lang, Tally()))
    elapsed = time.perf_counter() - started
    result = overall.figures()
    result["positive_lines"] = sum(1 for r in rows if r["promises"])
    result["negative_lines"] = sum(1 for r in rows if not r["promises"])
    result["per_language"] = {k: v.figures() for k, v in sorted(per_lang.items())}
    result["errors"] = {
        "misses": overall.misses,
        "false_alarms": overall.false_alarms,
        "wrong_due": overall.wrong_due,
    }
    result["seconds"] = round(elapsed, 4)
    return result


def add_arguments(parser) -> None:
    """Arguments of `kabinet bench promises`."""
    parser.add_argument("--out", default="var/bench/promises.json", help="where to write the JSON report")
    parser.add_argument("--repeat", type=int, default=3, help="passes over the corpus for the throughput")


def run(options: dict[str, Any], stdout) -> int:
    """`kabinet bench promises`: print the yardstick's figures and write them as JSON."""
    result = measure(options.get("out") or "var/bench/promises.json", repeat=options.get("repeat") or 3)
    stdout.write("Promise detector on the labelled corpus\n")
    stdout.write(f"{'':10} {'precision':>10} {'recall':>8} {'due exact':>10} {'promises':>9}\n")
    rows = [("overall", result), *result["per_language"].items()]
    for name, figures in rows:
        stdout.write(
            f"{name:10} {figures['precision']:>10.3f} {figures['recall']:>8.3f} "
            f"{figures['due_exact']:>10.3f} {figures.get('expected', ''):>9}\n"
        )
    stdout.write(f"throughput: {result['throughput_sentences_per_second']:.0f} sentences/s\n")
    stdout.write(f"written to {options.get('out') or 'var/bench/promises.json'}\n")
    return 0


def measure(out_path: str | Path = "var/bench/promises.json", repeat: int = 3) -> dict[str, Any]:
    """Score the corpus, measure throughput (sentences/second) and write the JSON report."""
    rows = load_corpus()
    result = score(rows)
    cal = BusinessCalendar()
    prepared = [(r["text"], datetime.fromisoformat(r["now"])) for r in rows]
    started = time.perf_counter()
    for _ in range(repeat):
        for text, now in prepared:
            detect(text, now, cal)
    elapsed = time.perf_counter() - started
    result["throughput_sentences_per_second"] = round(len(prepared) * repeat / elapsed, 1)
    result["corpus"] = str(CORPUS.relative_to(CORPUS.parents[4]))
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":  # pragma: no cover
    report = run()
    summary = {k: v for k, v in report.items() if k != "errors"}
    print(json.dumps(summary, ensure_ascii=False, indent=2))
