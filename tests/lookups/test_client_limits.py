"""Per-client limits: one client cannot take the lookups away from the others.

In the views, each client has its own allowance (its address, and its session when it
has one); past it, 429 and « patientez un instant ». Upstream, one requester gets at most
half of an API's rate limit, and answers from the cache spend nothing.
"""

import pytest
import responses
from django.conf import settings as django_settings
from django.test import Client, RequestFactory

from cerfa.clients import Allowance, ClientLimiter, client_address
from cerfa.lookups import client as lookups_client
from cerfa.lookups import service
from cerfa.lookups.client import LookupClient, RateLimit
from cerfa.lookups.result import TOO_MANY_MESSAGE
from cerfa.sessions import SessionStore

URL = "https://api.test/communes"


# -- the buckets -------------------------------------------------------------------------


def test_a_bucket_gives_its_burst_then_one_lookup_per_refill(clock):
    limiter = ClientLimiter({"address": Allowance(30, 10)}, max_clients=100, clock=clock)
    assert [limiter.take({"address": "a"}) for _ in range(10)] == [0] * 10
    wait = limiter.take({"address": "a"})
    assert wait == pytest.approx(2.0)  # 30 a minute: one every 2 s
    clock.advance(2.0)
    assert limiter.take({"address": "a"}) == 0
    assert limiter.take({"address": "a"}) > 0


def test_a_lookup_is_refused_when_any_of_its_buckets_is_empty_and_then_spends_none(clock):
    limiter = ClientLimiter(
        {"session": Allowance(3, 1), "address": Allowance(60, 20)}, max_clients=100, clock=clock
    )
    assert limiter.take({"address": "office", "session": "s1"}) == 0
    assert limiter.take({"address": "office", "session": "s1"}) > 0
    # A colleague in the same office, with a session of her own, is still served.
    for n in range(2, 20):
        assert limiter.take({"address": "office", "session": f"s{n}"}) == 0
    # The refusal above spent nothing from the office's bucket: 19 of its 20 were used.
    assert limiter.take({"address": "office"}) == 0
    assert limiter.take({"address": "office"}) > 0


def test_the_clients_remembered_are_bounded(clock):
    limiter = ClientLimiter({"address": Allowance(30, 1)}, max_clients=5, clock=clock)
    limiter.take({"address": "busy"})
    for n in range(100):
        limiter.take({"address": f"passant {n}"})
        limiter.take({"address": "busy"})  # in use: never the one forgotten
    assert limiter.tracked("address") == 5
    assert limiter.take({"address": "busy"}) > 0


def test_a_cfa_filling_forty_contracts_an_hour_never_reaches_the_defaults(clock):
    # The default allowances, as the views build them.
    session = django_settings.CERFA_LOOKUP_SESSION_PER_MINUTE
    address = django_settings.CERFA_LOOKUP_ADDRESS_PER_MINUTE
    assert (session, address) == (30, 120)
    limiter = ClientLimiter(
        {
            "session": Allowance(session, service.burst(session)),
            "address": Allowance(address, service.burst(address)),
        },
        max_clients=10_000,
        clock=clock,
    )
    # One contract every 90 s; on each, three pages each firing 4 lookups at once (SIRET
    # and postal codes; typing a value again counts again): 12 lookups, 480 in the hour.
    refused = 0
    for _ in range(40):
        for _page in range(3):
            for _lookup in range(4):
                refused += limiter.take({"address": "cfa", "session": "employee"}) > 0
            clock.advance(20)
        clock.advance(30)
    assert refused == 0


# -- the upstream share ------------------------------------------------------------------


def test_one_requester_gets_at_most_half_of_an_api_rate(rsps, clock):
    rsps.add(responses.GET, URL, json=[])
    client = LookupClient(rate_limits={"geo": RateLimit(4, 1.0)}, cache_size=0, clock=clock)

    def ask(who):
        with client.call(requester=who) as call:
            try:
                call.get_json("geo", URL)
                return "ok"
            except lookups_client.Unavailable as exc:
                return str(exc)

    assert [ask("hammer") for _ in range(5)] == ["ok", "ok"] + ["rate limited"] * 3
    assert [ask("someone else"), ask("a third")] == ["ok", "ok"]
    assert ask("a fourth") == "rate limited"  # now the API's own limit
    clock.advance(1.0)
    assert ask("hammer") == "ok"


