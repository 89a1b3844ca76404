"""No cookie beyond the session on any path, and no script from another site."""

from __future__ import annotations

import re

import pytest

from tests.stats.test_paths import resumed

pytestmark = pytest.mark.django_db


def test_every_path_sets_the_session_cookie_alone(client, settings):
    seen: set[str] = set()

    def visit(response):
        seen.update(response.cookies)
        return response

    visit(client.get("/"))
    visit(client.post("/contrat/nouveau/"))
    base = resumed(client)
    for path in ("", "recapitulatif/", "cerfa.pdf", "dossier-complet.zip", "dossier.json"):
        visit(client.get(base + path))
    visit(client.get("/avis/"))
    visit(client.post("/avis/", {"satisfaction": "3"}))
    visit(client.get("/statistiques/"))
    visit(client.get("/statistiques/donnees.csv"))
    erased = visit(client.post(base + "effacer/"))
    shown = visit(client.get(erased.url))
    assert "Vos données ont été effacées" in shown.content.decode()
    assert seen == {settings.SESSION_COOKIE_NAME}


def test_the_statistics_page_loads_scripts_and_styles_from_this_site_only(client):
    html = client.get("/statistiques/").content.decode()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/") for source in sources)
    assert "<script>" not in html and " style=" not in html
