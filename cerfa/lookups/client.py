"""One small HTTP client for every public API the lookups call.

Plain Python (requests), no Django: ``cerfa/lookups/service.py`` builds the shared client
from the settings. What it guarantees, whatever the API does:

- nothing leaves the server when lookups are disabled;
- **one wall-clock deadline per lookup** (``deadline``, twice ``timeout`` by default), for
  all its requests together (retry, and the CFA's fallback to the Annuaire, included). An
  API that drips its headers or its body one byte at a time, or accepts and never
  answers, is cut off at the deadline: a watchdog thread shuts the request's socket down
  then. Connecting waits at most ``timeout`` and never past the deadline;
- one retry on a connection error or a 5xx, within the same deadline; none on a timeout
  (a slow API stays slow) nor on a 4xx;
- answers (and "not found") are kept in memory for ``cache_seconds``, at most
  ``cache_size`` of them, so that the wizard never asks the same thing twice;
- **at most ``max_in_flight_per_api`` requests in flight per API and ``max_in_flight`` in
  all**; past that a lookup is refused at once, never queued: no one waits behind a slow
  API, and no more than ``max_in_flight`` threads ever wait on one;
- **a circuit breaker per API**: after ``breaker_failures`` failures in a row (timeout,
  connection error, 5xx, an answer that is not usable; a 404 is an answer), every lookup
  of that API is refused at once for ``breaker_seconds``, then one trial request is let
  through, whose success closes the breaker again;
- each API has its own rate limit, below the one it publishes, and one requester (a
  client of the wizard) gets at most half of it; past it the lookup is refused at once.
  Answers from the cache spend nothing;
- an answer that is not JSON, or larger than ``max_bytes``, counts as unavailable;
- logs name the API and what went wrong, never the address asked, the parameters or the
  answer.

Callers get parsed JSON, or one of two exceptions: ``NotFound`` (the API said 404) and
``Unavailable`` (everything else). The lookup functions turn them into a ``LookupResult``.

A lookup is one ``LookupCall`` (``client.call()``): its requests share its deadline, and
their outcome reaches the breakers when it ends, because a lookup module may still find a
JSON answer unusable (``log_unavailable``) after ``get_json`` returned it.
``client.get_json`` is a one-request lookup.

Why a watchdog that shuts the socket down: requests' timeout is per socket operation (a
byte every two seconds never trips a three-second read timeout), and a blocked read
cannot be interrupted from its own thread. Shutting a socket down from another thread
wakes the read at once, and the request's own thread, which was never replaced, unwinds
and closes everything: nothing is left running. The sockets are found through
``DeadlineAdapter``, a requests transport adapter (a documented extension point) whose
urllib3 connection pools use connection classes that report each socket they hold to the
current call's deadline: the TCP socket as soon as it is connected, then the TLS socket
that replaces it. The watchdog thread exists only while a request is in flight.

What the deadline cannot cut: the resolution of the API's host name (the system
resolver's own timeouts apply); a host name with several addresses, each of which may use
the connect timeout (never past the deadline for the first one); and the TLS handshake
itself, during which the TCP socket is already handed to the TLS layer (CPython bounds
the whole handshake by the socket's timeout, ``timeout``, so it ends at most that late).
"""

from __future__ import annotations

import contextvars
import heapq
import itertools
import json
import logging
import socket
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection

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


