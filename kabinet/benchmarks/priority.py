"""Benchmarks of the prioritisation and scheduling engine (no Django needed).

Two entry points, both reachable through ``kabinet bench priority`` and, without Django, through
``python -m kabinet.benchmarks.priority``:

* one OR-Library file pair -> JSON in the agreed shape (``orlib_report``);
* the full suite for ``make bench`` (``run_suite``): both OR-Library sets, seeded agency scenarios
  against the greedy plans, and timings; writes ``var/bench/priority.json`` and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from kabinet.benchmarks.inputs import BenchInputError, count, number, output_file, read_text
from kabinet.lib.scheduling import _jit, planner, priority, scenario, wt

SCENARIOS: tuple[tuple[int, int], ...] = ((5, 200), (20, 1000), (50, 3000))


def warm_up() -> None:
    """Compile/load the numba kernels so that the first timed run does not pay for it."""
    p = [5, 3, 4, 2, 7, 1] * 4
    wt.solve(p, [1, 2, 3, 4, 5, 6] * 4, [8, 5, 6, 7, 9, 3] * 4, time_limit=0.05)
    persons, tasks = scenario.agency_scenario(2, 20, seed=0)
    planner.plan(persons, tasks, time_limit=0.2)


def read_orlib(
    instances_text: str, optimal_text: str
) -> tuple[int, list[tuple[list[int], ...]], list[int]]:
    """Parse OR-Library ``wtNN.txt`` / ``wtoptNN.txt`` contents.

    Returns ``(n, [(p, w, d), ...], best_values)``; n is inferred from the number of integers.
    """
    nums = _integers(instances_text, "the instances file")
    best = _integers(optimal_text, "the optimal-values file")
    if not best:
        raise ValueError("the optimal-values file is empty")
    if len(nums) % (3 * len(best)):
        raise ValueError(
            f"{len(nums)} integers cannot hold {len(best)} instances of 3*n integers each"
        )
    n = len(nums) // 3 // len(best)
    if n == 0:
        raise ValueError("the instances file holds no jobs")
    insts = []
    for k in range(len(best)):
        base = 3 * n * k
        insts.append(
            (
                nums[base : base + n],
                nums[base + n : base + 2 * n],
                nums[base + 2 * n : base + 3 * n],
            )
        )
    return n, insts, best


def _integers(text: str, what: str) -> list[int]:
    values = []
    for word in text.split():
        try:
            value = int(word)
        except ValueError:
            raise ValueError(
                f"{what} holds {word[:20]!r}: OR-Library files are whitespace-separated integers"
            ) from None
        if value < 0:
            raise ValueError(f"{what} holds {value}: times, weights and due dates are not negative")
        values.append(value)
    return values


def read_orlib_files(
    instances_path: str | os.PathLike[str], optimal_path: str | os.PathLike[str]
) -> tuple[int, list[tuple[list[int], ...]], list[int]]:
    """``read_orlib`` on two files, each read with a size cap; bad input is a BenchInputError."""
    instances = read_text(instances_path, "--instances")
    optimal = read_text(optimal_path, "--optimal")
    try:
        return read_orlib(instances, optimal)
    except ValueError as exc:
        raise BenchInputError(f"{instances_path} / {optimal_path}: {exc}") from None


def _gap_stats(found: Sequence[int], best: Sequence[int]) -> dict[str, float]:
    gaps = [100.0 * (f - b) / b for f, b in zip(found, best, strict=False) if b > 0]
    solved = sum(1 for f, b in zip(found, best, strict=False) if f == b)
    return {
        "mean_gap_pct": round(statistics.fmean(gaps), 4) if gaps else 0.0,
        "solved_pct": round(100.0 * solved / len(best), 2) if best else 0.0,
    }


def orlib_report(
    instances_path: str | os.PathLike[str],
    optimal_path: str | os.PathLike[str],
    time_limit: float = 1.0,
    seed: int = 0,
    stop_at_best: bool = False,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Solve every instance of an OR-Library file; the JSON shape of ``bench priority --json``.

    With ``stop_at_best`` a run also stops when it reaches the file's best known value (time
    to target); otherwise each run goes on until ``time_limit`` or a proven optimum.
    """
    n, insts, best = read_orlib_files(instances_path, optimal_path)
    warm_up()
    rows = []
    found: list[int] = []
    edd_vals: list[int] = []
    atc_vals: list[int] = []
    for k, ((p, w, d), b) in enumerate(zip(insts, best, strict=False), start=1):
        res = wt.solve(
            p, w, d, time_limit=time_limit, seed=seed, target=b if stop_at_best else None
        )
        found.append(res.objective)
        edd_vals.append(wt.objective(wt.edd(p, w, d), p, w, d))
        atc_vals.append(wt.objective(wt.atc(p, w, d), p, w, d))
        rows.append(
            {
                "index": k,
                "order": res.order,
                "objective": res.objective,
                "best": b,
                "seconds": round(res.seconds, 6),
                "seconds_to_best": round(res.seconds_to_best, 6),
            }
        )
        if progress and k % 25 == 0:
            progress(f"  n={n}: {k}/{len(insts)} instances")
    secs = [r["seconds"] for r in rows]
    summary = _gap_stats(found, best)
    summary.update(
        {
            "mean_seconds": round(statistics.fmean(secs), 6),
            "max_seconds": round(max(secs), 6),
            "median_seconds_to_best": round(
                statistics.median(r["seconds_to_best"] for r in rows), 6
            ),
        }
    )
    return {
        "engine": _jit.ENGINE,
        "n": n,
        "instances": rows,
        "summary": summary,
        "baselines": {"edd": _gap_stats(edd_vals, best), "atc": _gap_stats(atc_vals, best)},
    }


