"""A real HTTP server standing in for the public APIs, for tests: 127.0.0.1 only.

One server (standard library ``ThreadingHTTPServer``, a port chosen by the system) serves
the five APIs, each under its own prefix: ``/entreprises``, ``/geo``, ``/referentiel``,
``/catalogue``, ``/cdtn``, followed by the API's real paths (``/entreprises/search?q=…``,
``/geo/communes?codePostal=…``, ``/referentiel/api/v1/organismes/<siret>`` or
``?uais=…``, ``/catalogue/api/v1/entity/formations?query=…``, ``/cdtn/api/idcc?q=…``).
Out of the box every recorded answer of tests/lookups/fixtures is routed to the value it
records (see ``DEFAULT_ROUTES``); any other value gets the API's "nothing found".

In a test, in the same process::

    from tests.upstream import FakeUpstream, DripBody, Hang, Reply

    with FakeUpstream() as upstream:
        settings.CERFA_LOOKUPS_ENABLED = True
        settings.CERFA_LOOKUP_URLS = upstream.urls
        upstream.route("/geo", Hang(10))          # every geo request: 10 s, then its answer
        upstream.route("/entreprises/search", Reply(503), q="73282932000074")
        ...
        assert upstream.requests[0] == ("/geo/communes", "codePostal=69002&fields=…")
        assert upstream.max_in_flight("/geo") <= 3

or with the pytest fixture ``fake_upstream`` (import it into a conftest.py). For the
service started as a subprocess, pass ``env={**os.environ, **upstream.environ()}``: the
``CERFA_LOOKUP_URL_*`` variables (and ``CERFA_LOOKUPS_ENABLED=true``). By hand:
``python -m tests.upstream`` serves the recorded answers and prints those variables.

Routes: ``route(path, behaviour, **query)``. A request matches when its path is ``path``
or lies under it (``/geo`` covers ``/geo/communes``; ``/x/`` covers only what is under
``/x/``), and its query string has each given parameter with that value. The route added
last wins, so a test's routes come before the defaults. Behaviours:

- ``Fixture(name)``: the recorded answer (status and body) of tests/lookups/fixtures;
- ``Reply(status, json=…, body=…)``: any status and body;
- ``Hang(seconds)``: waits, then answers what the routes below it would answer;
- ``DripHeaders(interval)`` / ``DripBody(interval)``: that answer, its status line and
  headers (or its body) one byte every ``interval`` seconds;
- ``Silent()``: reads the request and never answers;
- ``First(n, behaviour)``: ``behaviour`` for the first ``n`` matching requests only.

Every wait ends as soon as the client goes away or the server stops, so ``stop()`` (the
end of the ``with``) returns promptly even with hanging or dripping requests in flight,
and nothing outlives it: handler threads are daemons, their sockets are shut down, and
the server stops by itself after ``lifetime`` seconds (600 by default) if a test forgets.

``requests`` lists what was received, as (path, query string) pairs; ``max_in_flight()``
is the largest number of requests being answered at once (for one prefix, or all).
"""

from __future__ import annotations

import json
import select
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

FIXTURES = Path(__file__).parent / "lookups" / "fixtures"

APIS = ("entreprises", "geo", "referentiel", "catalogue", "cdtn")

# How often a wait looks whether the client left or the server stops.
_TICK = 0.02


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"

    def head(self) -> bytes:
        try:
            phrase = HTTPStatus(self.status).phrase
        except ValueError:
            phrase = "Status"
        return (
            f"HTTP/1.0 {self.status} {phrase}\r\n"
            f"Content-Type: {self.content_type}\r\n"
            f"Content-Length: {len(self.body)}\r\n"
            "Connection: close\r\n\r\n"
        ).encode("ascii")


class Behaviour:
    """What the server does with a request that matched the route."""

    def serve(self, exchange: _Exchange) -> None:
        exchange.send(exchange.next_answer())

    def answer(self, exchange: _Exchange) -> Answer | None:
        """The answer this route gives, when it simply gives one (else None)."""
        return None


