"""No request body reaches the disk: Django spills a body past FILE_UPLOAD_MAX_MEMORY_SIZE
to a temporary file, so that setting is at least the largest body the request guard lets
through (a batch file and its form), and the server refuses to start otherwise."""

from __future__ import annotations

import asyncio
import tempfile

import pytest
from django.core.exceptions import ImproperlyConfigured

from cerfa import asgi


def test_every_body_the_guard_lets_through_stays_in_memory(monkeypatch):
    guard = asgi.application.app
    largest = max(route.max_body for route in guard.routes)
    assert largest > 1_000_000  # the batch's upload URL: what this test is about

    def no_disk(*args, **kwargs):
        raise AssertionError("a request body was written to a temporary file")

    # What SpooledTemporaryFile calls when it rolls over to the disk.
    monkeypatch.setattr(tempfile, "TemporaryFile", no_disk)
    chunks = [b"x" * 65_536] * (largest // 65_536) + [b"x" * (largest % 65_536)]
    messages = [
        {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1}
        for i, chunk in enumerate(chunks)
    ]

    async def receive():
        return messages.pop(0)

    body = asyncio.run(guard.app.read_body(receive))
    try:
        assert len(body.read()) == largest
    finally:
        body.close()


def test_the_server_refuses_to_start_if_django_would_spill_a_body(settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100_000
    with pytest.raises(ImproperlyConfigured, match="FILE_UPLOAD_MAX_MEMORY_SIZE"):
        asgi.build()
