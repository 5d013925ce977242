"""Structured logs: who, which request or job, and how long, on every log line.

Every record gets ``request_id``, ``agency``, ``user_id`` (set by ``RequestLogMiddleware`` for
the request being served) and ``job`` / ``job_id`` (set when a background job starts, from the
Django Tasks signals, on every backend). With ``KABINET_LOG_FORMAT=json`` (the default when
``DEBUG=0``) each record is one JSON object per line (python-json-logger)::

    {"ts": "...", "level": "INFO", "logger": "kabinet.request", "message": "GET /work/ 200",
     "request_id": "...", "agency": "demo", "user_id": 3, "method": "GET", "path": "/work/",
     "status": 200, "duration_ms": 41.2}

With ``DEBUG=1`` the default is a readable line with the same context at its end. The request
id comes from the ``X-Request-ID`` header when a proxy sets one (a short token of letters,
digits, ``-``, ``_``, ``.``), otherwise a new one; it is sent back in ``X-Request-ID``.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty
from pythonjsonlogger.json import JsonFormatter

CONTEXT_FIELDS = ("request_id", "agency", "user_id", "job", "job_id")
_context: ContextVar[dict[str, Any] | None] = ContextVar("kabinet_log_context", default=None)

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

request_logger = logging.getLogger("kabinet.request")
job_logger = logging.getLogger("kabinet.job")


def bind(**values: Any) -> Any:
    """Add ``values`` to the context of every log line from here on; returns a reset token."""
    current = dict(_context.get() or {})
    current.update(values)
    return _context.set(current)


def unbind(token: Any) -> None:
    _context.reset(token)


def current() -> dict[str, Any]:
    return dict(_context.get() or {})


class ContextFilter(logging.Filter):
    """Puts the request/job context on each record (``None`` where there is none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _context.get() or {}
        for field in CONTEXT_FIELDS:
            if not hasattr(record, field):
                setattr(record, field, context.get(field))
        return True


class JsonLineFormatter(JsonFormatter):
    """One JSON object per line: ts, level, logger, message, then the context and extras."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", "ts")
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__("{levelname}{name}{message}", *args, style="{", **kwargs)

    def add_fields(self, log_data: dict[str, Any], record: logging.LogRecord, message_dict):
        super().add_fields(log_data, record, message_dict)
        for field in CONTEXT_FIELDS:  # leave out what is not known, keep the lines short
            if log_data.get(field) is None:
                log_data.pop(field, None)
        if "ts" in log_data:  # the time first, as a reader scans the lines
            rest = {k: v for k, v in log_data.items() if k != "ts"}
            ts = log_data["ts"]
            log_data.clear()
            log_data["ts"] = ts
            log_data.update(rest)


class TextFormatter(logging.Formatter):
    """The readable form for a developer's terminal, with the same context at the end."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        extras = [
            f"{field}={getattr(record, field)}"
            for field in CONTEXT_FIELDS
            if getattr(record, field, None) is not None
        ]
        return f"{text} [{' '.join(extras)}]" if extras else text


def _request_id(request: HttpRequest) -> str:
    given = request.headers.get(REQUEST_ID_HEADER, "")
    return given if _SAFE_REQUEST_ID.match(given) else uuid.uuid4().hex


def _evaluated(lazy: Any) -> Any:
    """The object behind a SimpleLazyObject if the request already loaded it (no new query)."""
    wrapped = getattr(lazy, "_wrapped", lazy)
    return None if wrapped is empty else wrapped


class RequestLogMiddleware:
    """First in the stack: a request id for every log line of the request, and one line per
    request with its status and duration."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = _request_id(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        token = bind(request_id=request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            response[REQUEST_ID_HEADER] = request_id
            user = getattr(request, "_cached_user", None)  # loaded by the auth middleware
            user_id = user.pk if user is not None and user.is_authenticated else None
            viewer = _evaluated(getattr(request, "viewer", None))
            agency = getattr(getattr(viewer, "agency", None), "slug", None)
            status = response.status_code
            level = (
                logging.ERROR
                if status >= 500
                else logging.WARNING
                if status >= 400
                else logging.INFO
            )
            request_logger.log(
                level,
                "%s %s %s",
                request.method,
                request.path,
                status,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": duration_ms,
                    "user_id": user_id,
                    "agency": agency,
                },
            )
            return response
        finally:
            unbind(token)


# ---- background jobs: the Django Tasks signals, sent by every backend around each job ----------

_job_tokens: ContextVar[list[tuple[Any, float]] | None] = ContextVar(
    "kabinet_job_tokens", default=None
)


def job_started(sender: Any, task_result: Any, **kwargs: Any) -> None:
    name = getattr(task_result.task, "name", None) or task_result.task.module_path
    token = bind(job=name, job_id=str(task_result.id))
    stack = list(_job_tokens.get() or [])
    stack.append((token, time.perf_counter()))
    _job_tokens.set(stack)
    job_logger.info(
        "job %s started", name, extra={"attempt": getattr(task_result, "attempts", None)}
    )


def job_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    name = getattr(task_result.task, "name", None) or task_result.task.module_path
    stack = list(_job_tokens.get() or [])
    started = stack[-1][1] if stack else None
    status = str(getattr(task_result.status, "value", task_result.status))
    job_logger.log(
        logging.ERROR if status == "FAILED" else logging.INFO,
        "job %s %s",
        name,
        status.lower(),
        extra={
            "job": name,
            "job_id": str(task_result.id),
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
        },
    )
    if stack:
        token, _ = stack.pop()
        _job_tokens.set(stack)
        try:
            unbind(token)
        except ValueError:  # finished in another context than it started (not on our backends)
            _context.set(None)


def connect_job_signals() -> None:
    from django_tasks.signals import task_finished, task_started

    task_started.connect(job_started, dispatch_uid="kabinet.logs.job_started")
    task_finished.connect(job_finished, dispatch_uid="kabinet.logs.job_finished")
