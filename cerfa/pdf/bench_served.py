"""``make bench``, the pages: the service as ``make run`` serves it, timed over HTTP.

A real ``manage.py serve`` (uvicorn, production settings, a generated secret key, static
files collected by the production storage: ``tests/server.py``) is started for the run. A
client in this process takes a contract loaded from the example dossier through
« Reprendre un brouillon », as a person would, then times each page over one kept-alive
connection, round after round, every page side by side in each round: the home page, every
step of the contract (GET, and POST of the values it shows), the review page, the PDF. What
is timed is the answer's round trip on this machine's loopback: the server's time plus the
few tens of microseconds the client takes to send and read it.

Throughput (pages per second) is Debian's ``wrk`` (C, event-driven, ``wrk/pages.lua``):
``CONNECTIONS`` kept-alive connections at once, each a visitor with its own contract
asking for its steps in turn, then for the home page the same way; with one process, then
with Redis and one process and two (``WEB_CONCURRENCY``). Beside each rate: the servers'
processor time per page, each process's share of it (read from /proc), and what wrk and
redis-server took. Without wrk, threads of this process are the clients (said in the
output): they take the server's cores and measure less than it can do.

    python -m cerfa.pdf.bench_served [--seconds 5] [--clients 16] [--sans-redis]
"""

from __future__ import annotations

import http.client
import json
import os
import re
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
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


def resumed(url: str, draft: bytes, steps: list[str] | None = None) -> Contract:
    """« Reprendre un brouillon » with ``draft``, as from the home page's form; its steps
    found from the review page and each step's form read, unless ``steps`` are given
    (another contract of the same draft: the same steps)."""
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
    if steps is not None:
        contract.steps = list(steps)
        return contract
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


# -- throughput ---------------------------------------------------------------------------

# The load generator: Debian's wrk (C, event-driven; a few percent of a core where a
# Python client would take half the machine's). Without it, clients in this process.
WRK_SCRIPT = Path(__file__).with_name("wrk") / "pages.lua"
# Connections at once, each a visitor with its own contract: enough for two processes to
# share them (each kept-alive connection stays with the process that accepted it).
CONNECTIONS = 16
WARM_SECONDS = 1  # every template compiled, every process warm, before timing


def wrk_program() -> str | None:
    return shutil.which("wrk")


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def wrk_plan(contracts: list[Contract], home: bool = False) -> str:
    """What pages.lua reads: one visitor a line, its Cookie header, a tab, the paths it
    asks for in turn (``home``: the home page only, with the same cookie)."""
    lines = []
    for contract in contracts:
        paths = ["/"] if home else [f"{contract.base}{step}/" for step in contract.steps]
        cookie = cookie_header(contract.browser.cookies)
        if re.search(r"[\t\n\r]", cookie) or any(re.search(r"\s", p) for p in paths):
            raise ValueError(f"cookie ou chemin inattendu pour wrk : {cookie!r} {paths!r}")
        lines.append(f"{cookie}\t{' '.join(paths)}")
    return "\n".join(lines) + "\n"


def wrk_command(url: str, plan: Path, connections: int, seconds: float) -> list[str]:
    # One thread per connection: the connection then has the Lua state of its own, so
    # its own visitor (see pages.lua).
    return [
        wrk_program() or "wrk",
        "--threads", str(connections),
        "--connections", str(connections),
        "--duration", f"{max(1, round(seconds))}s",
        "--timeout", "60s",
        "--script", str(WRK_SCRIPT),
        url.rstrip("/") + "/",
        "--", str(plan),
    ]  # fmt: skip


@dataclass
class WrkResult:
    requests: int
    seconds: float
    failures: int  # answers other than 200
    statuses: str  # the first few of them
    errors: dict[str, int]  # wrk's socket errors: connect, read, write, timeout
    p50_ms: float
    p99_ms: float


