"""Security headers on what the production server sends: pages, downloads, lookups."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Visitor
from tests.helpers import EXAMPLE
from tests.server import start_server

EVERYWHERE = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _assert_protected(response, what: str) -> None:
    for name, value in EVERYWHERE.items():
        assert response.headers.get(name) == value, (what, name, response.headers.get(name))
    csp = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["default-src"] == "'none'", csp
    assert directives["script-src"] == "'self'", csp  # no inline script, no other origin
    assert directives["style-src"] == "'self'", csp
    assert directives["frame-ancestors"] == "'none'", csp
    assert "unsafe" not in csp
    policy = response.headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy, policy
    assert "no-store" in response.headers["Cache-Control"], (what, response.headers)


def test_pages_downloads_and_lookups_carry_every_security_header(served):
    visitor = Visitor(served.url)
    base = visitor.resumed(EXAMPLE.read_bytes())
    for path in (
        "/",
        base + "apprenti/",
        base + "recapitulatif/",
        base + "cerfa.pdf",
        base + "cerfa.pdf?version=aplatie",
        base + "points-a-verifier.pdf",
        base + "dossier.json",
        "/api/siret/?value=52147896600174",
        "/api/communes/?value=69002",
        "/api/cfa/?value=0691234S",
        "/contrat/00000000-0000-4000-8000-000000000000/apprenti/",
    ):
        response = visitor.get(path)
        assert response.status_code in (200, 404, 429), (path, response.status_code)
        _assert_protected(response, path)
    session = next(c for c in visitor.http.cookies if c.name == "sessionid")
    assert session.has_nonstandard_attr("HttpOnly") and not session.secure  # plain HTTP here


@pytest.fixture(scope="module")
def https_server():
    server = start_server(
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_COOKIES="true",
        DJANGO_SECURE_SSL_REDIRECT="true",
        DJANGO_SECURE_HSTS_SECONDS="31536000",
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        DJANGO_SECURE_HSTS_PRELOAD="true",
        DJANGO_SECURE_PROXY_SSL_HEADER="true",
    )
    yield server
    server.stop()


def test_behind_an_https_proxy_http_is_redirected_and_https_gets_hsts(https_server):
    visitor = Visitor(https_server.url)
    plain = visitor.get("/")
    assert plain.status_code == 301
    assert plain.headers["Location"].startswith("https://")
    secure = visitor.get("/", headers={"X-Forwarded-Proto": "https"})
    assert secure.status_code == 200
    assert secure.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert "Secure" in secure.headers["Set-Cookie"]
    assert secure.headers["Set-Cookie"].startswith("__Host-session=")
    _assert_protected(secure, "/ (https)")
