"""ASGI entry point, served by uvicorn (``manage.py serve``, which ``make run`` calls).

Why ASGI: the server's event loop holds every connection while its request arrives, so a
client sending its headers or body slowly costs a socket, never one of the threads that run
the views; Django then runs each request's view in a thread of its own.

``RequestLimits`` wraps Django. Before Django reads anything it:

- answers 431 to headers over ``CERFA_MAX_HEADER_BYTES`` (uvicorn's parser bounds only
  headers that arrive in several parts);
- answers 413 (a French page) to a body over ``CERFA_MAX_BODY_BYTES``, from its declared
  length or as soon as the bytes received pass the cap, without reading the rest;
- applies a route's own cap and writes its own refusals where one is given (``routes``:
  the API's, ``CERFA_API_MAX_BODY_BYTES`` and problem details, cerfa/api/limits.py);
- answers 408 to a body not received within ``CERFA_BODY_SECONDS``;
- writes the access log: method, path without its query string (where lookups carry what
  was typed), status, duration. Never the client's address, a query or a body.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time

from django.core.asgi import get_asgi_application
from django.core.exceptions import ImproperlyConfigured

from cerfa.stats.asgi import FlushOnShutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cerfa.settings")

access_log = logging.getLogger("cerfa.access")


class RequestLimits:
    def __init__(
        self,
        app,
        max_body: int,
        body_seconds: float,
        page,
        headers=(),
        max_headers=16 * 1024,
        routes=(),
    ):
        self.app = app
        # Each has ``prefix``, ``max_body`` and ``refusal(code, path) -> (content type,
        # body)``; the first whose prefix starts the path applies.
        self.routes = tuple(routes)
        self.max_body = max_body
        self.max_headers = max_headers
        self.body_seconds = body_seconds
        # status -> HTML bytes, rendered once (French pages of the site's own templates).
        self.page = page
        # What Django's security middlewares add to every page, for the pages sent here.
        self.headers = list(headers)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.monotonic()
        status = {"code": 0}

        async def send_logged(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        route = next((r for r in self.routes if scope["path"].startswith(r.prefix)), None)
        try:
            cap = route.max_body if route else None
            # A route whose handler keeps its body in memory only may pass the server's cap
            # (the batch upload, cerfa/batch/web.py); any other, never.
            beyond = getattr(route, "beyond_server_cap", False)
            body = await self._read_body(scope, receive, cap, beyond)
            if isinstance(body, int):
                await self._refuse(body, send_logged, route and route.refusal(body, scope["path"]))
            else:
                await self.app(scope, _replay(body, receive), send_logged)
        finally:
            access_log.info(
                '"%s %s" %s %dms',  # never the query string: lookups carry typed values there
                scope["method"],
                scope["path"],
                status["code"] or "-",
                (time.monotonic() - started) * 1000,
            )

    async def _read_body(
        self, scope, receive, max_body: int | None = None, beyond: bool = False
    ) -> bytes | int:
        """The whole body, or the status to refuse it with."""
        max_body = (
            max_body if beyond and max_body else min(max_body or self.max_body, self.max_body)
        )
        if sum(len(k) + len(v) + 4 for k, v in scope["headers"]) > self.max_headers:
            return 431
        declared = _header(scope, b"content-length")
        if declared is not None:
            if not (declared.isascii() and declared.isdigit()):
                return 400
            if int(declared) > max_body:
                return 413
        chunks, size = [], 0
        deadline = time.monotonic() + self.body_seconds
        while True:
            try:
                async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                    message = await receive()
            except TimeoutError:
                return 408
            if message["type"] == "http.disconnect":
                return 499  # nobody to answer
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > max_body:
                return 413
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _refuse(self, code: int, send, refusal=None) -> None:
        if code == 499:
            return
        content_type, body = refusal or (b"text/html; charset=utf-8", self.page(code))
        await send(
            {
                "type": "http.response.start",
                "status": code,
                "headers": [
                    (b"content-type", content_type),
                    (b"content-length", str(len(body)).encode()),
                    # The rest of the body is not read: the connection cannot be reused.
                    (b"connection", b"close"),
                    (b"cache-control", b"no-store"),
                    *self.headers,
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _header(scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1").strip()
    return None


def _replay(body: bytes, receive):
    """A ``receive`` that hands Django the body already read, then waits for disconnect."""
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _pages():
    from django.template.loader import render_to_string

    pages = {
        400: ("400.html", "Demande incorrecte"),
        431: ("400.html", "Demande incorrecte"),
        408: ("408.html", "Envoi trop lent"),
        413: ("413.html", "Envoi trop volumineux"),
    }
    rendered: dict[int, bytes] = {}

    def page(code: int) -> bytes:
        if code not in rendered:
            template, title = pages.get(code, pages[400])
            rendered[code] = render_to_string(template, {"title": title}).encode()
        return rendered[code]

    return page


def security_headers() -> list[tuple[bytes, bytes]]:
    """The headers the pages get from the settings (cerfa/settings/security.py), for the
    pages this guard sends without Django: built by the same libraries."""
    from csp.utils import build_policy
    from django.conf import settings
    from django_permissions_policy import PermissionsPolicyMiddleware

    headers = {
        "Content-Security-Policy": build_policy(),
        "Permissions-Policy": PermissionsPolicyMiddleware(lambda request: None).permissions_policy,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": settings.X_FRAME_OPTIONS,
        "Referrer-Policy": settings.SECURE_REFERRER_POLICY,
        "Cross-Origin-Opener-Policy": settings.SECURE_CROSS_ORIGIN_OPENER_POLICY,
    }
    return [(name.lower().encode(), value.encode()) for name, value in headers.items()]


def build():
    from django.conf import settings

    from cerfa.api.limits import route
    from cerfa.batch.web import upload_route
    from cerfa.startup import refuse_if_unfit
    from cerfa.wizard.continuation import upload_routes

    django_app = get_asgi_application()
    refuse_if_unfit()
    routes = [route(), upload_route(), *upload_routes()]
    largest = max([settings.CERFA_MAX_BODY_BYTES, *(r.max_body for r in routes)])
    if largest > settings.FILE_UPLOAD_MAX_MEMORY_SIZE:
        # Django would write such a body to a temporary file: personal data on disk.
        raise ImproperlyConfigured(
            f"Un envoi de {largest} octets est accepté, mais Django écrit sur le disque tout "
            f"corps de plus de FILE_UPLOAD_MAX_MEMORY_SIZE ({settings.FILE_UPLOAD_MAX_MEMORY_SIZE})."
        )
    return RequestLimits(
        django_app,
        max_body=settings.CERFA_MAX_BODY_BYTES,
        body_seconds=settings.CERFA_BODY_SECONDS,
        page=_pages(),
        headers=security_headers(),
        max_headers=settings.CERFA_MAX_HEADER_BYTES,
        routes=routes,
    )


# The counts of the statistics are written as the server stops (cerfa/stats/asgi.py).
application = FlushOnShutdown(build())
