"""Tests of the service as served (``manage.py serve`` in its own process, tests/server.py),
driven over HTTP: what a hostile, slow or simply numerous client does to it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests

from tests.server import start_redis, start_server

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CONTRACT = re.compile(r"/contrat/([0-9a-f-]{36})/")


class Visitor:
    """One browser: its cookies, its CSRF token, over one kept-alive connection."""

    def __init__(self, base_url: str):
        self.base = base_url
        self.http = requests.Session()

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.base + path, allow_redirects=False, timeout=30, **kwargs)

    def post(self, path: str, data=None, **kwargs) -> requests.Response:
        return self.http.post(
            self.base + path, data=data, allow_redirects=False, timeout=30, **kwargs
        )

    def token(self) -> str:
        match = TOKEN.search(self.get("/").text)
        assert match, f"no CSRF token on the home page: {self.get('/').status_code}"
        return match.group(1)

    def start(self) -> requests.Response:
        """« Commencer », as a browser does: the home page, then its form."""
        return self.post("/contrat/nouveau/", {"csrfmiddlewaretoken": self.token()})

    def started(self) -> str:
        """A new contract's base path, ``/contrat/<id>/``."""
        response = self.start()
        assert response.status_code == 302, response.text[:300]
        return CONTRACT.search(response.headers["Location"]).group(0)

    def resume(self, content: bytes) -> requests.Response:
        return self.post(
            "/contrat/reprendre/",
            {"csrfmiddlewaretoken": self.token()},
            files={"dossier": ("brouillon.json", content, "application/json")},
        )

    def resumed(self, content: bytes) -> str:
        response = self.resume(content)
        assert response.status_code == 302, response.text[:300]
        return CONTRACT.search(response.headers["Location"]).group(0)


def memory_of(pid: int) -> dict[str, int]:
    """A process's resident memory now and at its peak (kB), from /proc."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0])
    return values


@pytest.fixture(scope="module")
def served():
    server = start_server()
    yield server
    server.stop()


@pytest.fixture
def redis():
    server = start_redis()
    yield server
    server.stop()
