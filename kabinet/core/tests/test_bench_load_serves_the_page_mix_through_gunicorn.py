"""`kabinet bench load` starts gunicorn against the demo database, lets simulated users request
the page mix as their personas, and writes requests, errors and percentiles per run and per page;
bad options are refused with a message, before anything starts."""

from __future__ import annotations

import json

from kabinet.jobs.testing import child_env, kabinet, use_migrated


def test_bench_load_writes_throughput_and_percentiles_for_every_page(tmp_path, migrated_sqlite):
    use_migrated(migrated_sqlite, tmp_path)
    env = child_env(tmp_path, DEBUG="1", DJANGO_SETTINGS_MODULE="kabinet.settings")
    built = kabinet(["demo", "--no-serve", "--scale", "1000"], env)
    assert built.returncode == 0, built.stderr[-2000:]
    out = tmp_path / "load.json"

    done = kabinet(["bench", "load", "--users", "2", "--duration", "4", "--out", str(out)], env)

    assert done.returncode == 0, done.stderr[-2000:]
    data = json.loads(out.read_text())
    assert data["database"] == "sqlite" and data["events"] >= 1000
    (run,) = data["runs"]
    assert run["users"] == 2 and run["requests"] > 0
    assert run["errors"] == 0, run["pages"]
    assert run["p50_ms"] <= run["p95_ms"] <= run["p99_ms"]
    # Each user starts at its own place in the mix; on a busy machine a 4 s run reaches only the
    # first pages, so the test asks for the first user's first page and nothing unknown.
    known = {
        "client_home",
        "chronology_first",
        "chronology_page_50",
        "chronology_search",
        "chronology_filter",
        "manager_chronology",
        "manager_projects",
        "questions_desk",
        "promises",
        "work_board",
        "planning_queue",
        "planning_at_risk",
        "api_projects",
        "api_events",
        "api_events_search",
        "api_questions",
        "head_view",
    }
    assert "client_home" in run["pages"] and set(run["pages"]) <= known
    assert sum(page["requests"] for page in run["pages"].values()) == run["requests"]


def test_bench_load_refuses_a_user_count_out_of_range_with_a_message(tmp_path, migrated_sqlite):
    use_migrated(migrated_sqlite, tmp_path)
    env = child_env(tmp_path, DEBUG="1", DJANGO_SETTINGS_MODULE="kabinet.settings")

    done = kabinet(["bench", "load", "--users", "0", "--out", str(tmp_path / "l.json")], env)

    assert done.returncode != 0
    assert "--users must be between 1 and 500" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "l.json").exists()


def test_bench_load_refuses_a_database_without_the_demo(tmp_path, migrated_sqlite):
    use_migrated(migrated_sqlite, tmp_path)
    env = child_env(tmp_path, DEBUG="1", DJANGO_SETTINGS_MODULE="kabinet.settings")

    done = kabinet(["bench", "load", "--duration", "2", "--out", str(tmp_path / "l.json")], env)

    assert done.returncode != 0
    assert "kabinet demo" in done.stderr
    assert "Traceback" not in done.stderr
