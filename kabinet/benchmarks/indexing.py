"""Indexing time against the size of a text: ``kabinet bench indexing``.

Times what Kabinet does with a body when it is written and when a staff member opens its thread:
the search index's stemmed document (``kabinet.timeline.search.stems``) and the promise
detector (``kabinet.lib.promise_detector.detect``), on bodies of 10 KB, 100 KB and 1 MB in
several shapes — prose (Russian and English sentences), one long word (the 800,000 × "y" that
held a worker for 105 s), one long Cyrillic word, and many distinct made-up words.

Two index rows per shape: ``index`` is the index as Kabinet builds it (it reads at most
``INDEXED_CHARS`` characters, so it stops growing past that), ``index_uncapped`` lifts the
character and word caps to show the work per character. Each figure is the best of
``--repeat`` runs (on a shared machine the best run is the one least disturbed); ``ratio_per_10x`` divides each size's time by the
previous one's: ≈10 is linear, ≈100 would be quadratic. Writes ``var/bench/indexing.json``.
Nothing is asserted: the figures go to BENCHMARKS.md.
"""

from __future__ import annotations

import json
import os
import platform
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kabinet.benchmarks.inputs import count, output_file

SIZES = {"10KB": 10_000, "100KB": 100_000, "1MB": 1_000_000}
PROSE = (
    "Пришлём отчёт о позициях до пятницы, а в понедельник обсудим план работ по сайту. "
    "We will send the technical audit by Thursday and fix the redirects next week. "
)


def _made_up_words(size: int) -> str:
    words, n = [], 0
    while n < size:
        word = f"слово{len(words) * 7919 % 100_003}x{len(words)}"
        words.append(word)
        n += len(word) + 1
    return " ".join(words)[:size]


def shapes(size: int) -> dict[str, str]:
    return {
        "prose": (PROSE * (size // len(PROSE) + 1))[:size],
        "one long word": "y" * size,
        "one long Cyrillic word": "я" * size,
        "distinct words": _made_up_words(size),
    }


def add_arguments(parser) -> None:
    parser.add_argument(
        "--repeat", type=count(1, 100), default=3, help="timed runs per size (best counts)"
    )
    parser.add_argument(
        "--largest", choices=list(SIZES), default="1MB", help="the largest body to time"
    )
    parser.add_argument("--out", type=output_file, default="var/bench/indexing.json")


def _time(fn, text: str, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn(text)
        runs.append(time.perf_counter() - started)
    return min(runs) * 1000


def measure(repeat: int = 3, largest: str = "1MB") -> dict[str, Any]:
    from kabinet.lib.business_calendar import BusinessCalendar
    from kabinet.lib.promise_detector import detect
    from kabinet.timeline import search

    calendar = BusinessCalendar()
    now = datetime(2026, 12, 1, 10, tzinfo=ZoneInfo("Europe/Moscow"))
    paths = {
        "index": search.stems,
        "index_uncapped": lambda t: search.stems(t, max_words=len(t), max_chars=len(t)),
        "promise_detector": lambda t: detect(t, now, calendar),
    }
    search.stems("прогрев warm-up")  # load the stemmers before timing
    sizes = dict(list(SIZES.items())[: list(SIZES).index(largest) + 1])
    rows = []
    for shape in shapes(10):
        for path, fn in paths.items():
            row: dict[str, Any] = {"shape": shape, "path": path, "ms": {}, "ratio_per_10x": {}}
            previous = None
            for label, size in sizes.items():
                text = shapes(size)[shape]
                ms = _time(fn, text, repeat)
                row["ms"][label] = round(ms, 2)
                if previous is not None:
                    row["ratio_per_10x"][label] = round(ms / previous, 1) if previous else None
                previous = ms
            rows.append(row)
    return {
        "when": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_1min": round(os.getloadavg()[0], 2),
        },
        "caps": {
            "indexed_chars": search.INDEXED_CHARS,
            "indexed_words": search.INDEXED_WORDS,
            "stemmed_word": search.STEMMED_WORD,
        },
        "sizes": sizes,
        "rows": rows,
    }


def run(options: dict[str, Any], stdout) -> int:
    out = Path(options.get("out") or "var/bench/indexing.json")
    data = measure(repeat=options.get("repeat") or 3, largest=options.get("largest") or "1MB")
    sizes = data["sizes"]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    stdout.write(
        f"Indexing time by body size (best of {options.get('repeat') or 3}, ms; ratio to the 10× smaller body; "
        f"load {data['machine']['load_1min']})\n"
    )
    stdout.write(f"{'shape':24} {'path':17}" + "".join(f"{s:>12}" for s in sizes) + "  ratios\n")
    for row in data["rows"]:
        cells = "".join(f"{row['ms'][s]:>12}" for s in sizes)
        ratios = " ".join(f"{v}×" for v in row["ratio_per_10x"].values())
        stdout.write(f"{row['shape']:24} {row['path']:17}{cells}  {ratios}\n")
    stdout.write(f"written to {out}\n")
    return 0
