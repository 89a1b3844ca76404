"""An avenant from an imported contract (its PDF), in a real browser (issue 11, item 4): the avenant
33 (extension after an exam failure, with its pay) ends with a grid recomputed from the
date d'effet and the differences with the initial contract listed on the review."""

from __future__ import annotations

import datetime
import re

import pytest

from cerfa.pdf.fill import fill_dossier
from rules.dossier import Dossier
from tests.browser.driver import Driver
from tests.helpers import EXAMPLE

pytestmark = pytest.mark.browser

NUMERO = "069202709000123"


def _axe(page, where: str, reports: dict) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    if results.violations_count:
        reports[where] = results.generate_report()


def test_avenant_33_from_an_imported_contract(page, live_url, shots):
    driver = Driver(page)
    reports: dict = {}
    page.goto(live_url + "/")
    link = page.get_by_role("link", name="Modifier un contrat existant (avenant)")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/contrat/avenant/")
    _axe(page, "avenant", reports)
    # The contract as the employer holds it: the filled CERFA.
    pdf = fill_dossier(Dossier.from_json(EXAMPLE.read_text(encoding="utf-8"))).pdf
    page.get_by_label(re.compile("^Le contrat à modifier")).set_input_files(
        {"name": "contrat.pdf", "mimeType": "application/pdf", "buffer": pdf}
    )
    radio = page.locator("#type-avenant-33")
    radio.focus()
    page.keyboard.press("Space")
    assert radio.is_checked()
    driver.text("Numéro du contrat sur lequel porte l'avenant", NUMERO)
    driver.date("Date d'effet de l'avenant", datetime.date(2029, 9, 1))
    driver.date(
        "Nouvelle date de fin du contrat, si l'avenant la change", datetime.date(2030, 8, 31)
    )
    page.screenshot(path=str(shots / "avenant-01-choix.png"), full_page=True)
    driver.press_button("Ouvrir l’avenant")

    # The wizard opens on the first section concerned, marked in the summary.
    assert page.url.endswith("/contrat-en-bref/"), page.locator("main").inner_text()[:500]
    badges = page.locator("#sommaire button", has=page.locator(".fr-badge"))
    marked = [badges.nth(i).text_content() for i in range(badges.count())]
    # En bref (the end date), rémunération, formation; never the employer.
    assert [name.split(".")[0] for name in marked] == ["1", "7", "8"], marked
    assert all("À modifier" in name for name in marked)
    assert page.locator("#avenant-etape").is_visible()
    _axe(page, "contrat-en-bref", reports)
    assert (
        driver.box("Date de fin du contrat ou de la période d'apprentissage").input_value()
        == "2030-08-31"
    )

    driver.press_button("6. Le contrat")
    assert (
        driver.box(
            "Numéro du contrat précédent ou du contrat sur lequel porte l'avenant"
        ).input_value()
        == NUMERO
    )
    assert driver.box("Si avenant, date d'effet").input_value() == "2029-09-01"

    # The grid: the contract's lines, then the extension from the date d'effet.
    driver.press_button("7. La rémunération")
    du = driver.box("3ème année, période 1 : Du")
    taux = driver.box("3ème année, période 1 : % du SMIC ou du SMC")
    assert du.input_value() == "2029-09-01"
    assert taux.input_value() in ("61", "61,0", "61.0")  # D6222-28: the last year's rate
    page.screenshot(path=str(shots / "avenant-02-grille.png"), full_page=True)

    driver.press_button("11. Récapitulatif")
    table = page.locator("#avenant-differences").inner_text()
    assert "Type de contrat ou d'avenant" in table
    assert "Prolongation du contrat suite à un échec" in table
    assert NUMERO in table
    assert "Rémunération, 3ème année, période 1 : taux" in table
    assert "31 août 2030" in table or "31/08/2030" in table
    page.screenshot(path=str(shots / "avenant-03-differences.png"), full_page=True)
    _axe(page, "recapitulatif", reports)
    assert reports == {}, "\n\n".join(f"{k}:\n{v}" for k, v in reports.items())


def test_avenant_page_says_what_is_wrong(page, live_url):
    reports: dict = {}
    page.goto(live_url + "/contrat/avenant/")
    button = page.get_by_role("button", name="Ouvrir l’avenant")
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.locator("#erreurs-avenant").inner_text()
    assert "Aucun fichier reçu" in summary
    assert "Choisissez ce que l'avenant modifie." in summary
    assert page.title().startswith("Erreur : ")
    _axe(page, "avenant-erreurs", reports)
    assert reports == {}, "\n\n".join(f"{k}:\n{v}" for k, v in reports.items())