def test_answers_from_the_cache_spend_no_share(rsps, clock):
    rsps.add(responses.GET, URL, json=["Lyon"])
    client = LookupClient(rate_limits={"geo": RateLimit(2, 1.0)}, clock=clock)
    for _ in range(10):
        with client.call(requester="same") as call:
            assert call.get_json("geo", URL, {"codePostal": "69002"}) == ["Lyon"]
    assert len(rsps.calls) == 1


def test_the_upstream_share_remembers_a_bounded_number_of_requesters(rsps, clock):
    rsps.add(responses.GET, URL, json=[])
    client = LookupClient(max_requesters=3, cache_size=0, clock=clock)
    for n in range(10):
        with client.call(requester=n) as call:
            call.get_json("geo", URL)
        clock.advance(1)
    assert client.limiter.tracked_requesters() == 3


# -- the views ---------------------------------------------------------------------------


@pytest.fixture
def limited(settings, fake_upstream):
    settings.CERFA_LOOKUPS_ENABLED = True
    settings.CERFA_LOOKUP_URLS = fake_upstream.urls
    settings.CERFA_LOOKUP_SESSION_PER_MINUTE = 3  # one at once
    settings.CERFA_LOOKUP_ADDRESS_PER_MINUTE = 6  # two at once
    return fake_upstream


def test_one_client_hammering_gets_429_and_another_is_still_served(limited):
    hammer = Client(REMOTE_ADDR="203.0.113.9")
    codes = [hammer.get("/api/communes/", {"value": "69002"}).status_code for _ in range(20)]
    assert codes == [200, 200] + [429] * 18
    assert len(limited.requests) == 1  # the second was a cache hit; no 429 reached the API

    other = Client(REMOTE_ADDR="198.51.100.4").get("/api/communes/", {"value": "01300"})
    assert other.status_code == 200 and other.json()["status"] == "ok"


def test_the_429_has_the_usual_shape_a_french_message_and_retry_after(limited):
    web = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(2):
        web.get("/api/idcc/", {"value": "1979"})
    response = web.get("/api/idcc/", {"value": "1979"})
    assert response.status_code == 429
    assert response.json() == {
        "status": "unavailable",
        "values": {},
        "choices": [],
        "details": {},
        "messages": [TOO_MANY_MESSAGE],
        "source": "",
    }
    assert "patientez un instant" in TOO_MANY_MESSAGE
    assert int(response["Retry-After"]) >= 1
    assert response["Cache-Control"] == "no-store"


def session_cookie(web: Client) -> Client:
    session = SessionStore()
    session["vu"] = True
    session.create()
    web.cookies[django_settings.SESSION_COOKIE_NAME] = session.session_key
    return web


def test_two_sessions_behind_one_address_each_have_their_own_limit(limited):
    first = session_cookie(Client(REMOTE_ADDR="192.0.2.1"))
    second = session_cookie(Client(REMOTE_ADDR="192.0.2.1"))
    assert first.get("/api/idcc/", {"value": "1979"}).status_code == 200
    assert first.get("/api/idcc/", {"value": "1979"}).status_code == 429  # its session's
    assert second.get("/api/idcc/", {"value": "1979"}).status_code == 200  # still served


def test_forged_session_keys_do_not_escape_the_limit_of_the_address(limited):
    forger = Client(REMOTE_ADDR="192.0.2.1")
    codes = []
    for n in range(3):
        forger.cookies[django_settings.SESSION_COOKIE_NAME] = f"forged-{n:026d}"
        codes.append(forger.get("/api/idcc/", {"value": "1979"}).status_code)
    assert codes == [200, 200, 429]  # the address's limit, whatever the cookie says
    assert service.client_limiter().tracked("session") == 0


def test_an_ipv6_client_is_counted_by_its_64_network():
    factory = RequestFactory()

    def address(raw):
        return client_address(factory.get("/", REMOTE_ADDR=raw))

    assert address("2001:db8:1:2::1") == address("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert address("2001:db8:1:3::1") != address("2001:db8:1:2::1")
    assert address("::ffff:192.0.2.7") == address("192.0.2.7") == "192.0.2.7"
    assert address("") == address("pas une adresse") == "unknown"


def test_the_views_remember_a_bounded_number_of_clients(limited, settings):
    settings.CERFA_LOOKUP_CLIENTS_TRACKED = 4
    web = Client()
    for n in range(12):
        web.get("/api/idcc/", {"value": "1979"}, REMOTE_ADDR=f"198.51.100.{n}")
    assert service.client_limiter().tracked("address") == 4
