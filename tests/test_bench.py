"""``make bench`` measures what it says: its pieces, checked without timing anything."""

from __future__ import annotations

import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cerfa.pdf import bench, bench_served, fill
from cerfa.pdf.bench_served import Browser, Contract, Load, Rates, Served, WizardForm
from tests.helpers import DOSSIERS, load
from tests.server import unavailable


@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("path", DOSSIERS[:3], ids=lambda p: p.stem)
def test_the_floor_writes_the_very_update_filling_writes(path, flatten):
    dossier = load(path.name)
    update, problems = fill._update_for(dossier, flatten, fill.Template.get())
    result = fill.fill_dossier(dossier, flatten=flatten)
    assert update.write() == result.pdf and problems == result.problems


def test_a_step_is_posted_as_a_browser_posts_its_form():
    page = """
    <form method="post" action="/contrat/x/effacer/"><input name="ailleurs" value="1"></form>
    <form method="post" id="wizard-form">
      <input type="hidden" name="csrfmiddlewaretoken" value="jeton">
      <input type="text" name="nom" value="Moreau &amp; fils">
      <input type="text" name="vide">
      <input type="checkbox" name="rqth" value="1">
      <input type="checkbox" name="sportif" value="1" checked>
      <input type="radio" name="sexe" value="M"><input type="radio" name="sexe" value="F" checked>
      <input type="text" name="grise" value="x" disabled>
      <select name="type"><option value="">--</option><option value="11" selected>11</option></select>
      <select name="sans_choix"><option value="a">a</option><option value="b">b</option></select>
      <textarea name="note">deux mots</textarea>
      <button type="submit" name="wizard_goto_step" value="apprenti">Précédent</button>
    </form>"""
    assert WizardForm(page).fields == [
        ("csrfmiddlewaretoken", "jeton"),
        ("nom", "Moreau & fils"),
        ("vide", ""),
        ("sportif", "1"),
        ("sexe", "F"),
        ("type", "11"),
        ("sans_choix", "a"),
        ("note", "deux mots"),
    ]


def test_other_modules_rows_are_appended(monkeypatch):
    class Module:
        @staticmethod
        def bench_rows():
            return [("Chargement des codes postaux", "12 ms")]

    monkeypatch.setitem(sys.modules, "rules.tables_bench", Module)
    assert [(r.what, r.figure, r.met) for r in bench.extra_rows()] == [
        ("Chargement des codes postaux", "12 ms", None)
    ]
    monkeypatch.setitem(sys.modules, "rules.tables_bench", None)  # not there: nothing added
    assert bench.extra_rows() == []


def test_the_peak_memory_is_the_commands_own(tmp_path):
    """Read from the command's /proc (VmHWM), not from rusage, which gives a child forked
    from a large bench the bench's own peak."""
    done = bench._run(["check", str(bench.EXAMPLE)], peak=True)
    assert done.status in (0, 1) and done.wall > 0 and done.cpu > 0
    assert 10_000 < done.peak_kb < 1_000_000


# -- throughput: wrk's plan, its script, its output, the fallback ------------------------


