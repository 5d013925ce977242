"""Test helpers for webhooks: a real receiver on loopback that checks signatures like a client's."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_SECONDS = 5 * 60  # what Standard Webhooks receivers accept


def expected_signature(secret: str, msg_id: str, timestamp: str, body: bytes) -> str:
    """What a receiver recomputes: base64 HMAC-SHA256 of "{id}.{timestamp}.{body}", key = the
    base64-decoded part of the secret after "whsec_"."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class Receiver:
    """An HTTP server on 127.0.0.1 (random port) in a thread; answers `status` (a list is used up
    one per request, then its last value stays) and records every request it got."""

    def __init__(self, status: int | list[int] = 200):
        self.statuses = list(status) if isinstance(status, list) else [status]
        self.requests: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                receiver.requests.append(
                    {"headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
                )
                code = (
                    receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                )
                self.send_response(code)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def verify(self, request: dict, secret: str, now: float | None = None) -> dict:
        """Check one request the way a receiver would; return its JSON, or raise AssertionError."""
        headers = request["headers"]
        msg_id, timestamp = headers["webhook-id"], headers["webhook-timestamp"]
        now = time.time() if now is None else now
        assert abs(now - int(timestamp)) <= TOLERANCE_SECONDS, "timestamp outside the tolerance"
        wanted = expected_signature(secret, msg_id, timestamp, request["body"])
        given = [
            s.split(",", 1)[1] for s in headers["webhook-signature"].split() if s.startswith("v1,")
        ]
        assert any(hmac.compare_digest(wanted, g) for g in given), "no matching signature"
        return json.loads(request["body"])
