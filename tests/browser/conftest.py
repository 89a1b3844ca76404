"""End-to-end tests in a real Chromium: Debian's /usr/bin/chromium, driven by Playwright,
against the service exactly as ``make run`` serves it (tests/server.py: ``manage.py serve``,
production settings, static files collected by the production storage).

No browser is ever downloaded (``playwright install`` is never run): ``make test`` installs
the ``chromium`` package when it is missing. Without it these tests are skipped on a
developer's machine, and *fail* under CI (``CI=true``), so that a green CI always means the
browser tests ran.

Every page a test opens is watched: a stylesheet, font, script or image that fails to load
or is blocked (integrity, Content-Security-Policy), and any console error or uncaught
script error, fail the test.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.server import start_redis, start_server, unavailable

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SHOTS = Path(os.environ.get("CERFA_SHOTS", "/tmp/shots"))
# What a page needs to look right: any of these failing to load fails the test.
SUBRESOURCES = {"stylesheet", "font", "script", "image", "manifest"}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def production():
    server = start_server()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def live_url(production):
    return production.url


@pytest.fixture
def redis_backed():
    """A real Redis of its own, and the production server keeping its sessions there."""
    redis = start_redis()
    try:
        server = start_server(REDIS_URL=redis.url)
    except Exception:
        redis.stop()
        raise
    yield redis, server
    server.stop()
    redis.stop()


# One Chromium per test module, not per run: Playwright's synchronous API keeps an event
# loop running in this thread while it is open, and Django's test client (the tests after
# these) cannot call the async middleware (ServeStatic) from a thread with a running loop.
@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - a dev dependency
        unavailable("the playwright package is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _context(browser, javascript: bool):
    return browser.new_context(
        locale="fr-FR",
        accept_downloads=True,
        java_script_enabled=javascript,
        viewport={"width": 1280, "height": 900},
    )


class Watch:
    """What went wrong in the pages of one browser context."""

    def __init__(self):
        self.problems: list[str] = []
        self.loaded: list[tuple[str, str, int]] = []  # (resource type, url, status)
        self._error_documents: set[str] = set()

    def attach(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"script error: {exc}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _console(self, message) -> None:
        if message.type != "error":
            return
        where = (message.location or {}).get("url", "")
        # A page the test opened on purpose with an error status (a 404, a 413) is
        # reported by Chromium as a failed load: it is the page, not a broken resource.
        if message.text.startswith("Failed to load resource") and where in self._error_documents:
            return
        self.problems.append(f"console: {message.text} ({where})")

    def _failed(self, request) -> None:
        if request.resource_type in SUBRESOURCES:
            self.problems.append(
                f"blocked {request.resource_type}: {request.url} ({request.failure})"
            )

    def _response(self, response) -> None:
        kind = response.request.resource_type
        if kind == "document" and response.status >= 400:
            self._error_documents.add(response.url)
        if kind in SUBRESOURCES:
            self.loaded.append((kind, response.url, response.status))
            if response.status >= 400:
                self.problems.append(f"missing {kind}: {response.url} ({response.status})")


@pytest.fixture
def watch():
    return Watch()


@pytest.fixture
def context(browser, watch):
    ctx = _context(browser, javascript=True)
    ctx.on("page", watch.attach)
    yield ctx
    ctx.close()
    assert watch.problems == []


@pytest.fixture
def nojs_context(browser, watch):
    ctx = _context(browser, javascript=False)
    ctx.on("page", watch.attach)
    yield ctx
    ctx.close()
    assert watch.problems == []


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def shots():
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS
