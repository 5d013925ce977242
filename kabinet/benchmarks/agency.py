"""``kabinet bench agency``: the planner on the family of seeded agency scenarios.

Each scenario (``scenario.agency_scenario(people, tasks, seed)``) is planned twice with the
default, work-counted budget; both objectives are printed to show that the plan does not depend
on the run (or on the machine's load). Reported per scenario: the objective (total weighted
lateness, weight x calendar hours late -- exactly what the planner optimises), wall-clock and
CPU seconds (``time.process_time``, the figure that does not grow when other processes share
the machine), the best known value for that scenario when
``../shared/benchmarks/agency/best-known.json`` has one (seed 0) and the gap to it, and the two
greedy plans -- deadline-first (EDD) and priority-first -- as floor references.

``--json`` prints ``{"scenarios": [{"people", "tasks", "seed", "objective", "seconds",
"best_known", ...}, ...]}`` with every scenario listed twice (``"run": 1`` and ``2``);
``--out FILE`` also writes that JSON (``make bench`` writes ``var/bench/agency.json``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from kabinet.benchmarks.inputs import BenchInputError, number, output_file, read_text
from kabinet.lib.scheduling import planner, scenario

SIZES: tuple[tuple[int, int], ...] = ((5, 100), (5, 200), (20, 800), (20, 1000), (50, 3000))
SEEDS: tuple[int, ...] = (0, 1, 2)
BEST_KNOWN = Path("../shared/benchmarks/agency/best-known.json")
# The largest scenario the bench plans (50x3000 is the largest in the family) and the most runs.
MAX_PEOPLE, MAX_TASKS, MAX_SIZES, MAX_SEEDS = 500, 20_000, 20, 100


def parse_sizes(text: str) -> list[tuple[int, int]]:
    """``"5x100,50x3000"`` -> ``[(5, 100), (50, 3000)]``."""
    out = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        people, sep, tasks = part.lower().partition("x")
        if not sep or not people.isdigit() or not tasks.isdigit():
            raise SystemExit(f"--sizes: {part!r} is not PEOPLExTASKS, e.g. 5x100")
        if int(people) < 1 or int(tasks) < 1:
            raise SystemExit(f"--sizes: {part!r} needs at least one person and one task")
        if int(people) > MAX_PEOPLE or int(tasks) > MAX_TASKS:
            raise SystemExit(
                f"--sizes: {part!r} is larger than the bench plans "
                f"(at most {MAX_PEOPLE} people and {MAX_TASKS:,} tasks)"
            )
        out.append((int(people), int(tasks)))
    if not out:
        raise SystemExit("--sizes: give at least one PEOPLExTASKS, e.g. 5x100")
    if len(out) > MAX_SIZES:
        raise SystemExit(f"--sizes: give at most {MAX_SIZES} sizes, not {len(out)}")
    return out


def parse_seeds(text: str) -> list[int]:
    """``"0,1,2"`` -> ``[0, 1, 2]``."""
    try:
        seeds = [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        raise SystemExit(f"--seeds: {text!r} is not a comma-separated list of integers") from None
    if not seeds or min(seeds) < 0 or max(seeds) > 2**31 - 1:
        raise SystemExit("--seeds: give non-negative integers, e.g. 0,1,2")
    if len(seeds) > MAX_SEEDS:
        raise SystemExit(f"--seeds: give at most {MAX_SEEDS} seeds, not {len(seeds)}")
    return seeds


def load_best_known(path: str | Path | None) -> dict[tuple[int, int, int], dict[str, Any]]:
    """Best known values by (people, tasks, seed); empty when the file is not there. A file that
    is there but is not such a JSON document is refused (BenchInputError), read with a size cap."""
    if path is None or not Path(path).exists():
        return {}
    text = read_text(path, "--best-known")
    try:
        data = json.loads(text)
        return {(int(s["people"]), int(s["tasks"]), int(s["seed"])): s for s in data["scenarios"]}
    except json.JSONDecodeError as exc:
        raise BenchInputError(f"--best-known: {path} is not JSON ({exc})") from None
    except (KeyError, TypeError, ValueError, AttributeError):
        raise BenchInputError(
            f'--best-known: {path} is not {{"scenarios": [{{"people", "tasks", "seed", '
            '"best_known"}, ...]}'
        ) from None


def run_scenario(
    people: int, tasks: int, seed: int, effort: float = 1.0, search_seed: int = 0
) -> dict[str, Any]:
    """Plan one scenario once; objective, wall and CPU seconds, and what stopped the search."""
    persons, plan_tasks = scenario.agency_scenario(people, tasks, seed=seed)
    stats: dict[str, Any] = {}
    wall0, cpu0 = time.perf_counter(), time.process_time()
    result = planner.plan(persons, plan_tasks, effort=effort, stats=stats, seed=search_seed)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return {
        "objective": round(result.total_weighted_lateness, 2),
        "seconds": round(wall, 3),
        "cpu_seconds": round(cpu, 3),
        "late_tasks": len(result.late),
        "ops": stats["ops"],
        "stopped_because": stats["stopped_because"],
    }


def floors(people: int, tasks: int, seed: int) -> dict[str, float]:
    persons, plan_tasks = scenario.agency_scenario(people, tasks, seed=seed)
    return {
        rule + "_first": round(
            planner.greedy_plan(persons, plan_tasks, rule).total_weighted_lateness, 2
        )
        for rule in ("deadline", "priority")
    }


def run_family(
    sizes: Sequence[tuple[int, int]],
    seeds: Sequence[int],
    best_known_path: str | Path | None = BEST_KNOWN,
    effort: float = 1.0,
    say: Any = None,
    reference_effort: float = 0.0,
) -> dict[str, Any]:
    planner.warm_up()
    best = load_best_known(best_known_path)
    rows: list[dict[str, Any]] = []
    for people, tasks in sizes:
        for seed in seeds:
            ref = best.get((people, tasks, seed))
            base = {"people": people, "tasks": tasks, "seed": seed}
            extra: dict[str, Any] = floors(people, tasks, seed)
            if reference_effort > 0:
                # a reference where no best-known value exists: a longer run, another seed
                long = run_scenario(people, tasks, seed, effort * reference_effort, search_seed=1)
                extra["long_run_objective"] = long["objective"]
                extra["long_run_cpu_seconds"] = long["cpu_seconds"]
            for run in (1, 2):
                r = run_scenario(people, tasks, seed, effort)
                row = {
                    **base,
                    "run": run,
                    "objective": r["objective"],
                    "seconds": r["seconds"],
                    "cpu_seconds": r["cpu_seconds"],
                    "best_known": ref["best_known"] if ref else None,
                    "lower_bound": ref.get("lower_bound") if ref else None,
                    "gap_pct": (
                        round(100.0 * (r["objective"] - ref["best_known"]) / ref["best_known"], 3)
                        if ref and ref["best_known"]
                        else None
                    ),
                    **extra,
                    "best_found": min(
                        x
                        for x in (
                            r["objective"],
                            ref["best_known"] if ref else None,
                            extra.get("long_run_objective"),
                        )
                        if x is not None
                    ),
                    "late_tasks": r["late_tasks"],
                    "ops": r["ops"],
                    "stopped_because": r["stopped_because"],
                }
                row["gap_to_best_found_pct"] = (
                    round(100.0 * (row["objective"] - row["best_found"]) / row["best_found"], 3)
                    if row["best_found"] > 0
                    else 0.0
                )
                rows.append(row)
                if say:
                    say(format_row(row))
    return {
        "scenarios": rows,
        "settings": {"effort": effort, "best_known_file": str(best_known_path)},
    }


def format_header() -> str:
    return (
        f"{'people/tasks':>12} {'seed':>4} {'run':>3} {'objective':>12} {'wall s':>7} {'cpu s':>6}"
        f" {'best known':>11} {'gap %':>7} {'best found':>11} {'gap %':>7}"
        f" {'deadline-1st':>13} {'priority-1st':>13}"
    )


def format_row(r: dict[str, Any]) -> str:
    best = f"{r['best_known']:11,.0f}" if r["best_known"] is not None else f"{'-':>11}"
    gap = f"{r['gap_pct']:+7.2f}" if r["gap_pct"] is not None else f"{'-':>7}"
    return (
        f"{str(r['people']) + '/' + str(r['tasks']):>12} {r['seed']:4d} {r['run']:3d}"
        f" {r['objective']:12,.0f} {r['seconds']:7.3f} {r['cpu_seconds']:6.3f} {best} {gap}"
        f" {r['best_found']:11,.0f} {r['gap_to_best_found_pct']:+7.2f}"
        f" {r['deadline_first']:13,.0f} {r['priority_first']:13,.0f}"
    )


def summary(report: dict[str, Any]) -> list[str]:
    rows = report["scenarios"]
    lines = []
    by_key: dict[tuple[int, int, int], list[float]] = {}
    for r in rows:
        by_key.setdefault((r["people"], r["tasks"], r["seed"]), []).append(r["objective"])
    differ = [k for k, v in by_key.items() if len(set(v)) > 1]
    lines.append(
        "same objective in both runs: "
        + ("yes, every scenario" if not differ else "NO for " + ", ".join(map(str, differ)))
    )
    for r in rows:
        if r["run"] == 1 and r["best_known"] is not None and r["objective"] < r["best_known"]:
            lines.append(
                f"better than best known: {r['people']}/{r['tasks']} seed {r['seed']}:"
                f" {r['objective']:,.2f} < {r['best_known']:,}"
            )
    return lines


# ---- command-line glue shared by `kabinet bench agency` and `python -m` ---------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sizes",
        default=",".join(f"{p}x{n}" for p, n in SIZES),
        help="scenario sizes as PEOPLExTASKS, comma-separated (default: %(default)s)",
    )
    parser.add_argument(
        "--seeds", default=",".join(map(str, SEEDS)), help="scenario seeds (default: %(default)s)"
    )
    parser.add_argument(
        "--best-known", default=str(BEST_KNOWN), help="best-known values (JSON; seed 0)"
    )
    parser.add_argument(
        "--effort",
        type=number(0, 100, low_inclusive=False),
        default=1.0,
        help="multiplies the work budget",
    )
    parser.add_argument(
        "--reference-effort",
        type=number(0, 100),
        default=0.0,
        help="also plan each scenario once with this many times the budget (another search "
        "seed) as a reference where no best-known value exists (0 = skip)",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--out", type=output_file, help="also write the JSON report to this file")


def run(options: dict[str, Any], stdout: TextIO | None = None) -> int:
    stdout = stdout or sys.stdout
    sizes = parse_sizes(options.get("sizes") or ",".join(f"{p}x{n}" for p, n in SIZES))
    seeds = parse_seeds(options.get("seeds") or ",".join(map(str, SEEDS)))
    effort = float(1.0 if options.get("effort") is None else options["effort"])
    if effort <= 0:
        raise SystemExit("--effort must be positive")
    as_json = bool(options.get("json"))

    def say(line: str) -> None:
        stdout.write(line + "\n")
        stdout.flush()

    best_path = options.get("best_known") or str(BEST_KNOWN)
    load_best_known(best_path)  # a bad file is refused before any planning
    if not as_json:
        if not Path(best_path).exists():
            say(f"(no best-known values: {best_path} not found)")
        say(format_header())
    reference = float(options.get("reference_effort") or 0.0)
    if reference < 0:
        raise SystemExit("--reference-effort must be zero or positive")
    report = run_family(sizes, seeds, best_path, effort, None if as_json else say, reference)
    if options.get("out"):
        out = Path(options["out"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2) + "\n")
    if as_json:
        stdout.write(json.dumps(report) + "\n")
    else:
        for line in summary(report):
            say(line)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kabinet.benchmarks.agency")
    add_arguments(parser)
    return run(vars(parser.parse_args(argv)))


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