def orlib_family_instances(
    n: int, count: int, seed: int = 0
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Fresh instances of the OR-Library family: p~U[1,100], w~U[1,10], due dates
    U[P(1-TF-RDD/2), P(1-TF+RDD/2)] over the 25 (TF, RDD) pairs in turn."""
    rng = np.random.default_rng(seed)
    grid = [(tf, rdd) for tf in (0.2, 0.4, 0.6, 0.8, 1.0) for rdd in (0.2, 0.4, 0.6, 0.8, 1.0)]
    out = []
    for k in range(count):
        tf, rdd = grid[k % len(grid)]
        p = rng.integers(1, 101, n)
        w = rng.integers(1, 11, n)
        total = int(p.sum())
        lo = int(total * (1 - tf - rdd / 2))
        hi = int(total * (1 - tf + rdd / 2))
        d = np.maximum(rng.integers(lo, hi + 1, n), 0)
        out.append((p, w, d))
    return out


def long_run_check(
    n: int = 100, count: int = 25, time_limit: float = 1.0, long_limit: float = 4.0, seed: int = 0
) -> dict[str, Any]:
    """Held-out style check: do longer runs (another seed) find better values than 1 s runs?"""
    rows = []
    for k, (p, w, d) in enumerate(orlib_family_instances(n, count, seed), start=1):
        short = wt.solve(p, w, d, time_limit=time_limit, seed=0)
        long = wt.solve(p, w, d, time_limit=long_limit, seed=12345)
        rows.append((k, short, long))
    worse = [
        {"index": k, "short": s.objective, "long": lg.objective}
        for k, s, lg in rows
        if s.objective > lg.objective
    ]
    gaps = [
        100.0 * (s.objective - min(s.objective, lg.objective)) / min(s.objective, lg.objective)
        for _k, s, lg in rows
        if min(s.objective, lg.objective) > 0
    ]
    return {
        "n": n,
        "instances": count,
        "time_limit": time_limit,
        "long_time_limit": long_limit,
        "short_worse_than_long": worse,
        "short_better_than_long": sum(1 for _k, s, lg in rows if s.objective < lg.objective),
        "mean_gap_to_best_of_both_pct": round(statistics.fmean(gaps), 4) if gaps else 0.0,
        "median_seconds_to_best": round(
            statistics.median(s.seconds_to_best for _k, s, _lg in rows), 6
        ),
        "max_seconds_to_best": round(max(s.seconds_to_best for _k, s, _lg in rows), 6),
    }


def scenario_comparison(
    people: int, tasks: int, seed: int = 0, time_limit: float = planner.DEFAULT_TIME_CAP
) -> dict[str, Any]:
    """Kabinet's plan against the deadline-first and priority-first greedy plans."""
    persons, plan_tasks = scenario.agency_scenario(people, tasks, seed=seed)
    t0 = time.perf_counter()
    ours = planner.plan(persons, plan_tasks, time_limit=time_limit, seed=seed)
    seconds = time.perf_counter() - t0
    dl = planner.greedy_plan(persons, plan_tasks, "deadline")
    pr = planner.greedy_plan(persons, plan_tasks, "priority")

    def pct(base: float) -> float:
        return round(100.0 * (base - ours.total_weighted_lateness) / base, 2) if base > 0 else 0.0

    return {
        "people": people,
        "tasks": tasks,
        "dependencies": sum(len(t.blocked_by) for t in plan_tasks),
        "pinned": sum(t.pinned_start is not None for t in plan_tasks),
        "kabinet": round(ours.total_weighted_lateness, 2),
        "deadline_first": round(dl.total_weighted_lateness, 2),
        "priority_first": round(pr.total_weighted_lateness, 2),
        "improvement_vs_deadline_pct": pct(dl.total_weighted_lateness),
        "improvement_vs_priority_pct": pct(pr.total_weighted_lateness),
        "late_tasks": {
            "kabinet": len(ours.late),
            "deadline_first": len(dl.late),
            "priority_first": len(pr.late),
        },
        "seconds": round(seconds, 4),
    }


def random_priority_input(n: int, seed: int = 0) -> priority.PriorityInput:
    rng = np.random.default_rng(seed)
    return priority.PriorityInput(
        hours_to_due=np.where(rng.random(n) < 0.2, np.nan, rng.uniform(-10, 200, n)),
        remaining_hours=rng.uniform(0, 20, n),
        promise=rng.random(n) < 0.1,
        tier=rng.choice(np.array(["standard", "gold", "platinum"]), n),
        budget=rng.uniform(0, 1e6, n),
        health=np.where(rng.random(n) < 0.1, np.nan, rng.uniform(0, 10, n)),
        blocks_tasks=rng.integers(0, 6, n),
        blocks_hours=rng.uniform(0, 40, n),
        client_visible=rng.random(n) < 0.5,
        age_days=rng.uniform(0, 30, n),
        boost=rng.integers(0, 4, n),
    )


def time_reweighting(n: int = 100_000, repeats: int = 5) -> float:
    """Median seconds to compute the weights of ``n`` tasks."""
    inputs = random_priority_input(n)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        priority.compute(inputs)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run_suite(
    orlib_dir: str | os.PathLike[str],
    out: str | os.PathLike[str] = "var/bench/priority.json",
    time_limit: float = 1.0,
    stop_at_best: bool = True,
    plan_time_limit: float = planner.DEFAULT_TIME_CAP,  # a safety net: the budget is work
    stream: TextIO | None = None,
    n100_instances: int = 25,
    n100_long: float = 4.0,
) -> dict[str, Any]:
    """The whole priority bench: OR-Library wt40/wt50, agency scenarios, timings."""
    stream = stream or sys.stdout

    def say(msg: str) -> None:
        stream.write(msg + "\n")
        stream.flush()

    started = time.perf_counter()
    warm_up()
    report: dict[str, Any] = {"orlib": {}, "scenarios": [], "timings": {}}
    d = Path(orlib_dir)
    check_orlib_dir(d)
    for n in (40, 50):
        inst, opt = d / f"wt{n}.txt", d / f"wtopt{n}.txt"
        if not inst.exists():
            say(f"skipping n={n}: {inst} not found")
            continue
        say(f"OR-Library wt{n} ...")
        r = orlib_report(inst, opt, time_limit, stop_at_best=stop_at_best, progress=say)
        report["orlib"][f"wt{n}"] = {
            "n": r["n"],
            "summary": r["summary"],
            "baselines": r["baselines"],
            "unsolved": [
                {"index": x["index"], "objective": x["objective"], "best": x["best"]}
                for x in r["instances"]
                if x["objective"] != x["best"]
            ],
        }
    if n100_instances:
        say(f"n=100 check: {n100_instances} fresh instances, {time_limit} s vs {n100_long} s ...")
        report["n100_check"] = long_run_check(
            100, n100_instances, time_limit=time_limit, long_limit=n100_long
        )
    for people, tasks in SCENARIOS:
        say(f"scenario {people} people / {tasks} tasks ...")
        report["scenarios"].append(scenario_comparison(people, tasks, time_limit=plan_time_limit))
    report["timings"]["reweight_100000_tasks_seconds"] = round(time_reweighting(), 4)
    big = next((s for s in report["scenarios"] if s["tasks"] == 3000), None)
    if big:
        report["timings"]["plan_3000_tasks_50_people_seconds"] = big["seconds"]
    report["settings"] = {
        "time_limit": time_limit,
        "stop_at_best": stop_at_best,
        "plan_time_limit": plan_time_limit,
        "numba": _numba_version(),
    }
    report["engine"] = _jit.ENGINE
    report["wall_seconds"] = round(time.perf_counter() - started, 2)
    out_path = Path(out)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(report, indent=2) + "\n")
    say(format_table(report))
    say(f"written {out_path}")
    return report


