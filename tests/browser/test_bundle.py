"""The whole contract in one ZIP, downloaded in a real Chromium from the review page of the
production server: every piece is in it, and each reads back."""

from __future__ import annotations

import pytest

from rules.dossier import Dossier
from tests.browser.test_e2e import keyboard_download, upload_draft
from tests.helpers import EXAMPLE
from tests.test_bundle import check_archive

pytestmark = pytest.mark.browser


def test_the_review_page_gives_the_whole_dossier_in_one_zip(page, live_url, shots):
    upload_draft(page, live_url, EXAMPLE.read_bytes())
    assert page.url.endswith("/recapitulatif/")
    link = page.get_by_role("link", name="Télécharger le dossier complet (.zip)")
    # The first download the page offers, as its primary button.
    assert link.get_attribute("class") == "fr-btn fr-icon-download-line"
    link.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "recapitulatif-dossier-complet.png"))
    opco = page.get_by_role("link", name="Télécharger le fichier d’échange pour l’OPCO (.json)")
    opco.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "recapitulatif-echange-opco.png"))
    name, data = keyboard_download(page, "Télécharger le dossier complet (.zip)")
    assert name == "cerfa-apprentissage-MOREAU-Inès-dossier-complet.zip"
    _, exported = keyboard_download(page, "Télécharger mes données (.json)")
    dossier = Dossier.from_json(exported)
    contrat_hex = page.url.rstrip("/").split("/")[-2].replace("-", "")
    check_archive(data, dossier, findings=True, key=contrat_hex, same_process=False)
