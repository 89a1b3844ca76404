"""Several server processes each accept on a socket of their own (cerfa/server.py): the
kernel spreads new connections over them, where one shared socket let the first process
awake take them all."""

from __future__ import annotations

import pickle
import socket
from multiprocessing.reduction import ForkingPickler

import pytest

from cerfa.server import OwnSocket, reuse_port_socket


def _accepted(sock: socket.socket) -> int:
    sock.setblocking(False)
    count = 0
    while True:
        try:
            conn, _ = sock.accept()
        except BlockingIOError:
            return count
        conn.close()
        count += 1


def test_each_worker_unpickles_a_socket_of_its_own_and_connections_reach_both():
    guard = reuse_port_socket("127.0.0.1", 0)
    port = guard.getsockname()[1]
    clients = []
    # As multiprocessing hands them to the workers it spawns.
    workers = [pickle.loads(ForkingPickler.dumps(OwnSocket("127.0.0.1", port))) for _ in "ab"]
    try:
        assert len({w.fileno() for w in workers}) == 2
        for worker in workers:
            assert worker.getsockname() == ("127.0.0.1", port)
            assert worker.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 1
            worker.listen(64)
        clients = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(40)]
        counts = [_accepted(worker) for worker in workers]
        # Spread by a hash of each connection's address: all 40 on one side is a chance
        # of 2 in 2**40. The guard, bound but not listening, receives none.
        assert sum(counts) == 40 and min(counts) > 0, counts
    finally:
        for sock in [*clients, *workers, guard]:
            sock.close()


def test_an_address_taken_by_another_program_is_refused_at_once():
    other = socket.socket()
    other.bind(("127.0.0.1", 0))
    other.listen(1)
    try:
        with pytest.raises(OSError):
            reuse_port_socket("127.0.0.1", other.getsockname()[1])
    finally:
        other.close()


def test_several_processes_on_a_taken_address_say_so_in_one_french_line():
    import subprocess
    import sys

    from tests.server import ROOT, clean_environment, start_redis

    redis = start_redis()
    other = socket.socket()
    other.bind(("127.0.0.1", 0))
    other.listen(1)
    port = other.getsockname()[1]
    try:
        done = subprocess.run(
            [sys.executable, "manage.py", "serve", "--port", str(port)],
            cwd=ROOT,
            env=clean_environment(
                CERFA_ENV="production",
                DJANGO_SECRET_KEY="k" * 50,
                REDIS_URL=redis.url,
                WEB_CONCURRENCY="2",
            ),
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        other.close()
        redis.stop()
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"Impossible d'écouter sur 127.0.0.1:{port} : "
        "l'adresse est déjà prise par un autre programme."
    ]
