"""« Nouveau contrat à partir de celui-ci » in a real browser (issue 11, item 5): the button
inside the review page's form starts a new contract of the session for the same
apprentice; the old one stays among the contracts in progress, unchanged."""

from __future__ import annotations

import re

import pytest

from tests.browser.driver import Driver
from tests.helpers import EXAMPLE

pytestmark = pytest.mark.browser


def test_next_diploma_with_another_employer(page, live_url, shots):
    driver = Driver(page)
    page.goto(live_url + "/")
    page.get_by_label(re.compile("^Votre brouillon")).set_input_files(
        {"name": "brouillon.json", "mimeType": "application/json", "buffer": EXAMPLE.read_bytes()}
    )
    driver.press_button("Reprendre ce brouillon")
    old = page.url
    assert old.endswith("/recapitulatif/")
    radio = page.get_by_label(re.compile("^Le diplôme suivant, chez un autre employeur"))
    radio.focus()
    page.keyboard.press("Space")
    assert radio.is_checked()
    driver.press_button("Nouveau contrat à partir de celui-ci")
    assert page.url.endswith("/contrat-en-bref/") and page.url != old
    notice = page.locator("#suite-contrat").text_content()
    assert "le diplôme suivant, chez un autre employeur" in notice
    assert "Situation avant ce contrat proposée : 4" in notice
    kind = driver.box("Type de contrat ou d'avenant")
    assert kind.evaluate("s => s.value") == "22"
    driver.press_button("3. L'apprenti(e)")
    assert driver.box("Nom de naissance de l'apprenti(e)").input_value() == "Moreau"
    driver.press_button("2. L'employeur")
    assert driver.box("Nom et prénom ou dénomination").input_value() == ""
    page.screenshot(path=str(shots / "suite-01-employeur.png"), full_page=True)
    # The old contract is still there, as it was.
    page.goto(old)
    assert "Nouveau contrat à partir de celui-ci" in page.content()
    employeur = page.locator("section", has=page.locator("#recap-employeur"))
    assert "Salon Élégance Coiffure" in employeur.text_content()
    page.goto(live_url + "/")
    assert page.locator("#en-cours + p + ul li").count() == 2
