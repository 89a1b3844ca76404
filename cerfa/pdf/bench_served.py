"""``make bench``, the pages: the service as ``make run`` serves it, timed over HTTP.

A real ``manage.py serve`` (uvicorn, production settings, a generated secret key, static
files collected by the production storage: ``tests/server.py``) is started for the run. A
client in this process takes a contract loaded from the example dossier through
« Reprendre un brouillon », as a person would, then times each page over one kept-alive
connection, round after round, every page side by side in each round: the home page, every
step of the contract (GET, and POST of the values it shows), the review page, the PDF. What
is timed is the answer's round trip on this machine's loopback: the server's time plus the
few tens of microseconds the client takes to send and read it.

Throughput (pages per second) is several clients at once, each with its own contract,
asking for the steps in turn for a few seconds; then the same with Redis, one process and
two (``WEB_CONCURRENCY``). The client shares the machine's cores with the server.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import statistics
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CONTRACT = re.compile(r"/contrat/([0-9a-f-]{36})/")


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Browser:
    """One visitor: its cookies, over one kept-alive connection (http.client: the least
    a client can add to the time measured)."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        self.cookies: dict[str, str] = {}

    def send(self, method: str, path: str, body: bytes | None = None, kind: str = "") -> Answer:
        headers = {"Accept": "text/html,application/pdf"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if kind:
            headers["Content-Type"] = kind
        for attempt in (1, 2):
            start = time.perf_counter()
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed a connection left idle past its keep-alive: once more
                # on a new one (never while timing, where no connection is left idle).
                self.connection.close()
                if attempt == 2:
                    raise
                continue
            data = response.read()
            seconds = time.perf_counter() - start
            break
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            if value.strip() in ("", '""') or "max-age=0" in header.lower():
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value.strip()
        return Answer(response.status, response.headers, data, seconds)

    def get(self, path: str) -> Answer:
        return self.send("GET", path)

    def post(self, path: str, fields: list[tuple[str, str]]) -> Answer:
        return self.send(
            "POST", path, urlencode(fields).encode(), "application/x-www-form-urlencoded"
        )

    def upload(self, path: str, token: str, content: bytes) -> Answer:
        boundary = "cerfa-bench-" + secrets.token_hex(8)
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"'
                f"\r\n\r\n{token}\r\n--{boundary}\r\nContent-Disposition: form-data; "
                'name="dossier"; filename="brouillon.json"\r\nContent-Type: application/json'
                "\r\n\r\n"
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.send("POST", path, body, f"multipart/form-data; boundary={boundary}")

    def close(self) -> None:
        self.connection.close()


class WizardForm(HTMLParser):
    """What a browser would post from the step's form (``id="wizard-form"``), as shown."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self._inside = False
        self._select: list | None = None  # [name, selected value, first value]
        self._textarea: list | None = None  # [name, text]
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._inside = a.get("id") == "wizard-form"
            return
        if not self._inside or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((name, a.get("value") or "on"))
            elif kind not in ("submit", "button", "image", "file", "reset"):
                self.fields.append((name, a.get("value") or ""))
        elif tag == "select" and name:
            self._select = [name, None, None]
        elif tag == "option" and self._select is not None:
            value = a.get("value") or ""
            if self._select[2] is None:
                self._select[2] = value
            if "selected" in a:
                self._select[1] = value
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False
        elif tag == "select" and self._select is not None:
            name, chosen, first = self._select
            self.fields.append((name, chosen if chosen is not None else first or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append(tuple(self._textarea))
            self._textarea = None


@dataclass
class Contract:
    """A visitor with a contract loaded from a draft, and what its pages need."""

    browser: Browser
    base: str  # /contrat/<id>/
    steps: list[str] = field(default_factory=list)  # every step but the review, as linked
    forms: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # step → its POST


def resumed(url: str, draft: bytes) -> Contract:
    """« Reprendre un brouillon » with ``draft``, as from the home page's form."""
    browser = Browser(url)
    home = browser.get("/")
    token = TOKEN.search(home.text)
    if home.status != 200 or not token:
        raise RuntimeError(f"page d'accueil inattendue ({home.status})")
    answer = browser.upload("/contrat/reprendre/", token.group(1), draft)
    found = CONTRACT.search(answer.headers.get("Location") or "")
    if answer.status != 302 or not found:
        raise RuntimeError(f"brouillon refusé ({answer.status}) : {answer.text[:200]}")
    contract = Contract(browser, f"/contrat/{found.group(1)}/")
    review = browser.get(contract.base + "recapitulatif/")
    linked = re.findall(re.escape(contract.base) + r'([a-z0-9-]+)/"', review.text)
    for slug in dict.fromkeys(linked):
        if slug == "recapitulatif":
            continue
        page = browser.get(contract.base + slug + "/")
        # A step is a page whose wizard form says it is this step (the erase page is not).
        if page.status == 200 and re.search(
            rf'-current_step" value="{re.escape(slug)}"', page.text
        ):
            contract.steps.append(slug)
            contract.forms[slug] = WizardForm(page.text).fields
    if not contract.steps:
        raise RuntimeError("aucune étape trouvée depuis le récapitulatif")
    return contract


@dataclass
class Timings:
    """Round trips in milliseconds, by page."""

    ms: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, set[int]] = field(default_factory=dict)

    def add(self, label: str, answer: Answer) -> None:
        self.ms.setdefault(label, []).append(answer.seconds * 1000)
        self.statuses.setdefault(label, set()).add(answer.status)

    def median(self, label: str) -> float:
        return statistics.median(self.ms[label])


