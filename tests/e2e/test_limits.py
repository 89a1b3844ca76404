"""Request bodies and slow clients, against the real server.

Each limit is the one ``make run`` serves with: a body over ``CERFA_MAX_BODY_BYTES`` gets a
French 413 before it is read; a body that takes longer than ``CERFA_BODY_SECONDS`` gets a
408; connections that send slowly cost the server a socket each, never a thread.
"""

from __future__ import annotations

import re
import socket
import threading
import time

import pytest

from tests.e2e.conftest import Visitor, memory_of
from tests.helpers import EXAMPLE
from tests.server import start_server

GIB = 1 << 30


def _raw(server, request_head: bytes) -> socket.socket:
    host, port = server.url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    sock.sendall(request_head)
    return sock


def _send_until_refused(sock: socket.socket, total: int, chunked: bool) -> int:
    """Send up to ``total`` bytes of body; stop when the server stops reading."""
    block = b"0" * (1 << 20)
    sent = 0
    sock.settimeout(2)
    try:
        while sent < total:
            data = (b"%x\r\n" % len(block) + block + b"\r\n") if chunked else block
            sock.sendall(data)
            sent += len(block)
    except OSError:  # reset, broken pipe, or the server no longer reads: refused
        pass
    return sent


def _answer(sock: socket.socket) -> bytes:
    sock.settimeout(10)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except OSError:
        pass
    return data


def _post_head(length: int | None, path: str = "/contrat/reprendre/") -> bytes:
    size = (
        f"Content-Length: {length}\r\n" if length is not None else "Transfer-Encoding: chunked\r\n"
    )
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: multipart/form-data; boundary=x\r\n"
        f"{size}\r\n"
    ).encode()