class Fixture(Behaviour):
    def __init__(self, name: str):
        envelope = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
        self.name = name
        self._answer = Answer(
            envelope["status"], json.dumps(envelope["body"], ensure_ascii=False).encode()
        )

    def serve(self, exchange: _Exchange) -> None:
        exchange.send(self._answer)

    def answer(self, exchange: _Exchange) -> Answer:
        return self._answer


class Reply(Behaviour):
    def __init__(self, status: int = 200, *, json: Any = None, body: bytes | str | None = None):
        if body is not None:
            data = body.encode() if isinstance(body, str) else body
            self._answer = Answer(status, data, "text/html; charset=utf-8")
        else:
            payload = {} if json is None else json
            self._answer = Answer(status, _dumps(payload))

    def serve(self, exchange: _Exchange) -> None:
        exchange.send(self._answer)

    def answer(self, exchange: _Exchange) -> Answer:
        return self._answer


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


class Hang(Behaviour):
    def __init__(self, seconds: float):
        self.seconds = seconds

    def serve(self, exchange: _Exchange) -> None:
        if exchange.wait(self.seconds):
            exchange.serve_next()


class DripHeaders(Behaviour):
    def __init__(self, interval: float):
        self.interval = interval

    def serve(self, exchange: _Exchange) -> None:
        answer = exchange.next_answer()
        if exchange.drip(answer.head(), self.interval):
            exchange.write(answer.body)


class DripBody(Behaviour):
    def __init__(self, interval: float):
        self.interval = interval

    def serve(self, exchange: _Exchange) -> None:
        answer = exchange.next_answer()
        exchange.write(answer.head())
        exchange.drip(answer.body, self.interval)


class Silent(Behaviour):
    def serve(self, exchange: _Exchange) -> None:
        exchange.wait(None)


class First(Behaviour):
    def __init__(self, times: int, behaviour: Behaviour):
        self.times = times
        self.behaviour = behaviour
        self._used = 0
        self._lock = threading.Lock()

    def serve(self, exchange: _Exchange) -> None:
        with self._lock:
            mine = self._used < self.times
            self._used += mine
        if mine:
            self.behaviour.serve(exchange)
        else:
            exchange.serve_next()


_EMPTY_UAI = {
    "organismes": [],
    "pagination": {"page": 1, "resultats_par_page": 20, "nombre_de_page": 0, "total": 0},
}

# (path, query, behaviour), general first: the last match wins. What each recorded
# answer is for is written in the fixture itself (``request``, ``_fixture_note``).
DEFAULT_ROUTES: list[tuple[str, dict[str, str], str | Reply]] = [
    # Any other SIRET, postal code, code or IDCC: the API's "nothing found".
    ("/entreprises/search", {}, "entreprises_vide.json"),
    ("/geo/communes", {}, "geo_vide.json"),
    ("/referentiel/api/v1/organismes", {}, Reply(200, json=_EMPTY_UAI)),
    ("/referentiel/api/v1/organismes/", {}, "referentiel_inconnu.json"),  # 404
    ("/catalogue/api/v1/entity/formations", {}, "catalogue_vide.json"),
    ("/cdtn/api/idcc", {}, "cdtn_vide.json"),
    # The recorded values.
    ("/entreprises/search", {"q": "73282932000074"}, "entreprises_siege.json"),
    ("/entreprises/search", {"q": "40123456200171"}, "entreprises_etablissement.json"),
    ("/entreprises/search", {"q": "77834512400219"}, "entreprises_cfa.json"),
    ("/entreprises/search", {"q": "21690123100011"}, "entreprises_commune.json"),
    ("/entreprises/search", {"q": "31415926000178"}, "entreprises_ferme.json"),
    ("/entreprises/search", {"q": "44556677100017"}, "entreprises_non_diffusible.json"),
    ("/geo/communes", {"codePostal": "01300"}, "geo_01300.json"),
    ("/geo/communes", {"codePostal": "69002"}, "geo_69002.json"),
    ("/referentiel/api/v1/organismes/77834512400219", {}, "referentiel_organisme.json"),
    ("/referentiel/api/v1/organismes", {"uais": "0691234S"}, "referentiel_uai.json"),
    *(
        ("/catalogue/api/v1/entity/formations", {"query": json.dumps(query)}, name)
        for query, name in (
            ({"rncp_code": "RNCP35908"}, "catalogue_rncp.json"),
            ({"rncp_code": "RNCP34031"}, "catalogue_inactif.json"),
            ({"rncp_code": "RNCP39063"}, "catalogue_plusieurs_cfd.json"),
            ({"cfd": "32031213"}, "catalogue_cfd.json"),
        )
    ),
    ("/cdtn/api/idcc", {"q": "2216"}, "cdtn_idcc.json"),
]


