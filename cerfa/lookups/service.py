"""The lookups as the wizard and ``cerfa complete`` call them.

Each function reads the settings (cerfa/settings/apis.py), uses the one shared client of
this process, and returns a ``LookupResult``: it never raises, and it returns within its
deadline, twice ``CERFA_LOOKUP_TIMEOUT_SECONDS`` for all its requests together (or
``max_seconds``, when that is shorter). With ``CERFA_LOOKUPS_ENABLED`` false nothing is
sent anywhere; ``idcc`` still answers from the list kept with the project, ``communes``
and ``diplome`` from the postal-code and diploma tables (``offline.py``), which also
answer whenever their API cannot.

``requester`` is an opaque key for whoever asks (the views give one per client): one
requester never gets more than half of an API's rate limit. The per-client limits of the
views themselves (``client_limiter``) live here too, as one object per process.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable

from django.conf import settings

from cerfa.clients import Allowance, ClientLimiter
from cerfa.lookups import conventions, diplomes, entreprises, geo, offline, organismes
from cerfa.lookups.client import LookupCall, LookupClient
from cerfa.lookups.result import LookupResult, unavailable

logger = logging.getLogger("cerfa.lookups")

_lock = threading.Lock()
_client: LookupClient | None = None
_client_key: tuple | None = None
_limiter: ClientLimiter | None = None
_limiter_key: tuple | None = None


def get_client() -> LookupClient:
    """The process's client, rebuilt when the settings it depends on change."""
    global _client, _client_key
    key = (
        settings.CERFA_LOOKUPS_ENABLED,
        settings.CERFA_LOOKUP_TIMEOUT_SECONDS,
        settings.CERFA_LOOKUP_CACHE_SECONDS,
        settings.CERFA_LOOKUP_CACHE_SIZE,
        settings.CERFA_LOOKUP_MAX_IN_FLIGHT_PER_API,
        settings.CERFA_LOOKUP_MAX_IN_FLIGHT,
        settings.CERFA_LOOKUP_BREAKER_FAILURES,
        settings.CERFA_LOOKUP_BREAKER_SECONDS,
        settings.CERFA_LOOKUP_CLIENTS_TRACKED,
    )
    with _lock:
        if _client is None or key != _client_key:
            # The old client is left to the lookups still using it: closing its session
            # now would cut them off.
            _client = LookupClient(
                enabled=settings.CERFA_LOOKUPS_ENABLED,
                timeout=settings.CERFA_LOOKUP_TIMEOUT_SECONDS,
                cache_seconds=settings.CERFA_LOOKUP_CACHE_SECONDS,
                cache_size=settings.CERFA_LOOKUP_CACHE_SIZE,
                max_in_flight_per_api=settings.CERFA_LOOKUP_MAX_IN_FLIGHT_PER_API,
                max_in_flight=settings.CERFA_LOOKUP_MAX_IN_FLIGHT,
                breaker_failures=settings.CERFA_LOOKUP_BREAKER_FAILURES,
                breaker_seconds=settings.CERFA_LOOKUP_BREAKER_SECONDS,
                max_requesters=settings.CERFA_LOOKUP_CLIENTS_TRACKED,
            )
            _client_key = key
        return _client


