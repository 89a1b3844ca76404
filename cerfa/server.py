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
    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._arm_header_deadline()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm_header_deadline()

    def connection_lost(self, exc) -> None:
        self._disarm_header_deadline()
        self._disarm_send_deadline()
        super().connection_lost(exc)

    def pause_writing(self) -> None:
        super().pause_writing()
        if getattr(self, "send_deadline", None) is None:
            self.send_deadline = self.loop.call_later(SEND_SECONDS, self._reader_too_slow)

    def resume_writing(self) -> None:
        self._disarm_send_deadline()
        super().resume_writing()

    def _disarm_send_deadline(self) -> None:
        deadline = getattr(self, "send_deadline", None)
        if deadline is not None:
            deadline.cancel()
            self.send_deadline = None

    def _reader_too_slow(self) -> None:
        self.send_deadline = None
        if not self.transport.is_closing():
            self.transport.abort()  # what is left unsent is dropped with the connection

    def _arm_header_deadline(self) -> None:
        self._disarm_header_deadline()
        self.header_deadline = self.loop.call_later(HEADER_SECONDS, self._headers_too_slow)

    def _disarm_header_deadline(self) -> None:
        deadline = getattr(self, "header_deadline", None)
        if deadline is not None:
            deadline.cancel()
            self.header_deadline = None

    def _headers_too_slow(self) -> None:
        self.header_deadline = None
        # Still waiting for (the rest of) a request's headers: no request is being served.
        waiting = self.conn.their_state is h11.IDLE and (
            self.cycle is None or self.cycle.response_complete
        )
        if waiting and not self.transport.is_closing():
            self.transport.close()
