"""Teach while typing, in a real Chromium against the production server: a finding shows
beside its field as soon as the field is left, « Suivant » on an error shows the step once
more with its summary focused, « Continuer malgré tout » moves on; the same without
JavaScript (checked on « Suivant » only); erasing asks first. Keyboard only; axe finds
nothing, live region and modal window included."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.driver import Driver
from tests.browser.test_e2e import upload_draft
from tests.helpers import EXAMPLE

BAD_SIRET = "52147896600175"  # the example's SIRET, its last digit changed: a wrong key
SIRET_LABEL = "N° SIRET de l'établissement d'exécution du contrat"

pytestmark = pytest.mark.browser


def _draft() -> bytes:
    return EXAMPLE.read_bytes()


def _open_employer_step(page, live_url) -> str:
    upload_draft(page, live_url, _draft())
    assert page.url.endswith("/recapitulatif/")
    base = page.url.removesuffix("recapitulatif/")
    page.goto(base + "employeur/")
    return base


def _type_over(driver: Driver, label: str, value: str) -> None:
    driver.text(label, value)


def _axe(page) -> str:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return results.generate_report() if results.violations_count else ""


def test_a_bad_siret_key_shows_beside_its_field_when_the_field_is_left(page, live_url, shots):
    driver = Driver(page)
    base = _open_employer_step(page, live_url)
    _type_over(driver, SIRET_LABEL, BAD_SIRET)
    url = page.url
    page.keyboard.press("Tab")
    findings = page.locator("#id_employeur__siret-findings")
    findings.locator("li").first.wait_for(timeout=5000)
    assert "Erreur" in findings.inner_text() and "clé" in findings.inner_text().lower()
    assert page.url == url  # nothing was submitted
    summary = page.locator("#verification-etape")
    assert summary.get_attribute("aria-live") == "polite"
    assert "N° SIRET" in summary.inner_text()
    # The field says where its findings are, for a screen reader.
    described = driver.box(SIRET_LABEL).get_attribute("aria-describedby")
    assert "id_employeur__siret-findings" in described.split()
    page.screenshot(path=str(shots / "verification-en-direct.png"), full_page=True)
    assert _axe(page) == ""
    # Put right, the finding goes away the same way.
    _type_over(driver, SIRET_LABEL, "52147896600174")
    page.keyboard.press("Tab")
    page.wait_for_function(
        "() => !document.querySelector('#id_employeur__siret-findings li')", timeout=5000
    )
    assert page.url == base + "employeur/"


def _next_stops_then_continue(page, driver: Driver, shots, name: str, scan=True) -> None:
    driver.next()
    assert page.url.endswith("/employeur/")
    assert page.title().startswith("Erreur : ")
    summary = page.locator("#resume-etape")
    expect(summary).to_be_focused()
    assert "N° SIRET" in summary.inner_text()
    # What was typed is still there.
    assert driver.box(SIRET_LABEL).input_value() == BAD_SIRET
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    if scan:  # axe runs in the page: not where JavaScript is off
        assert _axe(page) == ""
    driver.press_button("Continuer malgré tout")
    assert page.url.endswith("/apprenti/")


def test_next_with_an_error_shows_the_step_again_then_continue_moves_on(page, live_url, shots):
    driver = Driver(page)
    _open_employer_step(page, live_url)
    _type_over(driver, SIRET_LABEL, BAD_SIRET)
    _next_stops_then_continue(page, driver, shots, "suivant-avec-erreur")


def test_without_javascript_the_step_is_checked_on_next(nojs_context, live_url, shots):
    page = nojs_context.new_page()
    driver = Driver(page)
    _open_employer_step(page, live_url)
    _type_over(driver, SIRET_LABEL, BAD_SIRET)
    page.keyboard.press("Tab")
    page.wait_for_timeout(300)
    # No live check without JavaScript: nothing beside the field yet.
    assert page.locator("#id_employeur__siret-findings li").count() == 0
    _next_stops_then_continue(page, driver, shots, "sans-js-suivant-avec-erreur", scan=False)


def test_help_panels_open_with_the_keyboard_without_javascript(nojs_context, live_url):
    page = nojs_context.new_page()
    _open_employer_step(page, live_url)
    panel = page.locator("#champ-employeur__siret details").first
    summary = panel.locator("summary")
    content = panel.locator(".fr-highlight")
    expect(content).to_be_hidden()
    summary.focus()
    page.keyboard.press("Enter")
    expect(content).to_be_visible()
    assert "Sources :" in content.inner_text() and "SIRENE" in content.inner_text()


def test_erasing_asks_in_a_modal_window_and_keeps_the_contract_on_no(page, live_url, shots):
    driver = Driver(page)
    base = _open_employer_step(page, live_url)
    link = page.get_by_role("link", name=re.compile("^Terminer et effacer mes données"))
    link.focus()
    page.keyboard.press("Enter")
    modal = page.locator("#modal-effacer")
    modal.wait_for(state="visible", timeout=5000)
    assert page.url == base + "employeur/"  # a window, not a page
    page.screenshot(path=str(shots / "effacer-fenetre.png"), full_page=True)
    assert _axe(page) == ""
    keep = page.get_by_role("button", name="Non, garder mon contrat")
    keep.focus()
    page.keyboard.press("Enter")
    modal.wait_for(state="hidden", timeout=5000)
    page.reload()
    assert driver.box(SIRET_LABEL).input_value() == "52147896600174"
    # Yes erases.
    link.focus()
    page.keyboard.press("Enter")
    modal.wait_for(state="visible", timeout=5000)
    driver.press_button("Oui, effacer ce contrat")
    assert page.url.rstrip("/") == live_url
    assert "Vos données ont été effacées" in page.content()
    assert page.goto(base + "employeur/").status == 404


def test_erasing_without_javascript_asks_on_a_page(nojs_context, live_url, shots):
    page = nojs_context.new_page()
    driver = Driver(page)
    base = _open_employer_step(page, live_url)
    link = page.get_by_role("link", name=re.compile("^Terminer et effacer mes données"))
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == base + "effacer/"
    page.screenshot(path=str(shots / "sans-js-effacer.png"), full_page=True)
    driver.press_button("Oui, effacer ce contrat")
    assert "Vos données ont été effacées" in page.content()


def test_stable_steps_from_the_start(page, live_url):
    """A blank contract already shows the eleven steps; the conditional ones say so."""
    data = json.loads(_draft())
    upload_draft(page, live_url, json.dumps(data).encode())
    base = page.url.removesuffix("recapitulatif/")
    page.goto(base + "contrat-en-bref/")
    items = page.locator("#sommaire li").all_inner_texts()
    assert len(items) == 11
    assert items[3].startswith("4. Le représentant légal")
    assert "(sans objet pour ce contrat)" in items[3]
    assert "(sans objet pour ce contrat)" in items[8]
    assert "Étape 1 sur 11" in page.content()