def check_orlib_dir(d: Path) -> None:
    """Refuse a --orlib-dir that is not a folder with at least one wtNN/wtoptNN pair."""
    if not d.exists():
        raise BenchInputError(f"--orlib-dir: {d} does not exist")
    if not d.is_dir():
        raise BenchInputError(f"--orlib-dir: {d} is not a folder")
    found = False
    for n in (40, 50):
        inst, opt = d / f"wt{n}.txt", d / f"wtopt{n}.txt"
        if inst.exists() and not opt.exists():
            raise BenchInputError(f"--orlib-dir: {inst} is there but {opt} is missing")
        found = found or inst.exists()
    if not found:
        raise BenchInputError(
            f"--orlib-dir: {d} has neither wt40.txt nor wt50.txt (OR-Library weighted tardiness)"
        )


def _numba_version() -> str | None:
    try:
        import numba

        return str(numba.__version__)
    except ImportError:  # pragma: no cover
        return None


def format_table(report: dict[str, Any]) -> str:
    lines = ["", "Single-machine weighted tardiness (OR-Library)"]
    lines.append(
        f"{'set':6} {'gap %':>8} {'solved %':>9} {'median t->best s':>17} {'max s':>7}"
        f" {'EDD gap %':>10} {'ATC gap %':>10}"
    )
    for name, r in report["orlib"].items():
        s, b = r["summary"], r["baselines"]
        lines.append(
            f"{name:6} {s['mean_gap_pct']:8.3f} {s['solved_pct']:9.1f}"
            f" {s['median_seconds_to_best']:17.4f} {s['max_seconds']:7.3f}"
            f" {b['edd']['mean_gap_pct']:10.1f} {b['atc']['mean_gap_pct']:10.1f}"
        )
    chk = report.get("n100_check")
    if chk:
        lines += [
            "",
            f"Fresh n={chk['n']} instances ({chk['instances']}): {chk['time_limit']} s runs worse "
            f"than {chk['long_time_limit']} s runs on {len(chk['short_worse_than_long'])}, "
            f"better on {chk['short_better_than_long']}; mean gap to best of both "
            f"{chk['mean_gap_to_best_of_both_pct']:.4f} %; median time to best "
            f"{chk['median_seconds_to_best']:.4f} s, max {chk['max_seconds_to_best']:.3f} s",
        ]
    lines += ["", "Agency scenarios: total weighted lateness (weight x hours late)"]
    lines.append(
        f"{'people/tasks':13} {'kabinet':>12} {'deadline-1st':>13} {'priority-1st':>13}"
        f" {'vs dl %':>8} {'vs pr %':>8} {'plan s':>7}"
    )
    for s in report["scenarios"]:
        lines.append(
            f"{str(s['people']) + '/' + str(s['tasks']):13} {s['kabinet']:12.0f}"
            f" {s['deadline_first']:13.0f} {s['priority_first']:13.0f}"
            f" {s['improvement_vs_deadline_pct']:8.1f} {s['improvement_vs_priority_pct']:8.1f}"
            f" {s['seconds']:7.3f}"
        )
    lines += ["", "Timings"]
    for k, v in report["timings"].items():
        lines.append(f"  {k}: {v}")
    if "wall_seconds" in report:
        lines.append(f"  suite wall time: {report['wall_seconds']} s")
    return "\n".join(lines)


