"""The CFA prepares its part in one browser, the employer continues in another from the
downloaded file: nothing but the file goes from one to the other (issue 11, item 3)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cerfa.wizard import convert
from rules.dossier import Dossier
from tests.browser.driver import Driver, start_contract
from tests.helpers import EXAMPLE

pytestmark = pytest.mark.browser


def cfa_part() -> Dossier:
    """What the CFA knows: the type of contract, its dates, the training and the CFA."""
    full = Dossier.from_json(EXAMPLE.read_text(encoding="utf-8"))
    part = Dossier(formation=full.formation)
    for name in ("type_contrat", "date_conclusion", "date_debut_execution", "date_fin"):
        setattr(part.contrat, name, getattr(full.contrat, name))
    return part


def go_to(driver: Driver, title: str) -> None:
    """Jump with the summary's button (what was typed on the page is kept)."""
    driver.press_button(title)


def download(page, name: str) -> tuple[str, bytes]:
    link = page.get_by_role("link", name=re.compile("^" + re.escape(name)))
    link.focus()
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    return info.value.suggested_filename, Path(info.value.path()).read_bytes()


def resume(page, live_url: str, name: str, content: bytes) -> None:
    page.goto(live_url + "/")
    page.get_by_label(re.compile("^Votre brouillon")).set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": content}
    )
    button = page.get_by_role("button", name="Reprendre ce brouillon")
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_cfa_prepares_employer_continues_in_another_browser(browser, live_url, watch, shots):
    part = cfa_part()
    # -- the CFA, in its own browser ---------------------------------------------------------
    cfa = browser.new_context(locale="fr-FR", accept_downloads=True)
    cfa.on("page", watch.attach)
    page = cfa.new_page()
    driver = Driver(page)
    start_contract(page, live_url)
    data = convert.step_data_from(part)
    driver.fill_step("contrat-en-bref", part, convert.build(data, upto="contrat-en-bref").dossier)
    go_to(driver, "8. La formation et le CFA")
    assert page.url.endswith("/formation/")
    typed = driver.fill_step("formation", part, convert.build(data, upto="formation").dossier)
    assert typed >= 10
    go_to(driver, "11. Récapitulatif")
    page.screenshot(path=str(shots / "handover-01-cfa.png"), full_page=True)
    name, content = download(page, "À transmettre à l’employeur (.json)")
    assert name.endswith("-pour-l-employeur.json")
    handed = json.loads(content)
    assert [entry["par"] for entry in handed["preparation"]] == ["cfa"]
    # The PDF carries the same record in its embedded dossier: that is the file sent.
    name, content = download(page, "À transmettre à l’employeur (PDF)")
    assert name.endswith("-pour-l-employeur.pdf") and content.startswith(b"%PDF-")
    cfa.close()

    # -- the employer, in another browser, with the file alone ----------------------------
    employer = browser.new_context(locale="fr-FR", accept_downloads=True)
    employer.on("page", watch.attach)
    page = employer.new_page()
    resume(page, live_url, name, content)
    assert page.url.endswith("/recapitulatif/")
    formation = page.locator("section", has=page.locator("#recap-formation"))
    assert "Préparé par le CFA" in formation.text_content()
    assert "Complet" in formation.text_content()
    employeur = page.locator("section", has=page.locator("#recap-employeur"))
    assert "Reste à remplir" in employeur.text_content()
    assert "Préparé par" not in employeur.text_content()
    page.screenshot(path=str(shots / "handover-02-employeur.png"), full_page=True)
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()

    driver = Driver(page)
    go_to(driver, "8. La formation et le CFA")
    notice = page.locator("#preparation-etape").text_content()
    assert "Préparé par le CFA" in notice and "Rien ne reste à remplir" in notice
    go_to(driver, "2. L'employeur")
    notice = page.locator("#preparation-etape").text_content()
    assert "Rien n’a été préparé dans cette section." in notice
    assert "Reste à remplir" in notice and "SIRET" in notice
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    # The employer fills its part: the notice no longer lists what was typed.
    full = Dossier.from_json(EXAMPLE.read_text(encoding="utf-8"))
    both = convert.step_data_from(full)
    driver.fill_step("employeur", full, convert.build(both, upto="employeur").dossier)
    go_to(driver, "2. L'employeur")
    notice = page.locator("#preparation-etape").text_content()
    assert "Rien ne reste à remplir dans cette section." in notice
    employer.close()
    assert watch.problems == []
