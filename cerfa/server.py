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
"""

from __future__ import annotations

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

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
