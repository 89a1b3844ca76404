"""One small HTTP client for every public API the lookups call.

Plain Python (requests), no Django: ``cerfa/lookups/config.py`` builds the shared client
from the settings. What it guarantees, whatever the API does:

- nothing leaves the server when lookups are disabled;
- a request gives up after ``timeout`` seconds to connect or between two reads, and a whole
  answer (retry included) after twice that: a person is waiting;
- one retry on a connection error or a 5xx; none on a timeout (a slow API stays slow) nor
  on a 4xx;
- answers (and "not found") are kept in memory for ``cache_seconds``, at most
  ``cache_size`` of them, so that the wizard never asks the same thing twice;
- each API has its own rate limit, below the one it publishes; past it the lookup is
  refused at once rather than queued (no one waits for a queue);
- an answer that is not JSON, or larger than ``max_bytes``, counts as unavailable;
- logs name the API and what went wrong, never the address asked, the parameters or the
  answer.

Callers get parsed JSON, or one of two exceptions: ``NotFound`` (the API said 404) and
``Unavailable`` (everything else). The lookup functions turn them into a ``LookupResult``.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests

logger = logging.getLogger("cerfa.lookups")

USER_AGENT = "cerfa-apprentissage (service public gratuit, contrat d'apprentissage)"


class Unavailable(Exception):
    """The API cannot answer usefully now. ``str(exc)`` is a short English reason."""


class NotFound(Exception):
    """The API answered 404: it does not know what was asked."""


@dataclass(frozen=True)
class RateLimit:
    calls: int
    per_seconds: float


# Below what each API publishes or tolerates (recherche-entreprises: 7 requests per second
# per address; geo.api.gouv.fr: 50). The others publish no figure: 2 per second is polite.
DEFAULT_RATE_LIMITS: dict[str, RateLimit] = {
    "entreprises": RateLimit(5, 1.0),
    "geo": RateLimit(10, 1.0),
    "referentiel": RateLimit(2, 1.0),
    "catalogue": RateLimit(2, 1.0),
    "cdtn": RateLimit(2, 1.0),
}
_FALLBACK_LIMIT = RateLimit(2, 1.0)


class RateLimiter:
    """A sliding window per API: at most ``calls`` in any ``per_seconds``."""

    def __init__(self, limits: Mapping[str, RateLimit], clock: Callable[[], float]):
        self._limits = dict(limits)
        self._clock = clock
        self._calls: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, api: str) -> bool:
        limit = self._limits.get(api, _FALLBACK_LIMIT)
        now = self._clock()
        with self._lock:
            calls = self._calls.setdefault(api, deque())
            while calls and now - calls[0] >= limit.per_seconds:
                calls.popleft()
            if len(calls) >= limit.calls:
                return False
            calls.append(now)
            return True


_MISSING = object()
_NOT_FOUND = object()  # a cached 404


class TTLCache:
    """A bounded LRU cache whose entries expire ``ttl`` seconds after they were stored."""

    def __init__(self, max_entries: int, ttl: float, clock: Callable[[], float]):
        self._max = max(0, max_entries)
        self._ttl = ttl
        self._clock = clock
        self._data: OrderedDict[Any, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            entry = self._data.get(key)
            if entry is None:
                return _MISSING
            expires, value = entry
            if self._clock() >= expires:
                del self._data[key]
                return _MISSING
            self._data.move_to_end(key)
            return value

    def set(self, key: Any, value: Any) -> None:
        if self._max == 0 or self._ttl <= 0:
            return
        with self._lock:
            self._data[key] = (self._clock() + self._ttl, value)
            self._data.move_to_end(key)
            while len(self._data) > self._max:
                self._data.popitem(last=False)

    def __contains__(self, key: Any) -> bool:
        return self.get(key) is not _MISSING

    def __len__(self) -> int:
        return len(self._data)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


class LookupClient:
    def __init__(
        self,
        *,
        enabled: bool = True,
        timeout: float = 3.0,
        cache_seconds: float = 600,
        cache_size: int = 1000,
        rate_limits: Mapping[str, RateLimit] = DEFAULT_RATE_LIMITS,
        max_bytes: int = 2_000_000,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.enabled = enabled
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._clock = clock
        self.cache = TTLCache(cache_size, cache_seconds, clock)
        self.limiter = RateLimiter(rate_limits, clock)
        self.session = session or requests.Session()
        self.session.headers.update({"Accept": "application/json", "User-Agent": USER_AGENT})

    def get_json(self, api: str, url: str, params: Mapping[str, str] | None = None) -> Any:
        """The parsed JSON answer of ``GET url?params``; raises ``NotFound`` on a 404 and
        ``Unavailable`` on anything else that is not a JSON answer."""
        if not self.enabled:
            raise Unavailable("lookups disabled")
        key = (url, tuple(sorted((params or {}).items())))
        cached = self.cache.get(key)
        if cached is _NOT_FOUND:
            raise NotFound()
        if cached is not _MISSING:
            return cached
        if not self.limiter.allow(api):
            self.log_unavailable(api, "rate limit reached")
            raise Unavailable("rate limited")
        try:
            value = self._get_with_retry(api, url, params)
        except NotFound:
            self.cache.set(key, _NOT_FOUND)
            raise
        self.cache.set(key, value)
        return value

    def _get_with_retry(self, api: str, url: str, params: Mapping[str, str] | None) -> Any:
        deadline = self._clock() + 2 * self.timeout
        for attempt in (1, 2):
            try:
                return self._get_once(url, params, deadline)
            except _Retryable as exc:
                if attempt == 2 or self._clock() >= deadline:
                    self.log_unavailable(api, str(exc))
                    raise Unavailable(str(exc)) from None
            except Unavailable as exc:
                self.log_unavailable(api, str(exc))
                raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _get_once(self, url: str, params: Mapping[str, str] | None, deadline: float) -> Any:
        try:
            response = self.session.get(
                url, params=params, timeout=(self.timeout, self.timeout), stream=True
            )
        except requests.Timeout:
            raise Unavailable("timeout") from None
        except requests.ConnectionError:
            raise _Retryable("connection error") from None
        except requests.RequestException:
            raise Unavailable("request error") from None
        with response:
            status = response.status_code
            if status == 404:
                raise NotFound()
            if status >= 500:
                raise _Retryable(f"http {status}")
            if not 200 <= status < 300:
                raise Unavailable(f"http {status}")
            body = self._read(response, deadline)
        try:
            return json.loads(body)
        except ValueError:
            raise Unavailable("not json") from None

    def _read(self, response: requests.Response, deadline: float) -> bytes:
        chunks, size = [], 0
        try:
            for chunk in response.iter_content(chunk_size=65536):
                size += len(chunk)
                if size > self.max_bytes:
                    raise Unavailable("answer too large")
                if self._clock() > deadline:
                    raise Unavailable("too slow")
                chunks.append(chunk)
        except requests.RequestException:
            raise _Retryable("connection broken") from None
        return b"".join(chunks)

    @staticmethod
    def log_unavailable(api: str, reason: str) -> None:
        # The API's name and the kind of failure only: no address, parameter or answer.
        logger.warning("lookup %s unavailable: %s", api, reason)


class _Retryable(Exception):
    """A failure worth one more try (connection error, 5xx)."""
