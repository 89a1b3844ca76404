"""The counts of the production server as served: two downloads at the same moment count
twice, the flushing thread writes on its timer, and stopping the server writes the rest
once (never twice)."""

from __future__ import annotations

import csv
import io
import re
import threading
import time

import pytest
import requests

from tests.helpers import EXAMPLE
from tests.server import start_server

pytestmark = [pytest.mark.database]


def served_counts(url: str) -> dict[str, int]:
    text = requests.get(url + "/statistiques/donnees.csv", timeout=30).text
    totals: dict[str, int] = {}
    for row in list(csv.reader(io.StringIO(text)))[1:]:
        totals[row[1]] = totals.get(row[1], 0) + int(row[2])
    return totals


def test_two_downloads_at_once_count_twice_on_the_timer_and_once_more_at_exit():
    server = start_server(CERFA_STATS_FLUSH_SECONDS="1")
    try:
        http = requests.Session()
        home = http.get(server.url + "/", timeout=30).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', home).group(1)
        resumed = http.post(
            server.url + "/contrat/reprendre/",
            data={"csrfmiddlewaretoken": token},
            files={"dossier": ("brouillon.json", EXAMPLE.read_bytes(), "application/json")},
            allow_redirects=False,
            timeout=30,
        )
        base = server.url + resumed.headers["Location"].rsplit("/", 2)[0] + "/"
        barrier = threading.Barrier(2)
        statuses = []

        def download():
            barrier.wait(10)
            statuses.append(http.get(base + "cerfa.pdf", timeout=60).status_code)

        threads = [threading.Thread(target=download) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert statuses == [200, 200]
        # Written by the thread within a second or two, while the server runs.
        for _ in range(40):
            counted = served_counts(server.url)
            if counted.get("telechargement.pdf") == 2:
                break
            time.sleep(0.25)
        assert counted["telechargement.pdf"] == 2
        assert counted["accueil"] == 1 and counted["contrat.repris"] == 1
        # The last counts, pending when it stops, are written as it stops.
        assert http.get(base + "dossier.json", timeout=30).status_code == 200
    finally:
        server.stop(clean=False)
    try:
        same = (
            {"DATABASE_URL": server.database_url}
            if server.database_url
            else {"CERFA_DATA_DIR": str(server.data_dir)}
        )
        restarted = start_server(**same)
        try:
            counted = served_counts(restarted.url)
        finally:
            restarted.stop(clean=False)
            restarted.data_dir = None  # the first server's: cleaned below
            restarted.clean()
    finally:
        server.clean()
    assert counted["telechargement.pdf"] == 2  # not written twice
    assert counted["telechargement.json"] == 1


def test_each_worker_process_writes_its_counts_when_the_server_stops():
    """Several processes (Redis holding the sessions): each has its own counts and its own
    flushing thread; with a period longer than the test, all are written at the stop."""
    from tests.server import start_redis

    redis = start_redis()
    try:
        server = start_server(
            REDIS_URL=redis.url, WEB_CONCURRENCY="2", CERFA_STATS_FLUSH_SECONDS="3600"
        )
        try:
            assert len(server.worker_pids()) == 2
            for _ in range(20):
                assert requests.get(server.url + "/", timeout=30).status_code == 200
            assert served_counts(server.url) == {}  # nothing written yet
        finally:
            server.stop(clean=False)
        same = (
            {"DATABASE_URL": server.database_url}
            if server.database_url
            else {"CERFA_DATA_DIR": str(server.data_dir)}
        )
        restarted = start_server(**same)
        try:
            counted = served_counts(restarted.url)
        finally:
            restarted.stop(clean=False)
            restarted.data_dir = None
            restarted.clean()
            server.clean()
    finally:
        redis.stop()
    assert counted == {"accueil": 20}


def test_a_server_stopped_by_sigterm_writes_its_counts():
    """What systemd or Docker send: uvicorn then ends the process with SIGTERM's default
    action, past atexit; the lifespan shutdown has written the counts before."""
    import signal

    server = start_server(CERFA_STATS_FLUSH_SECONDS="3600")
    try:
        for _ in range(3):
            assert requests.get(server.url + "/", timeout=30).status_code == 200
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=30)
        assert "Application shutdown complete." in server.log()
        same = (
            {"DATABASE_URL": server.database_url}
            if server.database_url
            else {"CERFA_DATA_DIR": str(server.data_dir)}
        )
        restarted = start_server(**same)
        try:
            counted = served_counts(restarted.url)
        finally:
            restarted.stop(clean=False)
            restarted.data_dir = None
            restarted.clean()
    finally:
        server.stop()
    assert counted == {"accueil": 3}