@pytest.mark.parametrize("chunked", [False, True], ids=["declared", "chunked"])
def test_a_1_gb_body_gets_413_in_french_and_the_worker_barely_grows(served, chunked):
    Visitor(served.url).get("/")  # the worker is warm
    (pid,) = served.worker_pids()
    before = memory_of(pid)
    sock = _raw(served, _post_head(None if chunked else GIB))
    sent = _send_until_refused(sock, GIB, chunked)
    answer = _answer(sock)
    sock.close()
    after = memory_of(pid)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"Envoi trop volumineux" in answer
    # The security headers of every page, though Django never saw this request.
    lines = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")[1:]
    headers = {k.lower(): v for k, _, v in (line.partition(": ") for line in lines)}
    assert "default-src 'none'" in headers["content-security-policy"]
    assert "camera=()" in headers["permissions-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert sent < GIB  # the server stopped reading long before the end
    # Peak resident memory of the worker: grew by less than 20 MB while 1 GB was offered.
    assert after["VmHWM"] - before["VmRSS"] < 20_000, (before, after, sent)
    assert Visitor(served.url).get("/").status_code == 200


def test_a_body_just_under_the_cap_is_read(served):
    visitor = Visitor(served.url)
    padded = EXAMPLE.read_bytes() + b" " * 150_000  # a draft with trailing spaces, 160 kB
    assert visitor.resume(padded).status_code == 302


def test_a_body_that_never_ends_gets_408_after_its_time():
    server = start_server(CERFA_BODY_SECONDS="2")
    try:
        sock = _raw(server, _post_head(50_000))
        sock.sendall(b"--x\r\n")
        started = time.monotonic()
        answer = _answer(sock)
        waited = time.monotonic() - started
        sock.close()
        assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
        assert b"Envoi trop lent" in answer
        assert 1.5 < waited < 6
    finally:
        server.stop()


def test_headers_that_never_end_get_the_connection_closed_after_their_time():
    server = start_server(CERFA_HEADER_SECONDS="2")
    try:
        sock = _raw(server, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        started = time.monotonic()
        closed_after = None
        for _ in range(40):  # one header byte every 0.25 s, for up to 10 s
            try:
                sock.send(b"X")
                sock.settimeout(0.25)
                if sock.recv(1) == b"":
                    closed_after = time.monotonic() - started
                    break
            except TimeoutError:
                continue
            except OSError:
                closed_after = time.monotonic() - started
                break
        sock.close()
        assert closed_after is not None and 1.5 < closed_after < 4, closed_after
        # A request that arrives in time is served as usual on the same server.
        assert Visitor(server.url).get("/").status_code == 200
    finally:
        server.stop()


def test_headers_over_16_kb_are_refused_and_an_idle_connection_is_closed_after_5_s(served):
    big = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Grand: " + b"a" * 20_000 + b"\r\n\r\n"
    sock = _raw(served, big)  # whole, in one piece: measured by the request guard
    answer = _answer(sock)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 431") and b"Demande incorrecte" in answer
    # Unfinished past 16 kB: the parser keeps no more.
    sock = _raw(served, b"GET / HTTP/1.1\r\nHost: x\r\nX-A: " + b"a" * 40_000)
    sock.settimeout(5)
    assert sock.recv(200).startswith(b"HTTP/1.1 400")
    sock.close()
    # Kept alive after a response, then idle: closed by the server after 5 s.
    sock = _raw(served, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    sock.settimeout(10)
    started, data = time.monotonic(), b""
    while chunk := sock.recv(65536):  # the answer, then the end of the connection
        data += chunk
    sock.close()
    assert data.startswith(b"HTTP/1.1 200") and 4 < time.monotonic() - started < 8


def test_a_client_that_stops_reading_gets_its_connection_closed():
    """Twenty answers of the DSFR's stylesheet asked at once (14 MB), none read: once the
    buffers are full, the server waits CERFA_SEND_SECONDS, then drops the connection."""
    server = start_server(CERFA_SEND_SECONDS="2")
    try:
        home = Visitor(server.url).get("/").text
        css = re.search(r'href="(/static/dsfr/dist/dsfr/dsfr\.min\.[0-9a-f]+\.css)"', home).group(1)
        host, port = server.url.removeprefix("http://").split(":")
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect((host, int(port)))
        sock.sendall(f"GET {css} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode() * 20)
        time.sleep(5)  # reads nothing meanwhile
        sock.settimeout(2)
        closed = False
        try:
            while True:
                if not sock.recv(1 << 20):
                    closed = True
                    break
        except ConnectionResetError:
            closed = True
        except TimeoutError:
            pass  # still open, waiting for us to read: the limit did not hold
        sock.close()
        assert closed
        assert Visitor(server.url).get("/").status_code == 200
    finally:
        server.stop()


def _slow_client(server, stop: threading.Event, kind: str) -> None:
    """Sends a request one byte at a time, for as long as the test runs."""
    if kind == "headers":
        data = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Lent: " + b"a" * 10_000
    else:
        data = _post_head(100_000) + b"0" * 100_000
    try:
        sock = _raw(server, b"")
        for byte in data:
            if stop.wait(0.2):
                break
            sock.send(bytes([byte]))
        sock.close()
    except OSError:
        pass


def test_fifty_slow_clients_leave_the_home_page_under_a_second(served):
    stop = threading.Event()
    clients = [
        threading.Thread(target=_slow_client, args=(served, stop, kind), daemon=True)
        for kind in ["headers", "body"] * 25
    ]
    for client in clients:
        client.start()
    try:
        time.sleep(1.5)  # every slow client is connected and dripping
        visitor = Visitor(served.url)
        timings = []
        for _ in range(10):
            started = time.monotonic()
            response = Visitor(served.url).get("/")
            timings.append(time.monotonic() - started)
            assert response.status_code == 200
        # And a whole contract still goes through: upload, review, PDF.
        base = visitor.resumed(EXAMPLE.read_bytes())
        assert visitor.get(base + "recapitulatif/").status_code == 200
        assert visitor.get(base + "cerfa.pdf").status_code == 200
        assert max(timings) < 1.0, timings
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=5)
