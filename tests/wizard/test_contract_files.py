"""Every file of a contract, as the review page offers it: linked there, named after the
apprentice (cerfa/downloads.py), of its type, never cached; nothing of it for a contract
this session does not hold. What each file holds is tested beside the code that makes it
(test_calendar, test_convention, test_guide, test_opco_exchange, test_bundle…)."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from cerfa.downloads import content_disposition, display_name
from rules.dossier import Dossier
from tests.helpers import EXAMPLE
from tests.wizard.conftest import uploaded_contract

# (path after /contrat/<id>/, kind of cerfa/downloads.py, content type, how it starts)
FILES = [
    ("cerfa.pdf", "pdf", "application/pdf", b"%PDF"),
    ("cerfa.pdf?version=aplatie", "pdf_aplati", "application/pdf", b"%PDF"),
    ("points-a-verifier.pdf", "points", "application/pdf", b"%PDF"),
    ("convention.pdf", "convention", "application/pdf", b"%PDF"),
    ("et-maintenant.pdf", "guide", "application/pdf", b"%PDF"),
    ("dossier.json", "json", "application/json; charset=utf-8", b"{"),
    ("calendrier.ics", "ics", "text/calendar; charset=utf-8", b"BEGIN:VCALENDAR"),
    ("echange-opco.json", "opco", "application/json; charset=utf-8", b"{"),
    ("dossier-complet.zip", "zip", "application/zip", b"PK"),
]
IDS = [kind for _, kind, _, _ in FILES]


@pytest.mark.parametrize(("path", "kind", "content_type", "start"), FILES, ids=IDS)
def test_the_review_page_offers_the_file_and_it_downloads(client, path, kind, content_type, start):
    base = uploaded_contract(client)
    review = client.get(base + "recapitulatif/").content.decode()
    assert f'href="{base}{path}"' in review
    response = client.get(base + path)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    name = display_name(Dossier.from_json(EXAMPLE.read_bytes()), kind)
    assert response["Content-Disposition"] == content_disposition(name)
    assert "-MOREAU-In%C3%A8s" in response["Content-Disposition"]
    assert "no-cache" in response["Cache-Control"]
    assert response.content.lstrip(b"\xef\xbb\xbf").startswith(start)


@pytest.mark.parametrize(("path", "kind", "content_type", "start"), FILES, ids=IDS)
def test_a_contract_this_session_does_not_hold_has_no_file(client, path, kind, content_type, start):
    assert client.get(f"/contrat/{uuid.uuid4()}/{path}").status_code == 404
    base = uploaded_contract(client)
    response = Client().get(base + path)  # another browser
    assert response.status_code == 404
    assert not response.content.startswith(start)
    assert b"Moreau" not in response.content and b"MOREAU" not in response.content