def parse_wrk(output: str) -> WrkResult:
    """The line pages.lua's ``done`` prints, from wrk's output."""
    found = re.search(r"^cerfa-wrk (\{.*\})\s*$", output, re.MULTILINE)
    if not found:
        raise RuntimeError(f"wrk n'a pas donné son résultat : {output.strip()[-500:]}")
    data = json.loads(found.group(1))
    return WrkResult(
        requests=data["requests"],
        seconds=data["seconds"],
        failures=data["failures"],
        statuses=data["statuses"].strip(),
        errors={k: data[k] for k in ("connect", "read", "write", "timeout")},
        p50_ms=data["p50_ms"],
        p99_ms=data["p99_ms"],
    )


def cpu_seconds(pid: int) -> float:
    """The processor time process ``pid`` has used (user and system), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_seconds() -> float:
    """The processor time every program on the machine has used, all cores, /proc/stat."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(
        int, Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def connections_by_process(pids: list[int], port: int) -> list[int]:
    """How many established connections to ``port`` each process holds, from /proc."""
    established = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            parts = line.split()
            if parts[3] == "01" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                established.add(parts[9])  # the socket's inode
    counts = []
    for pid in pids:
        held = 0
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:  # closed meanwhile
                continue
            held += target.startswith("socket:[") and target[8:-1] in established
        counts.append(held)
    return counts


@dataclass
class Load:
    """One measurement of throughput, and the processor time each party used meanwhile."""

    pages_per_second: float
    requests: int
    seconds: float  # wall time of the measurement
    generator: str  # "wrk" or "python"
    client_cpu: float  # seconds the load generator used
    server_cpu: list[float]  # seconds each serving process used
    other_cpu: dict[str, float] = field(default_factory=dict)  # e.g. redis-server
    machine_cpu: float = 0.0  # seconds every program on the machine used meanwhile
    connections: list[int] = field(default_factory=list)  # each serving process's, midway
    p50_ms: float | None = None
    p99_ms: float | None = None

    def shares(self) -> list[float]:
        """Each serving process's part of the servers' processor time."""
        total = sum(self.server_cpu) or 1.0
        return [used / total for used in self.server_cpu]

    def cores(self, seconds: float) -> float:
        """``seconds`` of processor time over the measurement, in cores."""
        return seconds / self.seconds

    @property
    def cpu_ms_per_page(self) -> float:
        """The servers' processor time per page served."""
        return sum(self.server_cpu) / (self.requests or 1) * 1000


def _cpu(pids: dict[str, int]) -> dict[str, float]:
    return {name: cpu_seconds(pid) for name, pid in pids.items()}


def wrk_load(url: str, plan: str, seconds: float, connections: int, pids: dict[str, int]) -> Load:
    """``connections`` wrk connections for ``seconds`` (after a warm-up not counted)."""
    serving = [pid for name, pid in pids.items() if name.startswith("serveur")]
    port = urlsplit(url).port
    with tempfile.TemporaryDirectory(prefix="cerfa-wrk-") as folder:
        plan_path = Path(folder) / "plan.txt"
        plan_path.write_text(plan, encoding="utf-8")
        for duration in (WARM_SECONDS, seconds):
            command = wrk_command(url, plan_path, connections, duration)
            before, children = _cpu(pids), resource.getrusage(resource.RUSAGE_CHILDREN)
            machine, start = machine_seconds(), time.perf_counter()
            process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            time.sleep(duration / 2)
            held = connections_by_process(serving, port)
            out, err = process.communicate(timeout=duration + 120)
            elapsed = time.perf_counter() - start
            after, children_after = _cpu(pids), resource.getrusage(resource.RUSAGE_CHILDREN)
            machine = machine_seconds() - machine
            if process.returncode != 0:
                raise RuntimeError(f"wrk : {(err or out).strip()[-500:]}")
            result = parse_wrk(out)
            if result.failures or any(result.errors.values()):
                raise RuntimeError(
                    f"{result.failures} pages en erreur ({result.statuses}), erreurs de "
                    f"connexion {result.errors}, pendant la mesure de débit"
                )
    used = {name: after[name] - before[name] for name in pids}
    client = (children_after.ru_utime + children_after.ru_stime) - (
        children.ru_utime + children.ru_stime
    )
    return Load(
        pages_per_second=result.requests / result.seconds,
        requests=result.requests,
        seconds=elapsed,
        generator="wrk",
        client_cpu=client,
        server_cpu=[used[name] for name in pids if name.startswith("serveur")],
        other_cpu={name: used[name] for name in pids if not name.startswith("serveur")},
        machine_cpu=machine,
        connections=held,
        p50_ms=result.p50_ms,
        p99_ms=result.p99_ms,
    )