def _covers(route: str, path: str) -> bool:
    if route in ("", "/") or path == route:
        return True
    return path.startswith(route if route.endswith("/") else route + "/")


class _Exchange:
    """One request being answered."""

    def __init__(self, upstream: FakeUpstream, handler: _Handler, routes: list[Behaviour]):
        self._upstream = upstream
        self._handler = handler
        self._routes = routes

    def serve_next(self) -> None:
        if self._routes:
            self._routes.pop(0).serve(self)
        else:
            self.send(_NO_ROUTE)

    def next_answer(self) -> Answer:
        for behaviour in self._routes:
            answer = behaviour.answer(self)
            if answer is not None:
                return answer
        return _NO_ROUTE

    def write(self, data: bytes) -> None:
        self._handler.wfile.write(data)

    def send(self, answer: Answer) -> None:
        self.write(answer.head() + answer.body)

    def drip(self, data: bytes, interval: float) -> bool:
        for index in range(len(data)):
            self.write(data[index : index + 1])
            if not self.wait(interval):
                return False
        return True

    def wait(self, seconds: float | None) -> bool:
        """True after ``seconds``; False as soon as the client leaves or the server
        stops (``None``: until then)."""
        end = None if seconds is None else time.monotonic() + seconds
        sock = self._handler.connection
        while not self._upstream.stopping.is_set():
            left = _TICK if end is None else min(_TICK, end - time.monotonic())
            if left <= 0:
                return True
            readable, _, _ = select.select([sock], [], [], left)
            if readable:
                try:
                    if sock.recv(1, socket.MSG_PEEK) == b"":
                        return False  # the client closed or shut down its side
                except OSError:
                    return False
                time.sleep(left)  # it sent more than its request: still there
        return False


