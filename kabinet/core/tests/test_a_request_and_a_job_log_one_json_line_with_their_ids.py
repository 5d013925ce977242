"""Structured logs: a request writes one JSON line with its request id, status and duration; a
background job writes lines carrying its name and id; the id a proxy sends is kept and echoed."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.conf import settings

from kabinet.core.logs import ContextFilter, JsonLineFormatter


@pytest.fixture
def json_lines():
    """What the root logger writes, formatted as in production (KABINET_LOG_FORMAT=json)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLineFormatter())
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)

    def read() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]

    yield read
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_production_settings_log_json() -> None:
    assert settings.DEBUG is False
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "json"
    assert "kabinet.core.logs.RequestLogMiddleware" == settings.MIDDLEWARE[0]


def test_a_request_writes_one_json_line_with_its_id_status_user_and_agency(
    client, sergey, agency, json_lines
) -> None:
    client.force_login(sergey)
    response = client.get("/work/")
    assert response.status_code == 200
    request_id = response["X-Request-ID"]
    assert len(request_id) >= 16
    lines = [line for line in json_lines() if line["logger"] == "kabinet.request"]
    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == request_id
    assert line["status"] == 200 and line["path"] == "/work/" and line["method"] == "GET"
    assert line["level"] == "INFO" and line["ts"]
    assert isinstance(line["duration_ms"], float)
    assert line["user_id"] == sergey.pk and line["agency"] == agency.slug


def test_the_request_id_a_proxy_sends_is_kept_and_a_hostile_one_replaced(
    client, json_lines
) -> None:
    response = client.get("/login/", headers={"X-Request-ID": "edge-4f2a.17"})
    assert response["X-Request-ID"] == "edge-4f2a.17"
    response = client.get("/login/", headers={"X-Request-ID": 'x"\n{"level":"ERROR"}'})
    assert response["X-Request-ID"] != 'x"\n{"level":"ERROR"}'
    ids = [line["request_id"] for line in json_lines() if line["logger"] == "kabinet.request"]
    assert ids == ["edge-4f2a.17", response["X-Request-ID"]]


def test_a_missing_page_is_logged_as_a_warning_with_its_status(client, json_lines) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    (line,) = [line for line in json_lines() if line["logger"] == "kabinet.request"]
    assert line["status"] == 404 and line["level"] == "WARNING"
    assert line["request_id"] == response["X-Request-ID"]


def test_a_job_logs_its_name_and_id_on_its_lines(db, json_lines) -> None:
    from kabinet.core.tasks import send_notification_emails

    result = send_notification_emails.enqueue()
    lines = [line for line in json_lines() if line.get("job_id") == str(result.id)]
    messages = [line["message"] for line in lines]
    assert any("started" in m for m in messages) and any("successful" in m for m in messages)
    assert all(line["job"] == send_notification_emails.name for line in lines)
    # Outside the job the context is gone again.
    logging.getLogger("kabinet.test").info("after the job")
    assert "job_id" not in json_lines()[-1]
