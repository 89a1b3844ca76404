"""Several processes for real: a real ``redis-server`` shared by two servers, expiry, and
the start-up refusal of a Redis that would write personal data to disk or evict it."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.e2e.conftest import TOKEN, Visitor
from tests.helpers import EXAMPLE
from tests.server import (
    REDIS_SERVER,
    ROOT,
    Redis,
    clean_environment,
    free_port,
    start_redis,
    start_server,
    wait_for_port,
)


def _serve(**env) -> subprocess.CompletedProcess:
    """``manage.py serve`` as make run calls it, expected to refuse before listening."""
    return subprocess.run(
        [sys.executable, "manage.py", "serve", "--port", "1"],
        cwd=ROOT,
        env=clean_environment(CERFA_ENV="production", DJANGO_SECRET_KEY="k" * 50, **env),
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        (("--save", "3600 1"), "save"),
        (("--appendonly", "yes"), "appendonly"),
        (("--maxmemory-policy", "allkeys-lru"), "maxmemory-policy"),
    ],
    ids=["save", "appendonly", "eviction"],
)
def test_a_redis_that_keeps_or_evicts_data_is_refused_at_start(settings, named):
    redis = start_redis(*settings)
    try:
        done = _serve(REDIS_URL=redis.url)
        assert done.returncode == 2
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, done.stderr  # one French line, no traceback
        assert named in lines[0] and "docs/redis.conf" in lines[0]
        if named == "maxmemory-policy":  # evicting contracts is never allowed
            done = _serve(REDIS_URL=redis.url, CERFA_REDIS_ALLOW_PERSISTENCE="true")
            assert done.returncode == 2 and named in done.stderr
        else:
            # Whoever has checked that disk may say so, and the server starts.
            assert "CERFA_REDIS_ALLOW_PERSISTENCE=true" in lines[0]
            server = start_server(REDIS_URL=redis.url, CERFA_REDIS_ALLOW_PERSISTENCE="true")
            server.stop()
    finally:
        redis.stop()


def test_the_sample_redis_conf_passes_the_check():
    """docs/redis.conf, as the README tells an operator to use it, is accepted."""
    conf = start_redis_with_conf()
    try:
        server = start_server(REDIS_URL=conf.url)
        assert Visitor(server.url).get("/").status_code == 200
        server.stop()
    finally:
        conf.stop()


def start_redis_with_conf():
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="cerfa-redis-"))
    process = subprocess.Popen(
        [
            REDIS_SERVER,
            str(ROOT / "docs" / "redis.conf"),
            "--port",
            str(port),
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(port, process)
    return Redis(f"redis://127.0.0.1:{port}/0", port, process, folder)


def test_unreachable_redis_and_several_processes_without_redis_are_refused():
    done = _serve(REDIS_URL="redis://127.0.0.1:1/0")
    assert done.returncode == 2 and "Redis ne répond pas" in done.stderr
    done = _serve(WEB_CONCURRENCY="2")
    assert done.returncode == 2 and "WEB_CONCURRENCY=2 demande REDIS_URL" in done.stderr
    done = _serve(WEB_CONCURRENCY="deux")
    assert done.returncode == 2 and "WEB_CONCURRENCY doit être un nombre entier" in done.stderr


def test_two_server_processes_share_their_contracts_through_redis(redis):
    one = start_server(REDIS_URL=redis.url)
    two = start_server(REDIS_URL=redis.url)
    try:
        visitor = Visitor(one.url)
        base = visitor.resumed(EXAMPLE.read_bytes())
        # The same browser (its cookie) on the other process: the same contract.
        visitor.base = two.url
        page = visitor.get(base + "apprenti/")
        assert page.status_code == 200 and 'value="Moreau"' in page.text
        token = TOKEN.search(page.text).group(1)
        hex_id = base.strip("/").split("/")[-1].replace("-", "")
        changed = visitor.post(
            base + "apprenti/",
            {
                "csrfmiddlewaretoken": token,
                f"contrat_{hex_id}-current_step": "apprenti",
                "wizard_goto_step": "employeur",
                **{k: v for k, v in _fields(page.text).items()},
                "apprenti__prenom": "Zoé",
            },
        )
        assert changed.status_code == 302
        visitor.base = one.url
        assert visitor.get(base + "dossier.json").json()["apprenti"]["prenom"] == "Zoé"
        visitor.base = two.url
        pdf = visitor.get(base + "cerfa.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        # Erased through one, gone from the other and from Redis.
        visitor.base = one.url
        token = TOKEN.search(visitor.get(base + "recapitulatif/").text).group(1)
        assert visitor.post(base + "effacer/", {"csrfmiddlewaretoken": token}).status_code == 302
        visitor.base = two.url
        assert visitor.get(base + "apprenti/").status_code == 404
        assert not [k for k in redis.client().scan_iter() if b"contrat:" in k]
    finally:
        one.stop()
        two.stop()


def _fields(html: str) -> dict[str, str]:
    """The text boxes of a step as the page shows them (name -> value)."""
    found = {}
    for tag in re.findall(r"<input[^>]+>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if name and kind and kind.group(1) in ("text", "date", "email", "tel", "number"):
            found[name.group(1)] = value.group(1) if value else ""
    return found


def _cpu_ticks(pid: int) -> int:
    """Processor time a process has used so far, in clock ticks (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def test_several_worker_processes_with_redis_serve_one_contract(redis):
    server = start_server(REDIS_URL=redis.url, WEB_CONCURRENCY="2")
    try:
        deadline = time.monotonic() + 20
        while len(server.worker_pids()) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        workers = server.worker_pids()
        assert len(workers) == 2
        visitor = Visitor(server.url)
        base = visitor.resumed(EXAMPLE.read_bytes())
        cookies = visitor.http.cookies.get_dict()
        before = {pid: _cpu_ticks(pid) for pid in workers}
        # Many connections at once: both workers accept some, and each serves the one
        # contract from Redis.
        statuses: list[int] = []

        def review():
            statuses.append(
                requests.get(
                    server.url + base + "recapitulatif/", cookies=cookies, timeout=30
                ).status_code
            )

        threads = [threading.Thread(target=review) for _ in range(30)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert statuses == [200] * 30
        worked = {pid: _cpu_ticks(pid) - before[pid] for pid in workers}
        # Both rendered review pages (some tens of milliseconds each): 30 ms at least each.
        assert all(ticks >= 3 for ticks in worked.values()), worked
    finally:
        server.stop()


@pytest.mark.parametrize("backend", ["memory", "redis"])
def test_a_contract_expires_after_its_time_without_activity(backend, redis):
    env = {"CERFA_SESSION_SECONDS": "3", "CERFA_SWEEP_SECONDS": "1"}
    if backend == "redis":
        env["REDIS_URL"] = redis.url
    server = start_server(**env)
    try:
        visitor = Visitor(server.url)
        base = visitor.resumed(EXAMPLE.read_bytes())
        for _ in range(3):  # activity keeps it alive past its 3 seconds
            time.sleep(1.2)
            assert visitor.get(base + "apprenti/").status_code == 200
        time.sleep(4.5)
        assert visitor.get(base + "apprenti/").status_code == 404
        if backend == "redis":
            assert not [k for k in redis.client().scan_iter() if b"contrat:" in k]
    finally:
        server.stop()
