"""Every shell command README.md shows runs as written, on a fresh clone's terms.

Commands are read from the README itself — each line of a ```sh block (an `export` line carries
into the lines after it in the same block) and each inline code span that starts like a command
(`.venv/bin/…`, `make …`, `kabinet …`, `gunicorn …`, `echo …`, optionally after `VAR=value`
assignments) — so a command added to the README later is run here without touching this file.

Each runs in a subprocess with a clean environment: no SECRET_KEY and no DEBUG unless the README
sets them, a fresh temporary SQLite database (DATABASE_URL) and var folder (KABINET_VAR_DIR), and
`.venv/bin` on PATH as after `make install`. Commands that serve until stopped are started on a
free port, asked for a page, and stopped; the few that cannot run inside the suite are listed in
ELSEWHERE with where they are exercised instead.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

import kabinet

PROJECT = Path(kabinet.__file__).resolve().parent.parent
README = PROJECT / "README.md"
COMMAND_START = re.compile(
    r"^(?:[A-Z_]+=\S+\s+)*(?:\.venv/bin/\S+|make|kabinet|gunicorn|echo)\s+\S"  # a name alone is prose
)

# Commands the suite cannot run inside itself, and where each is exercised instead.
ELSEWHERE = {
    "make test": ".ci/run runs it (the suite itself; running it from inside would recurse)",
    "make test PYTEST_ARGS='-k scoping'": ".ci/run runs `make test`; this only narrows the same run",
    "DATABASE_URL=postgres://postgres@127.0.0.1:5432/kabinet make test": (
        ".ci/run runs `make test` with DATABASE_URL on PostgreSQL"
    ),
    "make bench": "a full benchmark run takes minutes; run by hand for BENCHMARKS.md, not in the suite",
    "BENCH_SCALE=100k make bench": "make bench on a bigger demo: longer still, run by hand",
    "kabinet bench load": (
        "needs a demo database and a minute per run: "
        "kabinet/core/tests/test_bench_load_serves_the_page_mix_through_gunicorn.py runs it"
    ),
    "DEBUG=1 .venv/bin/kabinet health backtest --agency demo": (
        "needs the demo's history and departures: "
        "kabinet/health/tests/test_demo_flags_silence_and_an_expectation_gap.py runs it on the demo"
    ),
    "kabinet i18n --update": (
        "rewrites the tracked catalogs; `kabinet i18n --check` (same command, no writes) runs here"
    ),
    "kabinet run": "serves until stopped: kabinet/jobs/tests/test_run_starts_and_stops_all_processes_together.py",
    "kabinet worker": "serves until stopped: kabinet/jobs/tests/test_run_starts_and_stops_all_processes_together.py",
    "kabinet scheduler": "serves until stopped: kabinet/jobs/tests/test_run_starts_and_stops_all_processes_together.py",
    "kabinet tokens create EMAIL NAME [--expires DAYS] [--agency SLUG]": (
        "a synopsis: kabinet/api/tests/test_readme_api_example_runs_as_written.py runs it for real"
    ),
    "kabinet tokens list EMAIL": (
        "a synopsis: kabinet/api/tests/test_readme_api_example_runs_as_written.py runs it for real"
    ),
    "kabinet tokens revoke ID": (
        "a synopsis: kabinet/api/tests/test_readme_api_example_runs_as_written.py runs it for real"
    ),
}


@dataclass(frozen=True)
class Command:
    text: str  # as the README shows it
    prelude: str = ""  # `export` lines before it in the same block

    @property
    def key(self) -> str:
        return re.sub(r"\s+#.*$", "", self.text).strip()

    def __str__(self) -> str:
        return self.key


def readme_commands() -> list[Command]:
    text = README.read_text()
    commands: list[Command] = []
    for block in re.findall(
        r"^```(?:sh|bash|shell)\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL
    ):
        exports: list[str] = []
        for line in block.replace("\\\n", " ").splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("export "):
                exports.append(line)
                continue
            commands.append(Command(line, "\n".join(exports)))
    prose = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
    for span in re.findall(r"`([^`\n]+)`", prose):
        if COMMAND_START.match(span) and span.strip() not in {c.key for c in commands}:
            commands.append(Command(span))
    return commands


COMMANDS = readme_commands()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Commands that serve until stopped: how to give them a free port (through the environment, so the
# command stays verbatim) and which page must answer before they are stopped.
SERVING = {
    "make demo": (lambda port: {"DEMO_ADDR": f"127.0.0.1:{port}"}, "/login/"),
    "gunicorn kabinet.wsgi": (
        lambda port: {"GUNICORN_CMD_ARGS": f"--bind 127.0.0.1:{port}"},
        "/login/",
    ),
}


@pytest.fixture
def clean_env(tmp_path) -> dict[str, str]:
    venv_bin = PROJECT / ".venv" / "bin"
    return {
        "PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'kabinet.sqlite3'}",
        "KABINET_VAR_DIR": str(tmp_path / "var"),
    }


def test_the_readme_shows_the_commands_this_test_knows_to_look_for():
    keys = [c.key for c in COMMANDS]
    assert any(
        k.startswith('echo "Пришлю отчёт завтра до обеда" | .venv/bin/kabinet promises detect')
        for k in keys
    )
    assert "make demo" in keys and "kabinet check --deploy" in keys


def test_every_command_exercised_elsewhere_is_still_in_the_readme_and_its_test_exists():
    keys = {c.key for c in COMMANDS}
    for command, reason in ELSEWHERE.items():
        assert command in keys, f"{command!r} is no longer in README.md: drop it from ELSEWHERE"
        for path in re.findall(r"kabinet/\S+\.py", reason):
            assert (PROJECT / path).exists(), path


@pytest.mark.parametrize(
    "command", [c for c in COMMANDS if c.key not in ELSEWHERE and c.key not in SERVING], ids=str
)
def test_a_readme_command_runs_as_written(command, clean_env, tmp_path):
    script = f"set -e\n{command.prelude}\n{command.text}\n"
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=PROJECT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, (
        f"{command.text}\n--- stdout\n{done.stdout[-3000:]}\n--- stderr\n{done.stderr[-3000:]}"
    )


@pytest.mark.parametrize("command", [c for c in COMMANDS if c.key in SERVING], ids=str)
def test_a_readme_command_that_serves_answers_and_stops(command, clean_env, tmp_path):
    port_env, page = SERVING[command.key]
    port = free_port()
    log = tmp_path / "serve.log"
    if command.key.startswith("gunicorn"):  # a fresh database needs its tables first
        subprocess.run(
            ["kabinet", "migrate", "--noinput", "-v0"],
            cwd=PROJECT,
            check=True,
            timeout=600,
            env={**clean_env, "DEBUG": "1"},
        )
        clean_env["DEBUG"] = (
            "1"  # the README serves production with a SECRET_KEY; here: a local run
        )
    with log.open("w") as out:
        process = subprocess.Popen(
            ["bash", "-c", f"{command.prelude}\nexec {command.text}"],
            cwd=PROJECT,
            env={**clean_env, **port_env(port)},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        status = None
        try:
            deadline = time.monotonic() + 600  # a bound for a slow machine, not an assertion
            while status is None and process.poll() is None and time.monotonic() < deadline:
                try:
                    with urllib.request.urlopen(
                        f"http://127.0.0.1:{port}{page}", timeout=5
                    ) as response:
                        status = response.status
                except OSError:
                    time.sleep(1)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGINT)
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
    assert status == 200, f"{command.text} did not answer {page}:\n{log.read_text()[-4000:]}"
