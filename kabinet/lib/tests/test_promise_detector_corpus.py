"""The labelled corpus meets the targets: precision >= 0.95, recall >= 0.9, due-exact >= 0.9."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from kabinet.benchmarks.promises import corpus_language, load_corpus, score

ROWS = load_corpus()
REPORT = score(ROWS)


def _errors() -> str:
    return "\n".join(f"{k}: {v}" for k, v in REPORT["errors"].items() if v)


def test_corpus_is_large_and_balanced() -> None:
    assert len(ROWS) >= 240
    langs = Counter(corpus_language(r) for r in ROWS)
    assert min(langs["ru"], langs["en"]) >= 0.4 * len(ROWS)
    positive = sum(1 for r in ROWS if r["promises"])
    assert 0.5 <= positive / len(ROWS) <= 0.7


def test_corpus_lines_are_well_formed() -> None:
    for row in ROWS:
        assert set(row) >= {"text", "now", "tz", "promises"}
        assert datetime.fromisoformat(row["now"]).tzinfo is not None
        for p in row["promises"]:
            assert p["quote_contains"] in row["text"]
            assert datetime.fromisoformat(p["due"]).tzinfo is not None


def test_corpus_uses_several_moments_including_friday_evening_and_new_year() -> None:
    nows = {r["now"] for r in ROWS}
    assert len(nows) >= 5
    assert "2026-11-27T19:30:00+03:00" in nows  # Friday evening
    assert "2026-12-30T11:00:00+03:00" in nows  # before the Russian New Year holidays


def test_precision_meets_target() -> None:
    assert REPORT["precision"] >= 0.95, _errors()


def test_recall_meets_target() -> None:
    assert REPORT["recall"] >= 0.9, _errors()


def test_due_exact_meets_target() -> None:
    assert REPORT["due_exact"] >= 0.9, _errors()


def test_each_language_meets_the_targets() -> None:
    for lang, fig in REPORT["per_language"].items():
        assert fig["precision"] >= 0.95, (lang, _errors())
        assert fig["recall"] >= 0.9, (lang, _errors())
        assert fig["due_exact"] >= 0.9, (lang, _errors())


def test_held_out_sentences_cover_every_new_family_in_both_languages() -> None:
    from kabinet.benchmarks.promises import HELDOUT, family_of

    held = load_corpus(HELDOUT)
    counts = Counter((family_of(r), corpus_language(r)) for r in held)
    families = {"condition", "third_person", "outcome", "hours", "day_off"}
    for family in families:
        for lang in ("ru", "en"):
            assert counts[(family, lang)] >= 15, (family, lang)


def test_the_bench_reports_each_corpus_apart_split_by_family(tmp_path) -> None:
    from kabinet.benchmarks.promises import measure

    report = measure(tmp_path / "promises.json", repeat=1)

    assert set(report) >= {"tuned", "written_before_rules", "written_after_rules_never_tuned"}
    held = report["written_before_rules"]
    assert {"condition/ru", "condition/en", "day_off/ru"} <= set(held["per_family_language"])
    assert held["precision"] >= 0.95 and held["recall"] >= 0.9
    assert (tmp_path / "promises.json").exists()
