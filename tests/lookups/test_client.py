"""The client's guarantees: timeouts, one retry, cache, rate limit, disabled, garbage."""

import logging

import pytest
import requests
import responses

from cerfa.lookups.client import (
    LookupClient,
    NotFound,
    RateLimit,
    TTLCache,
    Unavailable,
)

URL = "https://api.test/search"


def test_answer_is_parsed_json(client, rsps):
    rsps.add(responses.GET, URL, json={"results": []})
    assert client.get_json("entreprises", URL, {"q": "x"}) == {"results": []}


def test_timeouts_are_passed_to_requests(rsps, clock):
    seen = {}

    def capture(request):
        seen["timeout"] = request.req_kwargs["timeout"]
        return 200, {}, "{}"

    rsps.add_callback(responses.GET, URL, callback=capture)
    LookupClient(timeout=2, clock=clock).get_json("geo", URL)
    assert seen["timeout"] == (2, 2)


def test_a_timeout_gives_unavailable_without_retry(client, rsps):
    rsps.add(responses.GET, URL, body=requests.exceptions.ReadTimeout())
    with pytest.raises(Unavailable, match="timeout"):
        client.get_json("geo", URL)
    assert len(rsps.calls) == 1


def test_a_connection_error_is_retried_once(client, rsps):
    rsps.add(responses.GET, URL, body=requests.exceptions.ConnectionError())
    with pytest.raises(Unavailable, match="connection error"):
        client.get_json("geo", URL)
    assert len(rsps.calls) == 2


def test_a_500_is_retried_once_and_the_second_answer_is_used(client, rsps):
    rsps.add(responses.GET, URL, status=500, body="<html>Erreur</html>")
    rsps.add(responses.GET, URL, json=[{"nom": "Lyon"}])
    assert client.get_json("geo", URL) == [{"nom": "Lyon"}]
    assert len(rsps.calls) == 2


def test_two_500_give_unavailable(client, rsps):
    rsps.add(responses.GET, URL, status=500)
    rsps.add(responses.GET, URL, status=503)
    with pytest.raises(Unavailable, match="http 503"):
        client.get_json("geo", URL)
    assert len(rsps.calls) == 2


@pytest.mark.parametrize("status", [400, 401, 429])
def test_a_4xx_other_than_404_is_unavailable_without_retry(client, rsps, status):
    rsps.add(responses.GET, URL, status=status, json={"erreur": "non"})
    with pytest.raises(Unavailable, match=f"http {status}"):
        client.get_json("geo", URL)
    assert len(rsps.calls) == 1


def test_a_404_is_not_found_and_remembered(client, rsps):
    rsps.add(responses.GET, URL, status=404, json={"message": "Siret inconnu"})
    for _ in range(2):
        with pytest.raises(NotFound):
            client.get_json("referentiel", URL)
    assert len(rsps.calls) == 1


@pytest.mark.parametrize(
    "body",
    [
        "<!DOCTYPE html><html><body>Service en maintenance</body></html>",
        '{"results": [',
        "",
    ],
)
def test_an_answer_that_is_not_json_is_unavailable(client, rsps, body):
    rsps.add(responses.GET, URL, body=body, content_type="text/html")
    with pytest.raises(Unavailable, match="not json"):
        client.get_json("geo", URL)


def test_an_oversized_answer_is_unavailable(rsps, clock):
    rsps.add(responses.GET, URL, body="[" + "1," * 1000 + "1]")
    with pytest.raises(Unavailable, match="too large"):
        LookupClient(max_bytes=500, clock=clock).get_json("geo", URL)


def test_an_answer_slower_than_twice_the_timeout_is_abandoned(rsps, clock):
    def slow(request):
        clock.advance(7)  # the server took 7 s to send its body (timeout 3 s)
        return 200, {}, "[]"

    rsps.add_callback(responses.GET, URL, callback=slow)
    with pytest.raises(Unavailable, match="too slow"):
        LookupClient(timeout=3, clock=clock).get_json("geo", URL)


