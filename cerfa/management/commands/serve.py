"""``manage.py serve``: the production server, as ``make run`` starts it.

uvicorn (ASGI) with its pure-Python HTTP parser h11, whose limits on a request's headers
(size here, time in cerfa/server.py) are set here. The checks of ``cerfa/startup.py`` run first: on a problem, one French line and
exit 2, before anything listens.
"""

from __future__ import annotations

import errno
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from cerfa import startup

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

        found = startup.problems()
        if found:
            sys.stderr.write(" ".join(found) + "\n")
            sys.exit(2)
        workers = startup.workers()
        self.stdout.write(
            f"Service sur http://{host}:{port}/ ({workers} processus"
            + (", sessions dans Redis" if settings.REDIS_URL else "")
            + ")\n"
            # Whoever deploys it learns where to ask whether it can serve (cerfa/health.py).
            + f"Santé du service : http://{host}:{port}/sante/"
        )
        self.stdout.flush()
        options = dict(
            app="cerfa.asgi:application",
            host=host,
            port=port,
            workers=workers,
            http="cerfa.server:TimedH11Protocol",
            # The application answers the lifespan protocol to write its statistics as the
            # server stops, on SIGTERM too (cerfa/stats/asgi.py).
            lifespan="on",
            # Headers arriving in parts: the parser keeps no more than this (400); headers
            # arriving whole are measured by cerfa/asgi.py (431).
            h11_max_incomplete_event_size=settings.CERFA_MAX_HEADER_BYTES,
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
            # Django configures logging (cerfa/settings/logging.py); the access log is
            # cerfa/asgi.py's, which never writes a query string or an address.
            log_config=None,
            access_log=False,
            server_header=False,
        )
        if workers == 1:
            uvicorn.run(**options)
            return
        from cerfa.server import serve_workers  # each process its own socket (why: there)

        try:
            serve_workers(uvicorn.Config(**options))
        except OSError as exc:
            why = (
                "l'adresse est déjà prise par un autre programme"
                if exc.errno == errno.EADDRINUSE
                else f"erreur {exc.errno} du système"
            )
            sys.stderr.write(f"Impossible d'écouter sur {host}:{port} : {why}.\n")
            sys.exit(2)