class Recorder(BaseHTTPRequestHandler):
    """A kept-alive HTTP/1.1 server that notes each request: connection, cookie, path."""

    protocol_version = "HTTP/1.1"
    seen: list[tuple[int, str, str]]  # (client port, Cookie, path), set per server

    def do_GET(self):
        self.server.seen.append((self.client_address[1], self.headers["Cookie"], self.path))
        body = b"ok"
        self.send_response(404 if self.path.startswith("/absent") else 200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    server.daemon_threads = True
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def contract(url: str, cookies: dict[str, str], base: str, steps: list[str]) -> Contract:
    browser = Browser(url)
    browser.cookies = dict(cookies)
    return Contract(browser, base, steps)


def test_the_plan_gives_each_visitor_its_cookie_and_its_steps_or_the_home_page():
    contracts = [
        contract(
            "http://127.0.0.1:1", {"sessionid": "a1", "csrftoken": "t"}, "/contrat/1/", ["x", "y"]
        ),
        contract("http://127.0.0.1:1", {}, "/contrat/2/", ["z"]),
    ]
    assert bench_served.wrk_plan(contracts) == (
        "sessionid=a1; csrftoken=t\t/contrat/1/x/ /contrat/1/y/\n\t/contrat/2/z/\n"
    )
    assert bench_served.wrk_plan(contracts, home=True) == "sessionid=a1; csrftoken=t\t/\n\t/\n"
    with pytest.raises(ValueError):
        bench_served.wrk_plan([contract("http://127.0.0.1:1", {"s": "a\tb"}, "/c/", ["x"])])


def test_wrk_gives_each_connection_its_own_visitor_asking_its_pages_in_turn(recorder, tmp_path):
    if bench_served.wrk_program() is None:
        unavailable("wrk is missing (apt-get install wrk)")
    url = f"http://127.0.0.1:{recorder.server_address[1]}"
    plan = tmp_path / "plan.txt"
    plan.write_text("s=un\t/a/ /b/ /c/\ns=deux\t/d/\n\t/absent/\n", encoding="utf-8")
    command = bench_served.wrk_command(url, plan, connections=3, seconds=1)
    done = bench_served.subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    result = bench_served.parse_wrk(done.stdout)
    by_connection: dict[int, list[tuple[str, str]]] = {}
    for port, cookie, path in recorder.seen:
        by_connection.setdefault(port, []).append((cookie, path))
    # Three connections, kept alive, each one visitor: its cookie (none for the third)
    # on every request, its paths in turn.
    expected = {
        "s=un": ["/a/", "/b/", "/c/"],
        "s=deux": ["/d/"],
        None: ["/absent/"],
    }
    assert len(by_connection) == 3
    assert sorted(requests[0][0] or "" for requests in by_connection.values()) == [
        "", "s=deux", "s=un"
    ]  # fmt: skip
    for requests in by_connection.values():
        cookie = requests[0][0]
        assert {c for c, _ in requests} == {cookie}
        cycle = expected[cookie]
        paths = [p for _, p in requests]
        start = cycle.index(paths[0])  # wrk may take the script's first request for itself
        assert paths == [cycle[(start + i) % len(cycle)] for i in range(len(paths))]
    # What wrk counted is what the server answered (but for answers cut by its end), and
    # every 404 is a failure, named.
    absent = sum(1 for _, cookie, _ in recorder.seen if cookie is None)
    assert result.requests <= len(recorder.seen) <= result.requests + 3
    assert absent - 1 <= result.failures <= absent and result.failures > 0
    assert set(result.statuses.split()) == {"404"}
    assert result.errors == {"connect": 0, "read": 0, "write": 0, "timeout": 0}
    assert result.seconds > 0.5 and 0 < result.p50_ms <= result.p99_ms


def test_wrk_output_is_read_from_the_scripts_line_and_its_absence_said():
    output = """Running 5s test @ http://127.0.0.1:8000/
  16 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   150.12ms   20.00ms 300.00ms   70.00%
  400 requests in 5.00s, 12.00MB read
Requests/sec:     80.00
cerfa-wrk {"requests": 400, "seconds": 5.001234, "failures": 2, "statuses": "500 302 ", \
"connect": 0, "read": 1, "write": 0, "timeout": 3, "p50_ms": 148.500, "p99_ms": 290.250}
""".replace("\\\n", "")
    result = bench_served.parse_wrk(output)
    assert (result.requests, result.seconds, result.failures) == (400, 5.001234, 2)
    assert result.statuses == "500 302"
    assert result.errors == {"connect": 0, "read": 1, "write": 0, "timeout": 3}
    assert (result.p50_ms, result.p99_ms) == (148.5, 290.25)
    with pytest.raises(RuntimeError, match="wrk n'a pas donné son résultat"):
        bench_served.parse_wrk("unable to connect to 127.0.0.1:8000 Connection refused")


def test_without_wrk_python_clients_measure_and_the_output_says_so(recorder, monkeypatch):
    url = f"http://127.0.0.1:{recorder.server_address[1]}"
    contracts = [contract(url, {"s": str(i)}, f"/c/{i}/", ["x", "y"]) for i in range(2)]
    try:
        done = bench_served.load(url, contracts, 0.3, False, {"serveur 1": os.getpid()}, False)
    finally:
        for each in contracts:
            each.browser.close()
    assert done.generator == "python" and done.requests > 0
    assert {path for _, _, path in recorder.seen} == {"/c/0/x/", "/c/0/y/", "/c/1/x/", "/c/1/y/"}
    # The clients are this process: the processor time they took is counted as theirs.
    assert done.client_cpu > 0 and len(done.server_cpu) == 1
    monkeypatch.setattr(bench_served.shutil, "which", lambda name: None)
    assert bench_served.wrk_program() is None
    served = Served(generator="python", connections=2, one=Rates(1, done, done))
    served.load_average = [(1.0, 1.0, 1.0), (2.0, 2.0, 2.0)]
    rows = bench_served.rate_rows(served)
    assert rows[0].figure.startswith("clients Python dans ce processus, wrk absent")


def fake(rate: float, cpu: list[float], connections=(16,)) -> Load:
    return Load(rate, int(rate * 5), 5.0, "wrk", 0.1, cpu, {"redis": 0.5}, 9.6, list(connections))


def test_the_rates_are_judged_beside_the_home_page_and_one_process():
    served = Served(generator="wrk", connections=16)
    served.load_average = [(3.5, 0, 0), (4.3, 0, 0)]
    served.one = Rates(1, fake(400, [4.0]), fake(80, [4.0]))
    served.redis = [
        Rates(1, fake(400, [4.0]), fake(80, [4.0])),
        Rates(2, fake(760, [3.8, 3.8], (8, 8)), fake(150, [6.0, 2.0], (11, 5))),
    ]
    rows = {r.what: r for r in bench_served.rate_rows(served)}
    steps = rows["Étapes par seconde, un processus, contrat complet"]
    # 80 pages/s: 4 s of processor for 400 pages.
    assert steps.figure.startswith("80 pages/s (10.0 ms de processeur par page")
    assert steps.against.startswith("0.20× celui de l'accueil (400 pages/s")
    assert steps.met is False
    two = rows["Avec Redis, étapes par seconde, deux processus contre un (32 connexions contre 16)"]
    assert two.against.startswith("1.88× (l'accueil : 760 contre 400 pages/s, 1.90×)")
    assert two.met is True
    taken = rows["Avec Redis, processeur par page et cœurs pris, un processus / deux"].figure
    assert taken == (
        "étapes 10.0 / 10.7 ms, 0.80 / 1.60 cœur (autres programmes 1.00 / 0.20) ; "
        "accueil 2.0 / 2.0 ms, 0.80 / 1.52 cœur (autres programmes 1.00 / 0.28)"
    )
    # 150 pages/s on 1.6 core against 80 on 0.8: 0.94 as much per core; 760 on 1.52
    # against 400 on 0.8: 1.00.
    per_core = "Avec Redis, débit par cœur pris, deux processus contre un (étapes ; accueil)"
    assert rows[per_core].figure == "0.94× ; 1.00×"
    shares = rows["Part du processeur de chacun des deux processus (étapes ; accueil)"]
    assert shares.figure == "75% / 25% (connexions 11 / 5) ; 50% / 50% (connexions 8 / 8)"
    # 9.6 s of the machine's processor in 5 s: 1.92 core, 8 + 0.5 + 0.1 s ours.
    machine = rows["Processeur pendant les étapes à deux processus"].figure
    assert machine.startswith("serveurs 1.60 cœur, redis-server 10%, générateur 2% ;")
    assert machine.endswith(
        "la machine : 1.92 cœur occupé sur 2, dont 0.20 par d'autres programmes"
    )
    assert (
        "3.5 / 4.3"
        in rows["Charge de la machine (moyenne sur 1 min, début / fin de la mesure)"].figure
    )
    assert "wrk" in rows["Générateur de charge (16 connexions, un contrat chacune)"].figure


def test_the_connections_each_process_holds_are_read_from_proc():
    import socket

    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen(8)
    port = listening.getsockname()[1]
    clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
    accepted = [listening.accept()[0] for _ in clients]
    try:
        # The accepted ends are this process's connections to the port (its clients'
        # ends are to it, from other ports); the listening socket is not a connection.
        assert bench_served.connections_by_process([os.getpid()], port) == [3]
        accepted.pop().close()
        assert bench_served.connections_by_process([os.getpid()], port) == [2]
    finally:
        for sock in [*clients, *accepted, listening]:
            sock.close()
    assert bench_served.machine_seconds() > 0
