"""``manage.py serve``: the production server, as ``make run`` starts it.

uvicorn (ASGI) with its pure-Python HTTP parser h11, whose limits on a request's headers
(size here, time in cerfa/server.py) are set here. The checks of ``cerfa/startup.py`` run first: on a problem, one French line and
exit 2, before anything listens.
"""

from __future__ import annotations

import os
import sys

from django.core.management.base import BaseCommand

from cerfa.startup import problems

# Headers larger than this are refused by the parser (400): no real browser sends more.
MAX_HEADER_BYTES = 16 * 1024
# An idle kept-alive connection is closed after this many seconds.
KEEP_ALIVE_SECONDS = 5


class Command(BaseCommand):
    help = "Sert le site (uvicorn), après avoir vérifié la configuration."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, host, port, **options):
        import uvicorn

        found = problems()
        if found:
            sys.stderr.write(" ".join(found) + "\n")
            sys.exit(2)
        workers = int(os.environ.get("WEB_CONCURRENCY", "1").strip() or "1")
        self.stdout.write(
            f"Service sur http://{host}:{port}/ ({workers} processus"
            + (", sessions dans Redis" if os.environ.get("REDIS_URL") else "")
            + ")"
        )
        self.stdout.flush()
        uvicorn.run(
            "cerfa.asgi:application",
            host=host,
            port=port,
            workers=workers,
            http="cerfa.server:TimedH11Protocol",
            lifespan="off",
            h11_max_incomplete_event_size=MAX_HEADER_BYTES,
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
            # Django configures logging (cerfa/settings/logging.py); the access log is
            # cerfa/asgi.py's, which never writes a query string or an address.
            log_config=None,
            access_log=False,
            server_header=False,
        )