# ---- command-line glue shared by `kabinet bench priority` and `python -m` ------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--instances", help="OR-Library instances file (e.g. wt40.txt)")
    parser.add_argument("--optimal", help="OR-Library best-values file (e.g. wtopt40.txt)")
    parser.add_argument(
        "--time-limit",
        type=number(0, 600, low_inclusive=False),
        default=1.0,
        help="seconds per instance",
    )
    parser.add_argument("--seed", type=count(0, 2**31 - 1), default=0)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--stop-at-best",
        action="store_true",
        help="also stop a run when it reaches the file's best known value",
    )
    parser.add_argument("--suite", action="store_true", help="run the whole priority suite")
    parser.add_argument("--orlib-dir", help="folder with wt40/wt50 files (suite)")
    parser.add_argument(
        "--out", type=output_file, default="var/bench/priority.json", help="suite JSON output"
    )
    parser.add_argument(
        "--n100",
        type=count(0, 1000),
        default=25,
        help="suite: fresh n=100 instances to compare 1 s runs with longer runs (0 = skip)",
    )
    parser.add_argument(
        "--full-time",
        action="store_true",
        help="suite: run every OR-Library instance for the full time limit",
    )


def run(options: dict[str, Any], stdout: TextIO | None = None) -> int:
    stdout = stdout or sys.stdout
    if options.get("suite"):
        if not options.get("orlib_dir"):
            raise SystemExit("--suite needs --orlib-dir")
        run_suite(
            options["orlib_dir"],
            options.get("out") or "var/bench/priority.json",
            time_limit=options.get("time_limit") or 1.0,
            stop_at_best=not options.get("full_time"),
            stream=stdout,
            n100_instances=int(options.get("n100") if options.get("n100") is not None else 25),
        )
        return 0
    if not options.get("instances") or not options.get("optimal"):
        raise SystemExit("give --instances FILE and --optimal FILE (or --suite --orlib-dir DIR)")
    rep = orlib_report(
        options["instances"],
        options["optimal"],
        time_limit=options.get("time_limit") or 1.0,
        seed=options.get("seed") or 0,
        stop_at_best=bool(options.get("stop_at_best")),
    )
    if options.get("json"):
        stdout.write(json.dumps(rep) + "\n")
    else:
        s = rep["summary"]
        stdout.write(
            f"n={rep['n']} instances={len(rep['instances'])} gap={s['mean_gap_pct']}% "
            f"solved={s['solved_pct']}% median_seconds_to_best={s['median_seconds_to_best']}\n"
        )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kabinet.benchmarks.priority")
    add_arguments(parser)
    return run(vars(parser.parse_args(argv)))


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
