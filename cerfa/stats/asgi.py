"""The counts are written when the server stops, whatever signal stops it.

uvicorn stops on SIGINT or SIGTERM gracefully, then raises the same signal again with its
default action: SIGTERM (what systemd, Docker or a supervisor send, and what uvicorn sends
its worker processes) then ends the process without running ``atexit``. The ASGI lifespan
protocol is uvicorn's documented hook into that shutdown: this wrapper answers it, and
writes the pending counts at « lifespan.shutdown », each worker its own. Every other
connection goes to the application unchanged.
"""

from __future__ import annotations

import asyncio

from cerfa.stats.counters import flush_at_shutdown


class FlushOnShutdown:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "lifespan":
            return await self.app(scope, receive, send)
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await asyncio.to_thread(flush_at_shutdown)
                await send({"type": "lifespan.shutdown.complete"})
                return
