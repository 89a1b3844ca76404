"""The lookups as the wizard and ``cerfa complete`` call them.

Each function reads the settings (cerfa/settings/apis.py), uses the one shared client of
this process, and returns a ``LookupResult``: it never raises and never waits more than
twice ``CERFA_LOOKUP_TIMEOUT_SECONDS``. With ``CERFA_LOOKUPS_ENABLED`` false nothing is
sent anywhere; ``idcc`` still answers from the list kept with the project.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.conf import settings

from cerfa.lookups import conventions, diplomes, entreprises, geo, organismes
from cerfa.lookups.client import LookupClient
from cerfa.lookups.result import LookupResult, unavailable

logger = logging.getLogger("cerfa.lookups")

_lock = threading.Lock()
_client: LookupClient | None = None
_client_key: tuple | None = None


def get_client() -> LookupClient:
    """The process's client, rebuilt when the settings it depends on change."""
    global _client, _client_key
    key = (
        settings.CERFA_LOOKUPS_ENABLED,
        settings.CERFA_LOOKUP_TIMEOUT_SECONDS,
        settings.CERFA_LOOKUP_CACHE_SECONDS,
        settings.CERFA_LOOKUP_CACHE_SIZE,
    )
    with _lock:
        if _client is None or key != _client_key:
            _client = LookupClient(
                enabled=settings.CERFA_LOOKUPS_ENABLED,
                timeout=settings.CERFA_LOOKUP_TIMEOUT_SECONDS,
                cache_seconds=settings.CERFA_LOOKUP_CACHE_SECONDS,
                cache_size=settings.CERFA_LOOKUP_CACHE_SIZE,
            )
            _client_key = key
        return _client


def reset_client() -> None:
    """Forget the client (and its cache and rate counters): for tests."""
    global _client, _client_key
    with _lock:
        _client, _client_key = None, None


def _safe(name: str, call: Callable[[], LookupResult]) -> LookupResult:
    # The parsers are written not to raise on any answer; this is the last guard, so that
    # a lookup can never break a page. Only the exception's type is logged.
    try:
        return call()
    except Exception as exc:  # noqa: BLE001 - whatever happens, the user types the values
        logger.error("lookup %s failed unexpectedly: %s", name, type(exc).__name__)
        return unavailable("unexpected error")


def siret(value: str, role: str = "employeur") -> LookupResult:
    """An establishment by SIRET: ``role="employeur"`` fills the employer block (name,
    address, APE, headcount, IDCC, suggested type); ``"cfa"`` a CFA or training place."""
    if role not in entreprises.ROLES:
        raise ValueError(f"role must be one of {entreprises.ROLES}")
    return _safe(
        "siret",
        lambda: entreprises.lookup(
            value,
            client=get_client(),
            base_url=settings.CERFA_LOOKUP_URLS["entreprises"],
            role=role,
        ),
    )


def communes(code_postal: str) -> LookupResult:
    """The communes of a postal code (a choice when several share it)."""
    return _safe(
        "communes",
        lambda: geo.lookup(
            code_postal, client=get_client(), base_url=settings.CERFA_LOOKUP_URLS["geo"]
        ),
    )


def cfa(identifiant: str) -> LookupResult:
    """A CFA by SIRET or UAI."""
    return _safe(
        "cfa",
        lambda: organismes.lookup(
            identifiant, client=get_client(), urls=settings.CERFA_LOOKUP_URLS
        ),
    )


def diplome(code: str) -> LookupResult:
    """A certification by code RNCP or code diplôme."""
    return _safe(
        "diplome",
        lambda: diplomes.lookup(
            code, client=get_client(), base_url=settings.CERFA_LOOKUP_URLS["catalogue"]
        ),
    )


def idcc(code: str) -> LookupResult:
    """A convention collective by IDCC (offline first)."""
    return _safe(
        "idcc",
        lambda: conventions.lookup(
            code, client=get_client(), base_url=settings.CERFA_LOOKUP_URLS["cdtn"]
        ),
    )
