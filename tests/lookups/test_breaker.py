"""The circuit breaker of each API: K failures in a row open it for T seconds, then one
trial request decides. Unit tests on a fake clock, then the whole loop against the fake
server of tests/upstream.py."""

import logging
import time

import pytest
import requests
import responses

from cerfa import lookups
from cerfa.lookups import geo
from cerfa.lookups.client import CircuitBreaker, LookupClient, RateLimit, Unavailable
from tests.upstream import First, Reply

from .conftest import UNLISTED_POSTCODES

URL = "https://api.test/communes"


@pytest.fixture
def breaking(rsps, clock):
    return LookupClient(breaker_failures=3, breaker_seconds=30, cache_size=0, clock=clock)


def fail(client, rsps, times=1):
    for _ in range(times):
        rsps.add(responses.GET, URL, body=requests.exceptions.ReadTimeout())
        with pytest.raises(Unavailable):
            client.get_json("geo", URL)


def test_k_failures_in_a_row_open_it_and_lookups_are_refused_at_once(breaking, rsps):
    fail(breaking, rsps, times=3)
    assert len(rsps.calls) == 3
    rsps.add(responses.GET, URL, json=[])
    with pytest.raises(Unavailable, match="circuit open"):
        breaking.get_json("geo", URL)
    assert len(rsps.calls) == 3  # nothing was sent
    assert breaking.breaker("geo").state == "open"


def test_it_is_per_api(breaking, rsps):
    fail(breaking, rsps, times=3)
    rsps.add(responses.GET, URL, json={"hits": {"hits": []}})
    assert breaking.get_json("cdtn", URL) == {"hits": {"hits": []}}


def test_after_t_seconds_one_trial_goes_and_its_success_closes_it(breaking, rsps, clock):
    fail(breaking, rsps, times=3)
    clock.advance(29.9)
    with pytest.raises(Unavailable, match="circuit open"):
        breaking.get_json("geo", URL)
    clock.advance(0.1)
    rsps.add(responses.GET, URL, json=["de retour"])
    assert breaking.get_json("geo", URL) == ["de retour"]
    assert breaking.breaker("geo").state == "closed"
    assert breaking.get_json("geo", URL) == ["de retour"]


def test_a_failed_trial_opens_it_again_for_t_seconds(breaking, rsps, clock):
    fail(breaking, rsps, times=3)
    clock.advance(30)
    fail(breaking, rsps)  # the trial
    assert breaking.breaker("geo").state == "open"
    clock.advance(29)
    with pytest.raises(Unavailable, match="circuit open"):
        breaking.get_json("geo", URL)


def test_while_the_trial_runs_the_others_are_refused(clock):
    breaker = CircuitBreaker("geo", failures=1, seconds=10, clock=clock)
    breaker.failed(breaker.admit())
    clock.advance(10)
    trial = breaker.admit()
    assert trial is not None and trial.trial
    assert breaker.admit() is None
    breaker.cancel(trial)  # refused here before reaching the API: someone else may try
    assert breaker.admit() is not None


def test_a_success_resets_the_count_and_a_404_is_an_answer(breaking, rsps):
    fail(breaking, rsps, times=2)
    rsps.add(responses.GET, URL, json=[])
    breaking.get_json("geo", URL)
    fail(breaking, rsps, times=2)
    for _ in range(5):
        rsps.add(responses.GET, URL, status=404)
        with pytest.raises(lookups.client.NotFound):
            breaking.get_json("geo", URL)
    assert breaking.breaker("geo").state == "closed"


def test_a_5xx_and_an_unusable_answer_are_failures(breaking, rsps):
    rsps.add(responses.GET, URL, status=503)
    rsps.add(responses.GET, URL, status=503)
    with pytest.raises(Unavailable):
        breaking.get_json("geo", URL)
    # JSON, but not a list of communes: the lookup module says so, through its call.
    for _ in range(2):
        rsps.add(responses.GET, URL, json={"inattendu": True})
        with breaking.call() as call:
            result = geo.lookup("69002", client=call, base_url="https://api.test")
        assert result.status == "unavailable"
    assert breaking.breaker("geo").state == "open"


def test_an_unusable_answer_is_not_kept_in_the_cache(rsps, clock):
    client = LookupClient(clock=clock)
    rsps.add(responses.GET, URL, json={"inattendu": True})
    rsps.add(responses.GET, URL, json=[{"nom": "Lyon", "code": "69123"}])
    with client.call() as call:
        assert geo.lookup("69002", client=call, base_url="https://api.test").reason
    with client.call() as call:
        result = geo.lookup("69002", client=call, base_url="https://api.test")
    assert result.values["commune"] == "Lyon"
    assert len(rsps.calls) == 2


def test_refusals_made_here_are_not_failures(rsps, clock):
    client = LookupClient(
        breaker_failures=1, rate_limits={"geo": RateLimit(1, 1.0)}, cache_size=0, clock=clock
    )
    rsps.add(responses.GET, URL, json=[])
    client.get_json("geo", URL)
    for _ in range(3):
        with pytest.raises(Unavailable, match="rate limited"):
            client.get_json("geo", URL)
    assert client.breaker("geo").state == "closed"


def test_its_states_are_logged_with_the_api_name_only(breaking, rsps, clock, caplog):
    with caplog.at_level(logging.INFO, logger="cerfa.lookups"):
        fail(breaking, rsps, times=3)
        clock.advance(30)
        rsps.add(responses.GET, "https://api.test/communes?codePostal=69002", json=[])
        breaking.get_json("geo", URL, {"codePostal": "69002"})
    states = [r.getMessage() for r in caplog.records if "circuit breaker" in r.getMessage()]
    assert states == [
        "lookup geo circuit breaker open",
        "lookup geo circuit breaker half-open",
        "lookup geo circuit breaker closed",
    ]
    assert "69002" not in caplog.text and "api.test" not in caplog.text


def test_against_a_real_api_it_opens_after_k_failures_and_closes_after_t(settings, fake_upstream):
    settings.CERFA_LOOKUPS_ENABLED = True
    settings.CERFA_LOOKUP_URLS = fake_upstream.urls
    settings.CERFA_LOOKUP_BREAKER_FAILURES = 3
    settings.CERFA_LOOKUP_BREAKER_SECONDS = 1
    # Three lookups of two requests each (a 5xx is tried again), then the API is back.
    fake_upstream.route("/geo", First(6, Reply(503)))
    unlisted = UNLISTED_POSTCODES[0]  # no table stands in for the API
    for _ in range(3):
        assert lookups.communes(unlisted).status == "unavailable"
    assert len(fake_upstream.requests) == 6

    refused = lookups.communes(unlisted)
    assert (refused.status, refused.reason) == ("unavailable", "circuit open")
    assert len(fake_upstream.requests) == 6  # refused without asking

    time.sleep(1.05)  # T seconds
    assert lookups.communes("69002").status == "ok"  # the trial
    assert lookups.communes("01300").status == "ok"  # closed again
    assert len(fake_upstream.requests) == 8
