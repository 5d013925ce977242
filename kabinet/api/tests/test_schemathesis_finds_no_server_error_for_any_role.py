"""Conformance against a real OpenAPI client: schemathesis runs against the live schema with a
token for each role (client, specialist, manager, head), in its examples, coverage, fuzzing and
stateful phases: no 5xx, every response matches its schema, bad bodies get 4xx.

It is part of `make test` (marker `conformance`; `.ci/run` runs it on SQLite and PostgreSQL).
Each role's run is bounded (examples per operation and seconds), so the four fit in a few minutes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kabinet.api.tests.conftest import filled
from kabinet.api.tokens import create_token

pytestmark = pytest.mark.conformance

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
    ]
)
MAX_EXAMPLES = os.environ.get("KABINET_CONFORMANCE_EXAMPLES", "8")
MAX_SECONDS = os.environ.get("KABINET_CONFORMANCE_SECONDS", "40")


@pytest.fixture
def world(transactional_db, agency, marina, sergey, viktoria, head, project):
    filled(project, sergey, marina, "OWN")
    return {"client": marina, "specialist": viktoria, "manager": sergey, "head": head}


@pytest.mark.parametrize("role", ["client", "specialist", "manager", "head"])
def test_schemathesis_finds_nothing_wrong(role, world, agency, live_server, tmp_path):
    _token, key = create_token(user=world[role], agency=agency, name=f"schemathesis {role}")
    st = Path(sys.executable).with_name("st")
    report = tmp_path / "report.json"
    done = subprocess.run(
        [
            str(st),
            "run",
            f"{live_server.url}/api/v1/openapi.json",
            "--header",
            f"Authorization: Bearer {key}",
            "--phases",
            "examples,coverage,fuzzing,stateful",
            "--checks",
            CHECKS,
            "--max-examples",
            MAX_EXAMPLES,
            "--max-time",
            MAX_SECONDS,
            "--seed",
            "20261201",
            "--workers",
            "1",
            "--no-color",
            "--generation-with-security-parameters",
            "false",
            "--generation-database",
            "none",
            "--report",
            "ndjson",
            "--report-ndjson-path",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,  # anything schemathesis writes stays out of the repository
        env={**os.environ, "SCHEMATHESIS_HOOKS": ""},
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
