"""Replaying the public APIs' answers: no test here touches the network.

``responses`` replaces requests' transport: a request to an address that was not
registered fails as a connection error, so a forgotten fixture can never reach out. The
tests of what real sockets do (deadlines, concurrency, breakers) use the fake server of
tests/upstream.py instead, on 127.0.0.1 (fixture ``fake_upstream``).
"""

import json
import threading
import time
from pathlib import Path

import pytest
import responses

from cerfa.lookups import service
from cerfa.lookups.client import LookupClient
from rules import communes
from tests.helpers import LOOKUP_URLS
from tests.upstream import fake_upstream  # noqa: F401 - a fixture for the tests here

FIXTURES = Path(__file__).parent / "fixtures"

URLS = LOOKUP_URLS


# Well-formed postal codes La Poste's table does not list (CEDEX codes are not in it):
# when their API cannot answer, no table stands in, so a test of what the client does
# with a failing API sees that failure itself.
UNLISTED_POSTCODES = [
    code for code in map(str, range(69900, 70000)) if not communes.postcode_exists(code)
]


def fixture(name: str) -> dict:
    """The envelope of a recorded answer (see fixtures/README.md)."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def replay(rsps: responses.RequestsMock, url: str, name: str, params: dict | None = None):
    """Answer GET ``url`` with the fixture ``name``; with ``params``, only when the query
    string is exactly those parameters (what the API receives is part of the test)."""
    envelope = fixture(name)
    match = [responses.matchers.query_param_matcher(params)] if params is not None else []
    rsps.add(responses.GET, url, json=envelope["body"], status=envelope["status"], match=match)


class FakeClock:
    def __init__(self, start: float = 1000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def client(rsps, clock):
    return LookupClient(enabled=True, timeout=3, clock=clock)


@pytest.fixture(autouse=True)
def fresh_service_client():
    # The shared client keeps a cache and rate counters: each test starts from nothing.
    service.reset_client()
    yield
    service.reset_client()


class Timed:
    """What ``run_within`` saw: the value returned (or the exception raised), how long it
    took, and whether it ended at all."""

    def __init__(self):
        self.value = None
        self.error: BaseException | None = None
        self.seconds: float | None = None

    @property
    def ended(self) -> bool:
        return self.seconds is not None


def run_within(limit: float, function, *args, **kwargs) -> Timed:
    """Runs ``function`` in a thread and waits ``limit`` seconds at most: a test of a
    deadline fails (``ended`` false) instead of hanging when the deadline does not hold."""
    timed = Timed()

    def target():
        start = time.monotonic()
        try:
            timed.value = function(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            timed.error = exc
        timed.seconds = time.monotonic() - start

    thread = threading.Thread(target=target, name="test-run-within", daemon=True)
    thread.start()
    thread.join(limit)
    return timed
