"""uvicorn's HTTP/1.1 protocol (h11), with time limits on what a slow client can hold.

uvicorn closes a kept-alive connection that stays idle, but a client that sends the first
bytes of a request, then one byte now and then, would hold its connection forever.
Each request's line and headers must arrive within ``HEADER_SECONDS`` of the connection's
opening or of the previous response; otherwise the connection is closed. Bodies have their
own limit (``CERFA_BODY_SECONDS``, cerfa/asgi.py).

The other way round, a client that stops reading its answer makes the server wait to
write, with the answer in memory, for as long as the client likes: once the connection's
buffer is full, the client must take some of it within ``SEND_SECONDS``, or the
connection is closed.

With several processes (``WEB_CONCURRENCY``), each listens on a socket of its own bound
to the same address with ``SO_REUSEPORT`` (``serve_workers``), so that the kernel spreads
new connections over them. uvicorn shares one listening socket between its workers, and
asyncio accepts every connection waiting on it at once: the process that wakes first
takes them all, and a kept-alive connection stays where it was accepted. ``make bench``
measured 16 connections opened together split 99 % / 1 % between two processes.
"""

from __future__ import annotations

import socket

import h11
from uvicorn import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.supervisors import Multiprocess

from cerfa.settings.env import env_int

HEADER_SECONDS = env_int("CERFA_HEADER_SECONDS", 10, minimum=1)
SEND_SECONDS = env_int("CERFA_SEND_SECONDS", 30, minimum=1)


class TimedH11Protocol(H11Protocol):
    # The pending timer of each limit (asyncio handles), None when not armed.
    header_deadline = None
    send_deadline = None

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._arm("header_deadline", HEADER_SECONDS, self._headers_too_slow)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm("header_deadline", HEADER_SECONDS, self._headers_too_slow)

    def connection_lost(self, exc) -> None:
        self._disarm("header_deadline")
        self._disarm("send_deadline")
        super().connection_lost(exc)

    def pause_writing(self) -> None:
        super().pause_writing()
        if self.send_deadline is None:
            self._arm("send_deadline", SEND_SECONDS, self._reader_too_slow)

    def resume_writing(self) -> None:
        self._disarm("send_deadline")
        super().resume_writing()

    def _arm(self, name: str, seconds: float, callback) -> None:
        self._disarm(name)
        setattr(self, name, self.loop.call_later(seconds, callback))

    def _disarm(self, name: str) -> None:
        timer = getattr(self, name)
        if timer is not None:
            timer.cancel()
            setattr(self, name, None)

    def _reader_too_slow(self) -> None:
        self.send_deadline = None
        if not self.transport.is_closing():
            self.transport.abort()  # what is left unsent is dropped with the connection

    def _headers_too_slow(self) -> None:
        self.header_deadline = None
        # Still waiting for (the rest of) a request's headers: no request is being served.
        waiting = self.conn.their_state is h11.IDLE and (
            self.cycle is None or self.cycle.response_complete
        )
        if waiting and not self.transport.is_closing():
            self.transport.close()


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` with ``SO_REUSEPORT``: every process's own."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


class OwnSocket:
    """What uvicorn's supervisor hands each worker in place of a shared socket: unpickled in
    the worker (multiprocessing starts them with *spawn*, and pickles what they are given),
    it is a socket of the worker's own, bound with ``SO_REUSEPORT``; uvicorn listens on it."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port

    def __reduce__(self):
        return (reuse_port_socket, (self.host, self.port))


def serve_workers(config: Config) -> None:
    """``config.workers`` processes under uvicorn's own supervisor (signals, restarts),
    each accepting on its own socket. Raises OSError when the address is taken."""
    # Bound and never listening: reserves the address (taken: the error is here, once) and
    # receives no connection (the kernel spreads them over listening sockets only).
    guard = reuse_port_socket(config.host, config.port)
    try:
        Multiprocess(config, sockets=[OwnSocket(config.host, config.port)]).run()
    finally:
        guard.close()
