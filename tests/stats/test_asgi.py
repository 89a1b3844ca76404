"""The lifespan hook that writes the counts as the server stops."""

from __future__ import annotations

import asyncio

import pytest

from cerfa.stats import count
from cerfa.stats.asgi import FlushOnShutdown
from tests.stats.conftest import totals

pytestmark = pytest.mark.django_db(transaction=True)


def test_startup_is_acknowledged_and_shutdown_writes_the_pending_counts():
    passed = []

    async def app(scope, receive, send):
        passed.append(scope["type"])

    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    sent = []

    async def receive():
        return next(messages)

    async def send(message):
        sent.append(message["type"])

    count("accueil", 4)
    wrapped = FlushOnShutdown(app)
    asyncio.run(wrapped({"type": "lifespan"}, receive, send))
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert passed == []  # Django never sees the lifespan
    assert totals() == {"accueil": 4}
    asyncio.run(wrapped({"type": "http"}, receive, send))
    assert passed == ["http"]