def test_disabled_lookups_send_nothing(rsps, clock):
    rsps.add(responses.GET, URL, json=[])
    with pytest.raises(Unavailable, match="disabled"):
        LookupClient(enabled=False, clock=clock).get_json("geo", URL)
    assert len(rsps.calls) == 0


def test_the_same_question_is_asked_once_within_the_ttl(rsps, clock):
    rsps.add(responses.GET, URL, json=["première"])
    rsps.add(responses.GET, URL, json=["seconde"])
    client = LookupClient(cache_seconds=600, clock=clock)
    assert client.get_json("geo", URL, {"q": "a"}) == ["première"]
    clock.advance(599)
    assert client.get_json("geo", URL, {"q": "a"}) == ["première"]
    assert len(rsps.calls) == 1
    clock.advance(2)
    assert client.get_json("geo", URL, {"q": "a"}) == ["seconde"]
    assert len(rsps.calls) == 2


def test_different_parameters_are_different_questions(client, rsps):
    rsps.add(responses.GET, URL, json=["a"])
    rsps.add(responses.GET, URL, json=["b"])
    assert client.get_json("geo", URL, {"q": "1"}) == ["a"]
    assert client.get_json("geo", URL, {"q": "2"}) == ["b"]


def test_failures_are_not_cached(client, rsps):
    rsps.add(responses.GET, URL, status=500)
    rsps.add(responses.GET, URL, status=500)
    rsps.add(responses.GET, URL, json=["ok"])
    with pytest.raises(Unavailable):
        client.get_json("geo", URL)
    assert client.get_json("geo", URL) == ["ok"]


def test_the_cache_is_bounded_least_recently_used_first(clock):
    cache = TTLCache(max_entries=2, ttl=60, clock=clock)
    cache.set("a", 1)
    cache.set("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recently used
    cache.set("c", 3)
    assert len(cache) == 2
    assert "b" not in cache
    assert (cache.get("a"), cache.get("c")) == (1, 3)


def test_the_rate_limit_refuses_at_once_then_lets_through(rsps, clock):
    rsps.add(responses.GET, URL, json=[])
    client = LookupClient(rate_limits={"geo": RateLimit(2, 1.0)}, cache_size=0, clock=clock)
    client.get_json("geo", URL, {"q": "1"})
    client.get_json("geo", URL, {"q": "2"})
    with pytest.raises(Unavailable, match="rate limited"):
        client.get_json("geo", URL, {"q": "3"})
    assert len(rsps.calls) == 2
    clock.advance(1.0)
    client.get_json("geo", URL, {"q": "3"})
    assert len(rsps.calls) == 3


def test_the_rate_limit_is_per_api(rsps, clock):
    rsps.add(responses.GET, URL, json=[])
    limits = {"geo": RateLimit(1, 1.0), "entreprises": RateLimit(1, 1.0)}
    client = LookupClient(rate_limits=limits, cache_size=0, clock=clock)
    client.get_json("geo", URL)
    client.get_json("entreprises", URL)
    with pytest.raises(Unavailable):
        client.get_json("geo", URL)


def test_cached_answers_do_not_count_against_the_rate_limit(rsps, clock):
    rsps.add(responses.GET, URL, json=[])
    client = LookupClient(rate_limits={"geo": RateLimit(1, 1.0)}, clock=clock)
    for _ in range(5):
        client.get_json("geo", URL, {"q": "1"})
    assert len(rsps.calls) == 1


def test_logs_name_the_api_and_the_failure_never_the_value(client, rsps, caplog):
    rsps.add(responses.GET, URL, status=502)
    rsps.add(responses.GET, URL, status=502)
    with caplog.at_level(logging.WARNING, logger="cerfa.lookups"), pytest.raises(Unavailable):
        client.get_json("entreprises", URL, {"q": "73282932000074"})
    assert "entreprises" in caplog.text and "http 502" in caplog.text
    assert "73282932000074" not in caplog.text and "api.test" not in caplog.text