_NO_ROUTE = Answer(404, _dumps({"message": "aucune route du faux serveur"}))


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"  # one request per connection: nothing stays open
    timeout = 10  # a client that never sends its request holds a thread this long at most

    def setup(self) -> None:
        super().setup()
        self.server.upstream.connection_opened(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.upstream.connection_closed(self.connection)

    def do_GET(self) -> None:
        self.server.upstream.serve(self)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # tests read ``requests``, not the console


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    upstream: FakeUpstream

    def handle_error(self, request, client_address) -> None:
        pass  # a client that left in mid-answer is what these tests are about


class FakeUpstream:
    def __init__(self, *, fixtures: bool = True, lifetime: float = 600, port: int = 0):
        self.stopping = threading.Event()
        self._lock = threading.Condition()
        self._routes: list[tuple[str, dict[str, str], Behaviour]] = []
        self._requests: list[tuple[str, str]] = []
        self._in_flight: dict[str, int] = {}
        self._max_in_flight: dict[str, int] = {}
        self._connections: set[socket.socket] = set()
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.upstream = self
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        if fixtures:
            for path, query, what in DEFAULT_ROUTES:
                self.route(path, Fixture(what) if isinstance(what, str) else what, **query)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-upstream",
            daemon=True,
        )
        self._timer = threading.Timer(lifetime, self.stop)
        self._timer.daemon = True
        self._stopped = False
        self._thread.start()
        self._timer.start()

    # -- configuration --------------------------------------------------------------------

    @property
    def urls(self) -> dict[str, str]:
        """The ``CERFA_LOOKUP_URLS`` pointing here."""
        return {api: f"{self.base_url}/{api}" for api in APIS}

    def environ(self) -> dict[str, str]:
        """The environment of a service subprocess pointed here."""
        env = {f"CERFA_LOOKUP_URL_{api.upper()}": url for api, url in self.urls.items()}
        env["CERFA_LOOKUPS_ENABLED"] = "true"
        return env

    def route(self, path: str, behaviour: Behaviour, **query: str) -> None:
        with self._lock:
            self._routes.append((path, query, behaviour))

    # -- what happened --------------------------------------------------------------------

    @property
    def requests(self) -> list[tuple[str, str]]:
        with self._lock:
            return list(self._requests)

    def requests_to(self, prefix: str) -> list[tuple[str, str]]:
        return [r for r in self.requests if _covers(prefix, r[0])]

    def max_in_flight(self, prefix: str = "/") -> int:
        with self._lock:
            return self._max_in_flight.get(_api_of(prefix), 0)

    def in_flight(self, prefix: str = "/") -> int:
        with self._lock:
            return self._in_flight.get(_api_of(prefix), 0)

    def wait_idle(self, timeout: float) -> bool:
        """Whether every connection was closed within ``timeout`` seconds."""
        end = time.monotonic() + timeout
        with self._lock:
            while self._connections:
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(left)
            return True

    # -- serving --------------------------------------------------------------------------

    def serve(self, handler: _Handler) -> None:
        parts = urlsplit(handler.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        keys = ("/", _api_of(parts.path))
        with self._lock:
            self._requests.append((parts.path, parts.query))
            for key in keys:
                self._in_flight[key] = self._in_flight.get(key, 0) + 1
                self._max_in_flight[key] = max(
                    self._max_in_flight.get(key, 0), self._in_flight[key]
                )
            routes = [
                behaviour
                for path, wanted, behaviour in reversed(self._routes)
                if _covers(path, parts.path)
                and all(query.get(name) == value for name, value in wanted.items())
            ]
        try:
            _Exchange(self, handler, routes).serve_next()
        except OSError:
            pass  # the client went away (its deadline): nothing to answer to
        finally:
            with self._lock:
                for key in keys:
                    self._in_flight[key] -= 1
                self._lock.notify_all()

    def connection_opened(self, sock: socket.socket) -> None:
        with self._lock:
            self._connections.add(sock)

    def connection_closed(self, sock: socket.socket) -> None:
        with self._lock:
            self._connections.discard(sock)
            self._lock.notify_all()

    # -- lifetime -------------------------------------------------------------------------

    def stop(self) -> None:
        """Stops serving and ends every request in flight (within a second or so)."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
            connections = list(self._connections)
        self.stopping.set()
        self._timer.cancel()
        for sock in connections:
            try:
                sock.shutdown(socket.SHUT_RDWR)  # wakes a handler blocked on this client
            except OSError:
                pass
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        self.wait_idle(timeout=5)

    def __enter__(self) -> FakeUpstream:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


def _api_of(path: str) -> str:
    first = path.strip("/").split("/")[0]
    return f"/{first}" if first else "/"


@pytest.fixture
def fake_upstream() -> Iterator[FakeUpstream]:
    with FakeUpstream() as upstream:
        yield upstream


def unreachable_url() -> tuple[str, socket.socket, list[socket.socket]]:
    """An address where connecting hangs: a listening socket whose queue of connections
    waiting to be accepted is full (one, never accepted), so the system drops the next
    connection attempts without answering. Close the returned sockets when done."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    queued = []
    for _ in range(3):
        probe = socket.socket()
        probe.settimeout(0.2)
        try:
            probe.connect(("127.0.0.1", port))
        except OSError:
            probe.close()
            break
        queued.append(probe)
    return f"http://127.0.0.1:{port}", listener, queued


def main() -> None:  # pragma: no cover - for running it by hand
    import argparse

    parser = argparse.ArgumentParser(description="Faux serveur des API publiques (tests).")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--seconds", type=float, default=600, help="arrêt au bout de ce temps")
    options = parser.parse_args()
    with FakeUpstream(port=options.port, lifetime=options.seconds) as upstream:
        for name, value in upstream.environ().items():
            print(f"export {name}={value}", flush=True)
        try:
            upstream.stopping.wait(options.seconds)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":  # pragma: no cover
    main()