def burst(per_minute: int) -> int:
    """How many lookups a client may make at once: a third of its minute's allowance."""
    return max(1, per_minute // 3)


def client_limiter() -> ClientLimiter:
    """The per-client limits of the JSON endpoints (one bucket per address, one per
    session), rebuilt when their settings change."""
    global _limiter, _limiter_key
    key = (
        settings.CERFA_LOOKUP_SESSION_PER_MINUTE,
        settings.CERFA_LOOKUP_ADDRESS_PER_MINUTE,
        settings.CERFA_LOOKUP_CLIENTS_TRACKED,
    )
    with _lock:
        if _limiter is None or key != _limiter_key:
            session, address, tracked = key
            _limiter = ClientLimiter(
                {
                    "session": Allowance(session, burst(session)),
                    "address": Allowance(address, burst(address)),
                },
                max_clients=tracked,
                clock=time.monotonic,
            )
            _limiter_key = key
        return _limiter


def reset_client() -> None:
    """Forget the client (its cache, rate counters and breakers) and the per-client
    limits: for tests."""
    global _client, _client_key, _limiter, _limiter_key
    with _lock:
        if _client is not None:
            _client.close()
        _client, _client_key, _limiter, _limiter_key = None, None, None, None


def _safe(
    name: str,
    call: Callable[[LookupCall], LookupResult],
    max_seconds: float | None = None,
    requester: Hashable = None,
) -> LookupResult:
    # The parsers are written not to raise on any answer; this is the last guard, so that
    # a lookup can never break a page. Only the exception's type is logged.
    try:
        with get_client().call(max_seconds, requester) as lookup:
            return call(lookup)
    except Exception as exc:  # noqa: BLE001 - whatever happens, the user types the values
        logger.error("lookup %s failed unexpectedly: %s", name, type(exc).__name__)
        return unavailable("unexpected error")


def _safe_offline(
    name: str, merge: Callable[[], LookupResult], online: LookupResult
) -> LookupResult:
    # A table that cannot be read (a broken install) must not break a page either: the
    # API's answer stands. Only the exception's type is logged.
    try:
        return merge()
    except Exception as exc:  # noqa: BLE001 - the user still gets the API's answer
        logger.error("offline table for %s failed: %s", name, type(exc).__name__)
        return online


def siret(
    value: str,
    role: str = "employeur",
    *,
    max_seconds: float | None = None,
    requester: Hashable = None,
) -> LookupResult:
    """An establishment by SIRET: ``role="employeur"`` fills the employer block (name,
    address, APE, headcount, IDCC, suggested type); ``"cfa"`` a CFA or training place."""
    if role not in entreprises.ROLES:
        raise ValueError(f"role must be one of {entreprises.ROLES}")
    return _safe(
        "siret",
        lambda client: entreprises.lookup(
            value,
            client=client,
            base_url=settings.CERFA_LOOKUP_URLS["entreprises"],
            role=role,
        ),
        max_seconds,
        requester,
    )


def communes(
    code_postal: str, *, max_seconds: float | None = None, requester: Hashable = None
) -> LookupResult:
    """The communes of a postal code (a choice when several share it); La Poste's table
    when the API has no answer."""
    online = _safe(
        "communes",
        lambda client: geo.lookup(
            code_postal, client=client, base_url=settings.CERFA_LOOKUP_URLS["geo"]
        ),
        max_seconds,
        requester,
    )
    return _safe_offline("communes", lambda: offline.communes(code_postal, online), online)


def cfa(
    identifiant: str, *, max_seconds: float | None = None, requester: Hashable = None
) -> LookupResult:
    """A CFA by SIRET or UAI."""
    return _safe(
        "cfa",
        lambda client: organismes.lookup(
            identifiant, client=client, urls=settings.CERFA_LOOKUP_URLS
        ),
        max_seconds,
        requester,
    )


def diplome(
    code: str, *, max_seconds: float | None = None, requester: Hashable = None
) -> LookupResult:
    """A certification by code RNCP or code diplôme; France compétences' table completes
    the catalogue's answer, or stands in for it when the catalogue has none."""
    online = _safe(
        "diplome",
        lambda client: diplomes.lookup(
            code, client=client, base_url=settings.CERFA_LOOKUP_URLS["catalogue"]
        ),
        max_seconds,
        requester,
    )
    return _safe_offline("diplome", lambda: offline.diplome(code, online), online)


def idcc(
    code: str, *, max_seconds: float | None = None, requester: Hashable = None
) -> LookupResult:
    """A convention collective by IDCC (offline first)."""
    return _safe(
        "idcc",
        lambda client: conventions.lookup(
            code, client=client, base_url=settings.CERFA_LOOKUP_URLS["cdtn"]
        ),
        max_seconds,
        requester,
    )
