"""README.md's API example (the ```sh api-example block) runs as written against a live server:
a token made by `kabinet tokens create` and captured into a shell variable, a curl with it, the
token listed and revoked, and the same curl refused."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import time
import urllib.request

import pytest

from kabinet.jobs.testing import ROOT, child_env, kabinet, start, use_migrated

README = ROOT / "README.md"
SETUP = """
from kabinet.core.testing import Role, make_agency, make_company, make_project, make_user
agency = make_agency("digital-rost", "Цифровой Рост")
company = make_company(agency, "ТехноДом")
make_user(agency, "marina@client.example", Role.CLIENT, company=company)
make_project(company, "SEO ТехноДом")
"""


def api_example() -> str:
    found = re.findall(r"^```sh api-example\n(.*?)^```", README.read_text(), re.M | re.S)
    assert len(found) == 1, "README.md must show one ```sh api-example block"
    return found[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(migrated_sqlite, tmp_path):
    use_migrated(migrated_sqlite, tmp_path)
    env = child_env(tmp_path)
    done = kabinet(["shell", "-c", SETUP], env)
    assert done.returncode == 0, done.stderr
    port = free_port()
    proc = start(["runserver", f"127.0.0.1:{port}", "--noreload"], env, log=tmp_path / "web.log")
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/login/", timeout=5)
            break
        except OSError:
            assert time.monotonic() < deadline, (tmp_path / "web.log").read_text()
            time.sleep(0.3)
    yield env, url
    proc.terminate()
    proc.wait(timeout=30)


def test_the_readme_curl_example_runs_as_written(server):
    env, url = server
    block = api_example()
    assert "kabinet tokens create" in block and "curl" in block and "$KEY" in block
    done = subprocess.run(
        ["bash", "-c", "set -eo pipefail\n" + block],
        cwd=ROOT,
        env=env | {"KABINET_URL": url, "PATH": f"{ROOT / '.venv' / 'bin'}:/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert [p["name"] for p in json.loads(lines[0])["items"]] == ["SEO ТехноДом"]
    assert "\tactive\t" in lines[1]
    assert lines[-1] == "401"
    assert "kab_" not in done.stderr  # the key went only to the variable
