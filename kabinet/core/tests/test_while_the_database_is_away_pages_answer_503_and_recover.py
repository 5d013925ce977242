"""Fault injection: while PostgreSQL is away a web server answers every request at once with a
503 page (Retry-After), pages and API alike, and serves normally as soon as it is back.

The server (`kabinet runserver`, a real process) talks to PostgreSQL through a TCP proxy that the
test cuts and restores. Runs in the PostgreSQL pass of the suite (as in .ci/run).
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request

import pytest
from django.db import connection

from kabinet.jobs.testing import Forkserver, TcpProxy, child_env, upstream_of, wait_for

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a PostgreSQL outage (the PostgreSQL pass runs it)"
)


class _Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is the answer


def _get(url: str, **headers) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.build_opener(_Stay).open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()
    except OSError:  # not listening yet
        return 0, {}, ""


def test_while_the_database_is_away_pages_answer_503_and_recover(tmp_path, fault_db):
    proxy = TcpProxy(upstream_of(fault_db.url, 5432))
    env = child_env(tmp_path, DATABASE_URL=proxy.url(fault_db.url))
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    site = f"http://127.0.0.1:{port}"
    # A session cookie makes the page look the session up in the database; a token, the API.
    page = {"Cookie": "sessionid=abcdefghijklmnopqrstuvwxyz012345"}
    api = {"Authorization": "Bearer kab_notatoken"}
    forks = Forkserver(env, tmp_path)
    try:
        forks.start(["runserver", f"127.0.0.1:{port}", "--noreload"])
        wait_for(lambda: _get(f"{site}/login/")[0] == 200, timeout=60, what="the server")
        assert _get(f"{site}/", **page)[0] == 302  # to the sign-in page
        assert _get(f"{site}/api/v1/projects", **api)[0] == 401

        proxy.cut()
        status, headers, body = _get(f"{site}/", **page)
        assert status == 503
        assert headers["Retry-After"] == "30"
        assert 'data-testid="database-away"' in body
        status, headers, body = _get(f"{site}/api/v1/projects", **api)
        assert (status, headers["Retry-After"]) == (503, "30")
        assert headers["Content-Type"].startswith("application/json")
        assert json.loads(body)["detail"]  # the message, in the site's language

        proxy.restore()
        wait_for(lambda: _get(f"{site}/", **page)[0] == 302, timeout=30, what="the pages back")
        assert _get(f"{site}/api/v1/projects", **api)[0] == 401
    finally:
        forks.close()
        proxy.close()
