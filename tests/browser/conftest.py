"""End-to-end tests in a real Chromium: Debian's /usr/bin/chromium, driven by Playwright.

No browser is ever downloaded (``playwright install`` is never run): ``.ci/run`` installs
the ``chromium`` package when it is missing. Without it these tests are skipped on a
developer's machine, and *fail* under CI (``CI=true``), so that a green CI always means the
browser tests ran.

The site runs in a threaded WSGI server of the standard library, in this process: the tests
can then look inside the very cache that holds the sessions (the canary test does).
"""

from __future__ import annotations

import logging
import os
import re
import threading
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SHOTS = Path(os.environ.get("CERFA_SHOTS", "/tmp/shots"))

pytestmark = pytest.mark.browser


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"Browser tests cannot run under CI: {reason}", pytrace=False)
    pytest.skip(reason)


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Handler(WSGIRequestHandler):
    lines: list[str] = []

    def log_message(self, format, *args):  # noqa: A002 - the standard library's name
        # Kept (not printed) so that the canary test can read the server's log output.
        self.lines.append(format % args)


@pytest.fixture(scope="session")
def server_log() -> list[str]:
    return _Handler.lines


@pytest.fixture(scope="session")
def live_url(server_log):
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.wsgi import get_wsgi_application

    app = StaticFilesHandler(get_wsgi_application())
    httpd = make_server("127.0.0.1", 0, app, server_class=_ThreadingServer, handler_class=_Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - a dev dependency
        _unavailable("the playwright package is not installed")
    # Playwright's synchronous API runs an event loop in this thread; the tests never touch
    # a database (there is none), so Django's guard against that is safe to lift here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
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


@pytest.fixture
def context(browser):
    ctx = _context(browser, javascript=True)
    yield ctx
    ctx.close()


@pytest.fixture
def nojs_context(browser):
    ctx = _context(browser, javascript=False)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def shots():
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


@pytest.fixture
def captured_logs():
    """Every log record emitted anywhere while the test runs, as text."""
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(self.format(record))

    handler = Keep(level=logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield records
    root.removeHandler(handler)
    root.setLevel(old_level)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