def python_load(
    contracts: list[Contract], seconds: float, home: bool, pids: dict[str, int]
) -> Load:
    """The fallback without wrk: a thread in this process per contract, each over its own
    kept-alive connection. They share the cores (and this process's interpreter lock)
    with the server: the figure is below what the server can do."""
    for contract in contracts:  # every template compiled before timing
        for step in contract.steps:
            contract.browser.get(f"{contract.base}{step}/")
    clients = len(contracts)
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
    before, client, machine = _cpu(pids), time.process_time(), machine_seconds()
    stop_at[0] = time.perf_counter() + seconds
    begin = time.perf_counter()
    start_line.wait()
    time.sleep(seconds / 2)
    serving = [pid for name, pid in pids.items() if name.startswith("serveur")]
    held = connections_by_process(serving, contracts[0].browser.connection.port)
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - begin
    after, client = _cpu(pids), time.process_time() - client
    machine = machine_seconds() - machine
    if sum(failures):
        raise RuntimeError(f"{sum(failures)} pages en erreur pendant la mesure de débit")
    used = {name: after[name] - before[name] for name in pids}
    return Load(
        pages_per_second=sum(counts) / elapsed,
        requests=sum(counts),
        seconds=elapsed,
        generator="python",
        client_cpu=client,
        server_cpu=[used[name] for name in pids if name.startswith("serveur")],
        other_cpu={name: used[name] for name in pids if not name.startswith("serveur")},
        machine_cpu=machine,
        connections=held,
    )


def load(
    url: str,
    contracts: list[Contract],
    seconds: float,
    home: bool,
    pids: dict[str, int],
    use_wrk: bool,
) -> Load:
    """Throughput of the step pages (``home``: of the home page), by wrk when there is one."""
    if use_wrk:
        return wrk_load(url, wrk_plan(contracts, home), seconds, len(contracts), pids)
    return python_load(contracts, seconds, home, pids)


@dataclass
class Rates:
    """The home page's throughput and the step pages', measured the same way one after
    the other on one server."""

    processes: int
    home: Load
    steps: Load