def page_times(url: str, draft: bytes, rounds: int, warm: int = 2) -> tuple[Timings, Contract]:
    """Every page of one full contract, ``rounds`` times side by side (after ``warm``
    rounds not counted: the first rendering of a template compiles it)."""
    contract = resumed(url, draft)
    browser, base = contract.browser, contract.base
    # The reference: the home page of a visitor with no contract (its session made by its
    # first visit), the cheapest page there is; the home page with a contract is shown too.
    visitor = Browser(url)
    visitor.get("/")
    timings = Timings()
    for round_number in range(warm + rounds):
        done = Timings() if round_number < warm else timings
        done.add("home", visitor.get("/"))
        done.add("home:contract", browser.get("/"))
        for step in contract.steps:
            done.add(f"get:{step}", browser.get(f"{base}{step}/"))
        for step in contract.steps:
            done.add(f"post:{step}", browser.post(f"{base}{step}/", contract.forms[step]))
        for step in contract.steps:
            # The live check of a step as typed (static/js/live.js): checked, not stored.
            checked = [*contract.forms[step], ("cerfa_verification", "1")]
            done.add(f"live:{step}", browser.post(f"{base}{step}/", checked))
        done.add("review", browser.get(base + "recapitulatif/"))
        done.add("pdf", browser.get(base + "cerfa.pdf"))
    visitor.close()
    return timings, contract


def throughput(url: str, draft: bytes, clients: int, seconds: float, home: bool = False) -> float:
    """Step pages per second with ``clients`` visitors asking at once, each for the steps
    of its own full contract in turn (``home``: for the home page, again and again)."""
    contracts = [resumed(url, draft) for _ in range(clients)]
    for contract in contracts:  # every template compiled in every process before timing
        for step in contract.steps:
            contract.browser.get(f"{contract.base}{step}/")
    counts = [0] * clients
    failures = [0] * clients
    start_line = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def visit(index: int) -> None:
        contract = contracts[index]
        start_line.wait()
        n = 0
        while time.perf_counter() < stop_at[0]:
            step = contract.steps[n % len(contract.steps)]
            answer = contract.browser.get("/" if home else f"{contract.base}{step}/")
            if answer.status == 200:
                counts[index] += 1
            else:
                failures[index] += 1
            n += 1

    threads = [threading.Thread(target=visit, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    stop_at[0] = time.perf_counter() + seconds
    begin = time.perf_counter()
    start_line.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - begin
    for contract in contracts:
        contract.browser.close()
    if sum(failures):
        raise RuntimeError(f"{sum(failures)} pages en erreur pendant la mesure de débit")
    return sum(counts) / elapsed


def cpu_seconds(pid: int) -> float:
    """The processor time process ``pid`` has used (user and system), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Served:
    timings: Timings | None = None
    steps: list[str] = field(default_factory=list)
    pages_per_second: float | None = None
    home_per_second: float | None = None
    redis: tuple[float, float] | None = None  # pages/s with one process, with two
    shares: list[float] = field(default_factory=list)  # each of the two processes' CPU share
    notes: list[str] = field(default_factory=list)


def measure(draft: Path, rounds: int, seconds: float, clients: int, with_redis: bool) -> Served:
    """Everything above, each server started for it and stopped after."""
    from tests.server import REDIS_SERVER, start_redis, start_server

    content = draft.read_bytes()
    served = Served()
    # The live checks of one session are limited (a burst, then so many a minute): the
    # bench asks more than a person types, and measures their time, not the limit.
    server = start_server(CERFA_LIVE_CHECKS_BURST="1000000", CERFA_LIVE_CHECKS_PER_MINUTE="1000000")
    try:
        served.timings, contract = page_times(server.url, content, rounds)
        served.steps = contract.steps
        contract.browser.close()
        served.home_per_second = throughput(server.url, content, clients, seconds, home=True)
        served.pages_per_second = throughput(server.url, content, clients, seconds)
    finally:
        server.stop()
    if not with_redis:
        return served
    if not Path(REDIS_SERVER).exists():
        served.notes.append("redis-server absent : débit avec Redis non mesuré")
        return served
    redis = start_redis()
    try:
        rates = []
        for processes in ("1", "2"):
            server = start_server(REDIS_URL=redis.url, WEB_CONCURRENCY=processes)
            try:
                # Twice the clients: each connection stays with the process that took it.
                before = {pid: cpu_seconds(pid) for pid in server.worker_pids()}
                rates.append(throughput(server.url, content, 2 * clients, seconds))
                used = [cpu_seconds(pid) - start for pid, start in before.items()]
                if processes == "2":
                    served.shares = [u / (sum(used) or 1) for u in used]
            finally:
                server.stop()
        served.redis = (rates[0], rates[1])
    finally:
        redis.stop()
    return served