def requester_share(limit: RateLimit) -> int:
    """What one requester may use of an API's rate limit: half (at least one call), so
    that a single client can never leave the others without lookups."""
    return max(1, limit.calls // 2)


class RateLimiter:
    """A sliding window per API: at most ``calls`` in any ``per_seconds``, and at most
    ``requester_share`` of them for any one requester. The windows of the
    ``max_requesters`` most recent requesters are remembered."""

    def __init__(
        self,
        limits: Mapping[str, RateLimit],
        clock: Callable[[], float],
        max_requesters: int = 10_000,
    ):
        self._limits = dict(limits)
        self._clock = clock
        self._calls: dict[str, deque[float]] = {}
        self._by_requester: OrderedDict[tuple[str, Hashable], deque[float]] = OrderedDict()
        self._max_requesters = max(1, max_requesters)
        self._lock = threading.Lock()

    @staticmethod
    def _trim(calls: deque[float], now: float, limit: RateLimit) -> deque[float]:
        while calls and now - calls[0] >= limit.per_seconds:
            calls.popleft()
        return calls

    def allow(self, api: str, requester: Hashable | None = None) -> bool:
        limit = self._limits.get(api, _FALLBACK_LIMIT)
        now = self._clock()
        with self._lock:
            calls = self._trim(self._calls.setdefault(api, deque()), now, limit)
            if len(calls) >= limit.calls:
                return False
            if requester is not None:
                key = (api, requester)
                mine = self._trim(self._by_requester.pop(key, deque()), now, limit)
                self._by_requester[key] = mine  # the most recently seen, last
                while len(self._by_requester) > self._max_requesters:
                    self._by_requester.popitem(last=False)
                if len(mine) >= requester_share(limit):
                    return False
                mine.append(now)
            calls.append(now)
            return True

    def tracked_requesters(self) -> int:
        return len(self._by_requester)


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

    def delete(self, key: Any) -> None:
        with self._lock:
            self._data.pop(key, None)

    def __contains__(self, key: Any) -> bool:
        return self.get(key) is not _MISSING

    def __len__(self) -> int:
        return len(self._data)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


class InFlight:
    """Counts the requests waiting on each API; ``acquire`` refuses, never waits.

    One requester (a client of the wizard) has at most ``per_requester`` of them on an API
    at a time: against a slow API, a client within its rate could otherwise keep every
    place busy and leave the others « indisponible ».
    """

    def __init__(self, per_api: int, total: int, per_requester: int = 1):
        self.per_api = max(1, per_api)
        self.total = max(1, total)
        self.per_requester = max(1, per_requester)
        self._counts: dict[str, int] = {}
        self._mine: dict[tuple[str, Hashable], int] = {}
        self._all = 0
        self._lock = threading.Lock()

    def acquire(self, api: str, requester: Hashable | None = None) -> bool:
        with self._lock:
            if self._all >= self.total or self._counts.get(api, 0) >= self.per_api:
                return False
            if requester is not None:
                if self._mine.get((api, requester), 0) >= self.per_requester:
                    return False
                self._mine[(api, requester)] = self._mine.get((api, requester), 0) + 1
            self._counts[api] = self._counts.get(api, 0) + 1
            self._all += 1
            return True

    def release(self, api: str, requester: Hashable | None = None) -> None:
        with self._lock:
            self._counts[api] -= 1
            self._all -= 1
            if requester is not None:
                left = self._mine.pop((api, requester)) - 1
                if left:
                    self._mine[(api, requester)] = left

    def count(self, api: str | None = None) -> int:
        with self._lock:
            return self._all if api is None else self._counts.get(api, 0)


@dataclass
class Permit:
    """The breaker's leave for one request; ``trial`` when it is the one that tests a
    breaker that was open."""

    trial: bool = False


class CircuitBreaker:
    """Closed (requests go), open (refused at once for ``seconds``), then half-open: one
    trial request goes, the others are refused until it ends; its success closes the
    breaker, its failure opens it again. Transitions are logged with the API's name."""

    CLOSED, OPEN, HALF_OPEN = "closed", "open", "half-open"

    def __init__(self, api: str, failures: int, seconds: float, clock: Callable[[], float]):
        self.api = api
        self.failures = max(1, failures)
        self.seconds = seconds
        self._clock = clock
        self.state = self.CLOSED
        self._in_a_row = 0
        self._opened_at = 0.0
        self._trial_running = False
        self._lock = threading.Lock()

    def _set(self, state: str) -> None:
        if state != self.state:
            self.state = state
            # The API's name and the state only: nothing about what was looked up.
            level = logging.INFO if state == self.CLOSED else logging.WARNING
            logger.log(level, "lookup %s circuit breaker %s", self.api, state)

    def _open(self) -> None:
        self._opened_at = self._clock()
        self._set(self.OPEN)

    def admit(self) -> Permit | None:
        with self._lock:
            if self.state == self.CLOSED:
                return Permit()
            if self.state == self.OPEN:
                if self._clock() - self._opened_at < self.seconds:
                    return None
                self._set(self.HALF_OPEN)
            if self._trial_running:
                return None
            self._trial_running = True
            return Permit(trial=True)

    def succeeded(self, permit: Permit) -> None:
        with self._lock:
            if permit.trial:
                self._trial_running = False
            self._in_a_row = 0
            self._set(self.CLOSED)

    def failed(self, permit: Permit) -> None:
        with self._lock:
            if permit.trial:
                self._trial_running = False
                self._open()
            elif self.state == self.CLOSED:
                self._in_a_row += 1
                if self._in_a_row >= self.failures:
                    self._open()
            # A request let through before the breaker opened, failing late: already open.

    def cancel(self, permit: Permit) -> None:
        """The permit was not used (the request was refused here): no verdict."""
        with self._lock:
            if permit.trial:
                self._trial_running = False


# -- the deadline ------------------------------------------------------------------------


def _shutdown(sock: socket.socket) -> None:
    # socket.socket's own shutdown, even for a TLS socket: SSLSocket.shutdown would also
    # drop its TLS state under the feet of the thread reading it. Either way the read
    # blocked in the other thread returns at once.
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass  # already closed, or not connected yet


class Deadline:
    """The end of one lookup. ``remaining()`` is read on the client's clock; the watchdog
    shuts down the sockets attached to it when that time has passed on the wall clock."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self.at = clock() + seconds
        self.wall_at = time.monotonic() + seconds
        self.expired = False  # set by the watchdog
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def remaining(self) -> float:
        return self.at - self._clock()

    def passed(self) -> bool:
        return self.expired or self.remaining() <= 0

    def attach(self, sock: socket.socket) -> None:
        with self._lock:
            if self.expired:
                _shutdown(sock)  # opened after the deadline: it goes no further
            elif not any(s is sock for s in self._sockets):
                self._sockets.append(sock)

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets, self._sockets = self._sockets, []
            for sock in sockets:
                _shutdown(sock)

    def release(self) -> None:
        """The request is over: its connection may serve another lookup now. Called
        before the response is closed, so that the watchdog never shuts down a socket
        whose number the system may already have given to another."""
        with self._lock:
            self._sockets = []


class _Watchdog:
    """One thread for the whole process, alive only while deadlines are armed: it expires
    each deadline at its time."""

    def __init__(self):
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, Deadline]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None

    def arm(self, deadline: Deadline) -> None:
        with self._cond:
            heapq.heappush(self._heap, (deadline.wall_at, next(self._order), deadline))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="cerfa-lookup-watchdog", daemon=True
                )
                self._thread.start()
            self._cond.notify()

    def disarm(self, deadline: Deadline) -> None:
        with self._cond:
            kept = [entry for entry in self._heap if entry[2] is not deadline]
            if len(kept) != len(self._heap):
                heapq.heapify(kept)
                self._heap = kept
                self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while True:
                    if not self._heap:
                        self._thread = None
                        return
                    wait = self._heap[0][0] - time.monotonic()
                    if wait <= 0:
                        due = heapq.heappop(self._heap)[2]
                        break
                    self._cond.wait(wait)
            due.expire()

    def running(self) -> bool:
        with self._cond:
            return self._thread is not None


WATCHDOG = _Watchdog()

# The deadline of the request being made in this thread (or task), for the connections.
_current_deadline: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar(
    "cerfa_lookup_deadline", default=None
)


class _DeadlineSocketMixin:
    """Attaches every socket the connection holds to the current request's deadline.

    ``sock`` is the public attribute in which http.client (and urllib3 after it) keeps
    the connection's socket: the TCP socket is stored there before the TLS handshake,
    then the TLS socket. A connection taken again from the pool attaches its socket when
    a new request is sent on it. Setting ``sock`` to None detaches nothing: http.client
    does so as soon as the headers say the server will close, while the response goes on
    reading the body from that very socket. The request detaches them all when it ends.
    """

    @property
    def sock(self):
        return self.__dict__.get("_deadline_sock")

    @sock.setter
    def sock(self, value):
        self.__dict__["_deadline_sock"] = value
        deadline = _current_deadline.get()
        if deadline is not None and value is not None:
            deadline.attach(value)

    def request(self, *args, **kwargs):
        deadline = _current_deadline.get()
        if deadline is not None and self.sock is not None:
            deadline.attach(self.sock)
        return super().request(*args, **kwargs)


class _DeadlineHTTPConnection(_DeadlineSocketMixin, HTTPConnection):
    pass


class _DeadlineHTTPSConnection(_DeadlineSocketMixin, HTTPSConnection):
    pass


class _DeadlineHTTPConnectionPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _DeadlineHTTPConnection


class _DeadlineHTTPSConnectionPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _DeadlineHTTPSConnection


class DeadlineAdapter(HTTPAdapter):
    """requests' transport adapter, with connection pools whose sockets the deadline of
    the current lookup can shut down."""

    POOLS = {"http": _DeadlineHTTPConnectionPool, "https": _DeadlineHTTPSConnectionPool}

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(self.POOLS)

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if isinstance(manager, urllib3.ProxyManager):  # a SOCKS proxy has its own classes
            manager.pool_classes_by_scheme = dict(self.POOLS)
        return manager


# -- the client --------------------------------------------------------------------------


@dataclass
class _Verdict:
    breaker: CircuitBreaker
    permit: Permit
    ok: bool
    cache_key: Any = None


class LookupCall:
    """One lookup: its requests share one deadline, at most ``seconds`` from now (never
    more than the client's ``deadline``). Use it as a context manager, or ``close()`` it:
    that is when the outcome of its requests reaches the breakers."""

    def __init__(
        self, client: LookupClient, seconds: float | None = None, requester: Hashable = None
    ):
        self._client = client
        limit = client.deadline if seconds is None else min(seconds, client.deadline)
        self.deadline = Deadline(limit, client.clock)
        self.requester = requester
        self._verdicts: list[_Verdict] = []

    def __enter__(self) -> LookupCall:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def get_json(self, api: str, url: str, params: Mapping[str, str] | None = None) -> Any:
        """The parsed JSON answer of ``GET url?params``; raises ``NotFound`` on a 404 and
        ``Unavailable`` on anything else that is not a JSON answer in time."""
        client = self._client
        if not client.enabled:
            raise Unavailable("lookups disabled")
        key = (url, tuple(sorted((params or {}).items())))
        cached = client.cache.get(key)
        if cached is _NOT_FOUND:
            raise NotFound()
        if cached is not _MISSING:
            return cached
        if self.deadline.passed():
            raise client.refuse(api, "too slow")
        breaker = client.breaker(api)
        permit = breaker.admit()
        if permit is None:
            raise client.refuse(api, "circuit open")
        if not client.in_flight.acquire(api, self.requester):
            breaker.cancel(permit)
            raise client.refuse(api, "too many lookups in flight")
        try:
            if not client.limiter.allow(api, self.requester):
                breaker.cancel(permit)
                raise client.refuse(api, "rate limited")
            try:
                value = client.fetch(api, url, params, self.deadline)
            except NotFound:
                self._verdicts.append(_Verdict(breaker, permit, ok=True))
                client.cache.set(key, _NOT_FOUND)
                raise
            except Unavailable:
                self._verdicts.append(_Verdict(breaker, permit, ok=False))
                raise
            except BaseException:
                breaker.cancel(permit)
                raise
        finally:
            client.in_flight.release(api, self.requester)
        self._verdicts.append(_Verdict(breaker, permit, ok=True, cache_key=key))
        client.cache.set(key, value)
        return value

    def log_unavailable(self, api: str, reason: str) -> None:
        """The lookup module found the last answer of ``api`` unusable: logged, counted
        as a failure by the breaker, and not kept in the cache."""
        self._client.log_unavailable(api, reason)
        for verdict in reversed(self._verdicts):
            if verdict.breaker.api == api:
                if verdict.ok and verdict.cache_key is not None:
                    verdict.ok = False
                    self._client.cache.delete(verdict.cache_key)
                break

    def close(self) -> None:
        verdicts, self._verdicts = self._verdicts, []
        for verdict in verdicts:
            if verdict.ok:
                verdict.breaker.succeeded(verdict.permit)
            else:
                verdict.breaker.failed(verdict.permit)


class LookupClient:
    def __init__(
        self,
        *,
        enabled: bool = True,
        timeout: float = 3.0,
        deadline: float | None = None,
        cache_seconds: float = 600,
        cache_size: int = 1000,
        rate_limits: Mapping[str, RateLimit] = DEFAULT_RATE_LIMITS,
        max_in_flight_per_api: int = 3,
        max_in_flight: int = 6,
        breaker_failures: int = 5,
        breaker_seconds: float = 30,
        max_requesters: int = 10_000,
        max_bytes: int = 2_000_000,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.enabled = enabled
        self.timeout = timeout
        self.deadline = 2 * timeout if deadline is None else deadline
        self.max_bytes = max_bytes
        self.clock = clock
        self.cache = TTLCache(cache_size, cache_seconds, clock)
        self.limiter = RateLimiter(rate_limits, clock, max_requesters)
        self.in_flight = InFlight(max_in_flight_per_api, max_in_flight)
        self._breaker_settings = (breaker_failures, breaker_seconds)
        self._breakers: dict[str, CircuitBreaker] = {}
        self._breakers_lock = threading.Lock()
        self.session = requests.Session()
        # As many pooled connections per host as requests may be in flight: none is ever
        # opened only to be thrown away.
        adapter = DeadlineAdapter(pool_maxsize=self.in_flight.total, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update({"Accept": "application/json", "User-Agent": USER_AGENT})

    def call(self, seconds: float | None = None, requester: Hashable = None) -> LookupCall:
        """A new lookup (see ``LookupCall``)."""
        return LookupCall(self, seconds, requester)

    def get_json(self, api: str, url: str, params: Mapping[str, str] | None = None) -> Any:
        """One request as a whole lookup (its own deadline)."""
        with self.call() as call:
            return call.get_json(api, url, params)

    def breaker(self, api: str) -> CircuitBreaker:
        with self._breakers_lock:
            if api not in self._breakers:
                failures, seconds = self._breaker_settings
                self._breakers[api] = CircuitBreaker(api, failures, seconds, self.clock)
            return self._breakers[api]

    def close(self) -> None:
        self.session.close()

    def refuse(self, api: str, reason: str) -> Unavailable:
        self.log_unavailable(api, reason)
        return Unavailable(reason)

    def fetch(
        self, api: str, url: str, params: Mapping[str, str] | None, deadline: Deadline
    ) -> Any:
        for attempt in (1, 2):
            try:
                return self._get_once(url, params, deadline)
            except _Retryable as exc:
                if attempt == 2 or deadline.passed():
                    self.log_unavailable(api, str(exc))
                    raise Unavailable(str(exc)) from None
            except Unavailable as exc:
                self.log_unavailable(api, str(exc))
                raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _get_once(self, url: str, params: Mapping[str, str] | None, deadline: Deadline) -> Any:
        remaining = deadline.remaining()
        if remaining <= 0:
            raise Unavailable("too slow")
        wait = min(self.timeout, remaining)
        token = _current_deadline.set(deadline)
        WATCHDOG.arm(deadline)
        try:
            value = self._exchange(url, params, deadline, wait)
        except (_Retryable, Unavailable):
            if deadline.expired:  # cut off by the watchdog, whatever the error looked like
                raise Unavailable("too slow") from None
            raise
        finally:
            WATCHDOG.disarm(deadline)
            deadline.release()
            _current_deadline.reset(token)
        if deadline.expired:
            raise Unavailable("too slow")  # the answer may have been cut short
        return value

    def _exchange(
        self, url: str, params: Mapping[str, str] | None, deadline: Deadline, wait: float
    ) -> Any:
        try:
            response = self.session.get(url, params=params, timeout=(wait, wait), stream=True)
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
            try:
                body = self._read(response, deadline)
            finally:
                deadline.release()
        try:
            return json.loads(body)
        except ValueError:
            raise Unavailable("not json") from None

    def _read(self, response: requests.Response, deadline: Deadline) -> bytes:
        chunks, size = [], 0
        try:
            for chunk in response.iter_content(chunk_size=65536):
                size += len(chunk)
                if size > self.max_bytes:
                    raise Unavailable("answer too large")
                if deadline.passed():
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
