"""End-to-end tests in headless Chromium (Debian's `chromium`, driven by Playwright for Python).

No browser is downloaded: Playwright launches /usr/bin/chromium via executable_path. Without
Chromium these tests are skipped, unless KABINET_REQUIRE_BROWSER=1 (CI), where that is a failure.
"""

from __future__ import annotations

import os
import shutil
import threading
import time

import pytest

# Playwright's sync API runs an event loop in this thread; the test body still talks to the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = (
    os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _OneRequestAtATime:
    """A WSGI app that serves one request at a time, its body included. On SQLite the live
    server's threads share the test's one in-memory connection (Django hands it over), and two
    requests on it at once (an autosave while the form is sent) break each other's transactions:
    that is the test set-up's limit, not the product's, so the server is serialised there."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.last_done = 0.0

    def __call__(self, environ, start_response):
        with self.lock:
            try:
                result = self.app(environ, start_response)
                try:
                    return [b"".join(result)]
                finally:
                    if hasattr(result, "close"):
                        result.close()
            finally:
                self.last_done = time.monotonic()

    def quiesce(self, quiet: float = 0.3, limit: float = 10.0) -> None:
        """Wait until no request has run for `quiet` seconds: a page's last beacon (the home's
        "seen" POST) must not write while the test's database is flushed behind it."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            with self.lock:
                if time.monotonic() - self.last_done >= quiet:
                    return
            time.sleep(0.05)


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, serialised when the database is an in-memory SQLite."""
    from pytest_django import live_server_helper

    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = live_server_helper.LiveServer(addr, start=False)
    server.serialised = []  # the _OneRequestAtATime wrapper, when there is one
    if server.thread.connections_override:
        handler = server.thread.static_handler

        def serialised(app):
            wrapper = _OneRequestAtATime(handler(app))
            server.serialised.append(wrapper)
            return wrapper

        server.thread.static_handler = serialised
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _live_server_quiet_before_flush(request):
    """After each test (its browser contexts closed) and before its database is flushed, let the
    serialised live server finish what the browser sent last (set up after pytest-django's own
    live-server fixture, so torn down before it)."""
    yield
    if "live_server" in request.fixturenames:
        for wrapper in request.getfixturevalue("live_server").serialised:
            wrapper.quiesce()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        if os.environ.get("KABINET_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (KABINET_REQUIRE_BROWSER=1) but was not found.")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="ru-RU", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _login_with(password: str):
    def _login(page, user) -> None:
        page.goto("/login/")
        page.fill("input[name=username]", user.email)
        page.fill("input[name=password]", password)
        page.click("button.primary")
        # Staff land on /projects/, a client on her project's home.
        page.wait_for_url(lambda url: "/login/" not in url)

    return _login


@pytest.fixture
def browser_login():
    """browser_login(page, user): log in through the real login form (the tests' personas)."""
    from kabinet.core.testing import PASSWORD

    return _login_with(PASSWORD)


@pytest.fixture
def demo_login():
    """demo_login(page, user): the same, for the people `kabinet demo` makes (its password)."""
    from kabinet.core.demo import PASSWORD

    return _login_with(PASSWORD)
