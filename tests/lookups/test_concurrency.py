"""At most N requests in flight per API and M in all; past that, « indisponible » at once.

Against the fake server of tests/upstream.py, which counts the requests it is answering
at the same time: a hanging API never holds more than N of the server's threads, and
every other lookup answers at once instead of queueing behind them.
"""

import threading
import time

import pytest

from cerfa import lookups
from cerfa.lookups.client import InFlight
from tests.upstream import Hang

from .conftest import UNLISTED_POSTCODES

MARGIN = 1.0
REFUSED = "too many lookups in flight"


@pytest.fixture
def live(settings, fake_upstream):
    settings.CERFA_LOOKUPS_ENABLED = True
    settings.CERFA_LOOKUP_URLS = fake_upstream.urls
    settings.CERFA_LOOKUP_TIMEOUT_SECONDS = 1  # each lookup: 2 s at most
    settings.CERFA_LOOKUP_MAX_IN_FLIGHT_PER_API = 3
    settings.CERFA_LOOKUP_MAX_IN_FLIGHT = 4
    settings.CERFA_LOOKUP_BREAKER_FAILURES = 100  # not what is tested here
    return fake_upstream


def run_together(calls):
    """Starts every call at the same moment; returns (result, end time) per call, once all
    have ended or the deadline and its margin have passed."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        result = call()
        outcomes[index] = (result, time.monotonic())

    threads = [
        threading.Thread(target=run, args=(i, call), daemon=True) for i, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    end = time.monotonic() + 2.0 + MARGIN
    for thread in threads:
        thread.join(max(0.0, end - time.monotonic()))
    return outcomes


def test_fifty_lookups_of_a_hanging_api_three_in_flight_the_rest_refused_at_once(live):
    live.route("/geo", Hang(60))
    outcomes = run_together(
        [lambda n=n: lookups.communes(UNLISTED_POSTCODES[n]) for n in range(50)]
    )

    assert all(outcome is not None for outcome in outcomes), "a lookup outlived its deadline"
    assert all(result.status == "unavailable" for result, _ in outcomes)
    refused = [at for result, at in outcomes if result.reason == REFUSED]
    waited = [at for result, at in outcomes if result.reason != REFUSED]
    assert (len(refused), len(waited)) == (47, 3)
    assert live.max_in_flight("/geo") == 3
    assert len(live.requests_to("/geo")) == 3
    # Refused at once: every refusal came back before any of the three that waited.
    assert max(refused) < min(waited)


def test_the_bound_in_all_holds_across_apis(live):
    live.route("/geo", Hang(60))
    live.route("/entreprises", Hang(60))
    outcomes = run_together(
        [lambda n=n: lookups.communes(UNLISTED_POSTCODES[n]) for n in range(20)]
        + [lambda: lookups.siret("73282932000074") for _ in range(20)]
    )

    assert all(outcome is not None for outcome in outcomes)
    assert live.max_in_flight("/") == 4  # M in all, though each API could take 3
    assert live.max_in_flight("/geo") <= 3 and live.max_in_flight("/entreprises") <= 3
    assert sum(result.reason != REFUSED for result, _ in outcomes) == 4


def test_in_flight_counts_refuse_without_waiting_and_give_back():
    slots = InFlight(per_api=2, total=3)
    assert slots.acquire("geo") and slots.acquire("geo")
    assert not slots.acquire("geo")  # the API's own bound
    assert slots.acquire("cdtn")
    assert not slots.acquire("catalogue")  # the bound in all
    slots.release("geo")
    assert slots.count("geo") == 1 and slots.count() == 2
    assert slots.acquire("catalogue")


def test_one_requester_holds_one_place_per_api_and_leaves_the_others_to_everyone():
    slots = InFlight(per_api=3, total=6)
    assert slots.acquire("geo", "a")
    assert not slots.acquire("geo", "a")  # its one place on this API is taken
    assert slots.acquire("cdtn", "a")  # another API: a place of its own
    assert slots.acquire("geo", "b") and slots.acquire("geo", "c")
    slots.release("geo", "a")
    assert slots.acquire("geo", "a")
    assert slots.count("geo") == 3 and slots.count() == 4


def test_a_slow_api_one_client_cannot_take_every_place(live):
    """Against an API that takes its time, one client's lookups get one place; another
    client still reaches the API."""
    live.route("/geo", Hang(0.6))  # within the 1-second read timeout: slow, not failing
    outcomes = run_together(
        [lambda n=n: lookups.communes(UNLISTED_POSTCODES[n], requester="greedy") for n in range(5)]
        + [lambda: lookups.communes("69002", requester="other")]
    )
    greedy = [result for result, _ in outcomes[:5]]
    assert sum(result.reason == REFUSED for result in greedy) == 4
    other, _ = outcomes[5]
    assert other.status == "ok"
