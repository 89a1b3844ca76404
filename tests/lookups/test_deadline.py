"""The deadline of a lookup holds on the wall clock, against real sockets (127.0.0.1).

requests' timeouts are per socket operation: an API that sends one byte every fraction
of a second never trips them. Each test here gives the lookup a deadline shorter than its
read timeout, or an upstream that never stops, and checks that it still ended by the
deadline (with a generous second of margin), and that nothing was left behind: the fake
server saw the connection closed, and the client's watchdog thread is gone.
"""

import socket
import threading
import time

import pytest

from cerfa import lookups
from cerfa.lookups.client import WATCHDOG, LookupClient, Unavailable
from tests.upstream import (
    DripBody,
    DripHeaders,
    First,
    Fixture,
    Hang,
    Reply,
    Silent,
    unreachable_url,
)

from .conftest import UNLISTED_POSTCODES, run_within

MARGIN = 1.0  # generous: the deadline is met within milliseconds
# The fake server's answer for this postal code is a few hundred bytes long: dripped, it
# would take a minute.
LONG = {"codePostal": "01300"}


def geo(upstream):
    return upstream.urls["geo"] + "/communes"


def nothing_left_running(upstream) -> bool:
    """The upstream saw every connection closed, and the watchdog thread is gone."""
    if not upstream.wait_idle(MARGIN):
        return False
    end = time.monotonic() + MARGIN
    while WATCHDOG.running() and time.monotonic() < end:
        time.sleep(0.01)
    return not WATCHDOG.running()


@pytest.mark.parametrize(
    "behaviour",
    [DripHeaders(0.2), DripBody(0.2), Silent(), Hang(60)],
    ids=["drip-headers", "drip-body", "silent", "hang"],
)
def test_the_deadline_ends_the_lookup_whatever_the_upstream_does(fake_upstream, behaviour):
    fake_upstream.route("/geo", behaviour)
    # A read timeout of 3 s, a deadline of 1 s: only the deadline can end it within 2 s.
    client = LookupClient(timeout=3, deadline=1.0, cache_size=0)
    timed = run_within(1.0 + MARGIN, client.get_json, "geo", geo(fake_upstream), LONG)

    assert timed.ended, "the lookup outlived its deadline"
    assert isinstance(timed.error, Unavailable) and str(timed.error) == "too slow"
    assert len(fake_upstream.requests) == 1  # no retry after a deadline
    assert nothing_left_running(fake_upstream)
    client.close()


def test_a_connection_that_never_completes_ends_by_the_deadline():
    url, listener, queued = unreachable_url()
    try:
        client = LookupClient(timeout=3, deadline=1.0)
        timed = run_within(1.0 + MARGIN, client.get_json, "geo", url + "/communes")
        assert timed.ended
        assert isinstance(timed.error, Unavailable)
    finally:
        for sock in (listener, *queued):
            sock.close()


def test_a_tls_handshake_dripped_byte_by_byte_ends_by_the_deadline():
    # A server that reads the ClientHello, then sends the beginning of a TLS record one
    # byte at a time: the handshake waits on it inside the connection's setup.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    stop = threading.Event()
    left = threading.Event()

    def drip():
        conn, _ = listener.accept()
        with conn:
            conn.recv(4096)
            for byte in b"\x16\x03\x03\x00\x40" + b"\x02" * 0x40:
                try:
                    conn.send(bytes([byte]))
                except OSError:
                    break
                if stop.wait(0.2):
                    break
            left.set()

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    try:
        client = LookupClient(timeout=3, deadline=1.0)
        url = f"https://127.0.0.1:{listener.getsockname()[1]}/communes"
        timed = run_within(1.0 + MARGIN, client.get_json, "geo", url)
        assert timed.ended
        assert isinstance(timed.error, Unavailable) and str(timed.error) == "too slow"
        assert left.wait(MARGIN), "the dripping server was not disconnected"
    finally:
        stop.set()
        listener.close()
        thread.join(MARGIN)


def test_the_retry_shares_the_deadline_of_the_first_attempt(fake_upstream):
    # First a 503 after half a second, then, on the retry, an answer dripped forever.
    fake_upstream.route("/geo", DripBody(0.2))
    fake_upstream.route("/geo", First(1, Reply(503)))
    fake_upstream.route("/geo", First(1, Hang(0.5)))
    client = LookupClient(timeout=1, cache_size=0)  # the deadline: twice the timeout, 2 s
    timed = run_within(2.0 + MARGIN, client.get_json, "geo", geo(fake_upstream), LONG)

    assert timed.ended
    assert isinstance(timed.error, Unavailable) and str(timed.error) == "too slow"
    assert len(fake_upstream.requests) == 2  # the retry was made, within the deadline
    assert nothing_left_running(fake_upstream)
    client.close()


@pytest.fixture
def live(settings, fake_upstream):
    """The service's own client, settings-driven, pointed at the fake server."""
    settings.CERFA_LOOKUPS_ENABLED = True
    settings.CERFA_LOOKUP_URLS = fake_upstream.urls
    settings.CERFA_LOOKUP_TIMEOUT_SECONDS = 1  # each lookup: 2 s at most
    return fake_upstream


def test_a_lookup_of_the_service_against_a_dripping_api_is_unavailable_in_time(live):
    # A postal code La Poste's table does not list (no table stands in for the API), with
    # an answer long enough to outlast the deadline one byte at a time.
    unlisted = UNLISTED_POSTCODES[0]
    live.route("/geo/communes", Fixture("geo_01300.json"), codePostal=unlisted)
    live.route("/geo", First(1, DripBody(0.2)))
    timed = run_within(2.0 + MARGIN, lookups.communes, unlisted)
    assert timed.ended and timed.error is None
    assert timed.value.status == "unavailable" and timed.value.reason == "too slow"
    assert nothing_left_running(live)
    # The next lookup, on a new connection, is answered as usual.
    result = lookups.communes("69002")
    assert result.status == "ok" and result.values["commune"] == "Lyon"
    assert live.requests[-1] == (
        "/geo/communes",
        "codePostal=69002&fields=nom%2Ccode%2CcodeDepartement&format=json",
    )


def test_the_fallback_of_the_cfa_lookup_gets_no_second_deadline(live):
    # The référentiel drips until the deadline: no time is left to ask the Annuaire.
    live.route("/referentiel", DripBody(0.2))
    timed = run_within(2.0 + MARGIN, lookups.cfa, "77834512400219")
    assert timed.ended
    assert timed.value.status == "unavailable"
    assert live.requests_to("/referentiel") and not live.requests_to("/entreprises")


def test_max_seconds_shortens_the_deadline(live):
    live.route("/entreprises", Silent())
    timed = run_within(0.5 + MARGIN, lookups.siret, "73282932000074", max_seconds=0.5)
    assert timed.ended
    assert timed.value.status == "unavailable"