@dataclass
class Served:
    timings: Timings | None = None
    steps: list[str] = field(default_factory=list)
    generator: str = ""  # "wrk" or "python"
    connections: int = 0
    one: Rates | None = None  # one process, sessions in memory
    redis: list[Rates] = field(default_factory=list)  # with Redis: one process, then two
    load_average: list[tuple[float, float, float]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def serving_pids(server) -> dict[str, int]:
    return {f"serveur {i + 1}": pid for i, pid in enumerate(server.worker_pids())}


def rates(server, content: bytes, seconds: float, connections: int, use_wrk: bool, **others):
    """The home page's and the steps' throughput on ``server``, one contract a connection."""
    first = resumed(server.url, content)
    contracts = [first] + [
        resumed(server.url, content, first.steps) for _ in range(connections - 1)
    ]
    for contract in contracts:
        contract.browser.close()
    pids = {**serving_pids(server), **others}
    try:
        home = load(server.url, contracts, seconds, True, pids, use_wrk)
        steps = load(server.url, contracts, seconds, False, pids, use_wrk)
    finally:
        for contract in contracts:
            contract.browser.close()
    return Rates(len(serving_pids(server)), home, steps)


# The bench's visitors all come from this machine's address, and ask more than a person
# types: the limits per address (new sessions and contracts, a burst then so many a
# minute) and per session (live checks) are lifted, so that the bench measures the pages'
# time and not the limits.
UNLIMITED = {
    name: "1000000"
    for name in (
        "CERFA_LIVE_CHECKS_BURST",
        "CERFA_LIVE_CHECKS_PER_MINUTE",
        "CERFA_NEW_SESSIONS_BURST",
        "CERFA_NEW_SESSIONS_PER_MINUTE",
        "CERFA_NEW_CONTRACTS_BURST",
        "CERFA_NEW_CONTRACTS_PER_MINUTE",
    )
}


def measure(draft: Path, rounds: int, seconds: float, connections: int, with_redis: bool) -> Served:
    """Everything above, each server started for it and stopped after."""
    from tests.server import REDIS_SERVER, start_redis, start_server

    content = draft.read_bytes()
    use_wrk = wrk_program() is not None
    served = Served(generator="wrk" if use_wrk else "python", connections=connections)
    served.load_average.append(os.getloadavg())
    server = start_server(**UNLIMITED)
    try:
        served.timings, contract = page_times(server.url, content, rounds)
        served.steps = contract.steps
        contract.browser.close()
        served.one = rates(server, content, seconds, connections, use_wrk)
    finally:
        server.stop()
    if with_redis and not Path(REDIS_SERVER).exists():
        served.notes.append("redis-server absent : débit avec Redis non mesuré")
    elif with_redis:
        redis = start_redis()
        try:
            # The same load per process: ``connections`` visitors for one, twice as many
            # for two (fewer leave one of the two waiting for work half of the time: the
            # kernel gives each new connection to either socket, and it stays there).
            for processes in (1, 2):
                server = start_server(
                    REDIS_URL=redis.url, WEB_CONCURRENCY=str(processes), **UNLIMITED
                )
                try:
                    served.redis.append(
                        rates(
                            server,
                            content,
                            seconds,
                            connections * processes,
                            use_wrk,
                            redis=redis.process.pid,
                        )
                    )
                finally:
                    server.stop()
        finally:
            redis.stop()
    served.load_average.append(os.getloadavg())
    return served


GENERATORS = {
    "wrk": "wrk (programme C, hors de ce processus ; son processeur plus bas)",
    "python": "clients Python dans ce processus, wrk absent (apt-get install wrk) : ils "
    "prennent au serveur du processeur, le débit mesuré est en dessous du sien",
}


def rate_rows(served: Served) -> list:
    """The throughput rows of ``make bench``: each rate beside the home page's, measured
    the same way in the same run, with the processor time of each party."""
    from cerfa.pdf.bench import PAGES_PER_SECOND, TWO_PROCESSES, Row

    def cpu(load: Load) -> str:
        return f"{load.cpu_ms_per_page:.1f} ms de processeur par page"

    def split(load: Load) -> str:
        shares = " / ".join(f"{share:.0%}" for share in load.shares())
        return shares + f" (connexions {' / '.join(map(str, load.connections))})"

    def taken(one: Load, two: Load) -> str:
        return (
            f"{one.cpu_ms_per_page:.1f} / {two.cpu_ms_per_page:.1f} ms, "
            f"{one.cores(sum(one.server_cpu)):.2f} / {two.cores(sum(two.server_cpu)):.2f} cœur"
            f" (autres programmes {one.cores(others(one)):.2f} / {two.cores(others(two)):.2f})"
        )

    def per_core(load: Load) -> float:
        return load.pages_per_second / (load.cores(sum(load.server_cpu)) or 1.0)

    def others(load: Load) -> float:
        ours = sum(load.server_cpu) + sum(load.other_cpu.values()) + load.client_cpu
        return max(0.0, load.machine_cpu - ours)

    one = served.one
    rows = [
        Row(
            f"Générateur de charge ({served.connections} connexions, un contrat chacune)",
            GENERATORS[served.generator],
        ),
        Row(
            "Charge de la machine (moyenne sur 1 min, début / fin de la mesure)",
            " / ".join(f"{load[0]:.1f}" for load in served.load_average)
            + f" pour {os.cpu_count()} cœurs",
        ),
        Row(
            "Étapes par seconde, un processus, contrat complet",
            f"{one.steps.pages_per_second:.0f} pages/s ({cpu(one.steps)}, "
            f"serveur sur {one.steps.cores(sum(one.steps.server_cpu)):.2f} cœur)",
            f"{one.steps.pages_per_second / one.home.pages_per_second:.2f}× celui de "
            f"l'accueil ({one.home.pages_per_second:.0f} pages/s, {cpu(one.home)})",
            f"≥ {PAGES_PER_SECOND:.0f} pages/s",
            one.steps.pages_per_second >= PAGES_PER_SECOND,
        ),
        Row(
            "Processeur pris par le générateur de charge (étapes, accueil)",
            f"{one.steps.cores(one.steps.client_cpu):.0%} / "
            f"{one.home.cores(one.home.client_cpu):.0%} d'un cœur ; pendant les étapes, "
            f"d'autres programmes ont pris {one.steps.cores(others(one.steps)):.2f} cœur",
        ),
    ]
    if len(served.redis) == 2:
        single, double = served.redis
        steps = double.steps.pages_per_second / single.steps.pages_per_second
        home = double.home.pages_per_second / single.home.pages_per_second
        rows += [
            Row(
                f"Avec Redis, étapes par seconde, deux processus contre un "
                f"({2 * served.connections} connexions contre {served.connections})",
                f"{double.steps.pages_per_second:.0f} contre "
                f"{single.steps.pages_per_second:.0f} pages/s",
                f"{steps:.2f}× (l'accueil : {double.home.pages_per_second:.0f} contre "
                f"{single.home.pages_per_second:.0f} pages/s, {home:.2f}×)",
                f"≥ {TWO_PROCESSES}× sur deux cœurs",
                steps >= TWO_PROCESSES,
            ),
            Row(
                "Avec Redis, processeur par page et cœurs pris, un processus / deux",
                f"étapes {taken(single.steps, double.steps)} ; "
                f"accueil {taken(single.home, double.home)}",
            ),
            Row(
                # Equal: the throughput follows the cores the kernel gave the servers, and
                # the ratio above is what a machine shared with other programs leaves.
                "Avec Redis, débit par cœur pris, deux processus contre un (étapes ; accueil)",
                f"{per_core(double.steps) / per_core(single.steps):.2f}× ; "
                f"{per_core(double.home) / per_core(single.home):.2f}×",
            ),
            Row(
                "Part du processeur de chacun des deux processus (étapes ; accueil)",
                f"{split(double.steps)} ; {split(double.home)}",
            ),
            Row(
                "Processeur pendant les étapes à deux processus",
                f"serveurs {double.steps.cores(sum(double.steps.server_cpu)):.2f} cœur, "
                + ", ".join(
                    f"{name}-server {double.steps.cores(used):.0%}"
                    for name, used in double.steps.other_cpu.items()
                )
                + f", générateur {double.steps.cores(double.steps.client_cpu):.0%} ; "
                f"la machine : {double.steps.cores(double.steps.machine_cpu):.2f} cœur "
                f"occupé sur {os.cpu_count()}, dont "
                f"{double.steps.cores(others(double.steps)):.2f} par d'autres programmes",
            ),
        ]
    rows.extend(Row(note, "") for note in served.notes)
    return rows


def main(argv: list[str] | None = None) -> int:
    """Only the pages of ``make bench`` (the rest: ``python -m cerfa.pdf.bench``)."""
    import argparse

    from cerfa.pdf import bench

    parser = argparse.ArgumentParser(description="make bench, les pages servies seulement")
    parser.add_argument("--rounds", type=int, default=20, help="tours de pages")
    parser.add_argument("--seconds", type=float, default=5.0, help="durée de chaque débit")
    parser.add_argument(
        "--clients", type=int, default=CONNECTIONS, help="connexions, un contrat chacune"
    )
    parser.add_argument("--sans-redis", action="store_true", help="sans Redis")
    args = parser.parse_args(argv)
    rows = bench.page_rows(args.rounds, args.seconds, args.clients, not args.sans_redis)
    bench.print_rows("Pages servies (manage.py serve, réglages de production)", rows)
    missed = [r.what for r in rows if r.met is False]
    print("\n" + ("Objectifs manqués :" if missed else "Tous les objectifs sont atteints."))
    for what in missed:
        print(f"  - {what}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
