"""The wizard in a real Chromium, as its users meet it."""

from __future__ import annotations

import copy
import json
import os
import re
import uuid
from pathlib import Path

import pytest

from cerfa.pdf.fieldmap import FIELD_MAP
from rules.dossier import Dossier
from tests.browser.driver import Driver, fill_wizard, start_contract
from tests.helpers import EXAMPLE, read_fields
from tests.server import start_server
from tests.upstream import FakeUpstream

pytestmark = pytest.mark.browser

EXAMPLE_STEPS = [
    "contrat-en-bref",
    "employeur",
    "apprenti",
    "maitres",
    "contrat",
    "remuneration",
    "formation",
    "signature",
    "recapitulatif",
]


def example() -> Dossier:
    return Dossier.from_json(EXAMPLE.read_text(encoding="utf-8"))


def assert_pdf_shows(pdf: bytes, dossier: Dossier) -> None:
    """Every box of the filled form reads back as the dossier says it should."""
    fields = read_fields(pdf)
    assert len(fields) == len(FIELD_MAP)
    for entry in FIELD_MAP:
        want = entry.value(dossier)
        got = fields[entry.name]
        if entry.is_checkbox:
            assert (got == "/Yes") == bool(want), f"{entry.name} ({entry.path}): {got!r}"
        elif want in (None, ""):
            assert got in (None, ""), f"{entry.name} ({entry.path}) should be empty: {got!r}"
        else:
            assert got == want, f"{entry.name} ({entry.path}): {got!r} != {want!r}"


def keyboard_download(page, link_name: str) -> tuple[str, bytes]:
    link = page.get_by_role("link", name=link_name)
    link.focus()
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def upload_draft(page, live_url: str, content: bytes) -> None:
    page.goto(live_url + "/")
    page.get_by_label(re.compile("^Votre brouillon")).set_input_files(
        {"name": "brouillon.json", "mimeType": "application/json", "buffer": content}
    )
    button = page.get_by_role("button", name="Reprendre ce brouillon")
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_whole_wizard_by_keyboard_gives_the_pdf_of_the_dossier(page, live_url, shots):
    driver = Driver(page)
    page.goto(live_url + "/")
    page.screenshot(path=str(shots / "00-accueil.png"), full_page=True)
    seen = fill_wizard(driver, live_url, example(), shots=shots)
    assert seen == EXAMPLE_STEPS
    page.screenshot(path=str(shots / "10-recapitulatif.png"), full_page=True)
    assert "Salon Élégance Coiffure" in page.content()
    name, pdf = keyboard_download(page, "Télécharger le CERFA rempli (PDF modifiable)")
    assert name == "cerfa-apprentissage-MOREAU-Inès.pdf"
    assert_pdf_shows(pdf, example())
    name, flat = keyboard_download(page, "Télécharger le CERFA rempli (PDF non modifiable)")
    assert name == "cerfa-apprentissage-MOREAU-Inès-non-modifiable.pdf" and flat.startswith(b"%PDF")


def test_whole_wizard_without_javascript(nojs_context, live_url, shots):
    page = nojs_context.new_page()
    driver = Driver(page)
    seen = fill_wizard(driver, live_url, example(), shots=shots, prefix="sans-js-")
    assert seen == EXAMPLE_STEPS
    # Précédent, then back: nothing lost, without a line of JavaScript.
    driver.press_button("Précédent")
    assert page.url.endswith("/signature/")
    assert driver.box("Fait à").input_value() == "Lyon"
    driver.next()
    name, pdf = keyboard_download(page, "Télécharger le CERFA rempli (PDF modifiable)")
    assert name == "cerfa-apprentissage-MOREAU-Inès.pdf"
    assert_pdf_shows(pdf, example())


def _every_step_dossier() -> bytes:
    """The example, with a minor apprentice and a separate training place: all 11 steps."""
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["apprenti"]["date_naissance"] = "2010-05-14"
    data["apprenti"]["representant_legal"] = {
        "nom_naissance": "Moreau",
        "prenom": "Claire",
        "courriel": "claire.moreau@free.fr",
        "adresse": data["apprenti"]["adresse"],
    }
    data["formation"]["cfa_est_lieu_principal"] = False
    data["formation"]["lieu_principal"] = {
        "denomination": "Lycée des métiers Jacques Brel",
        "uai": "0690001A",
        "siret": "19690001200019",
        "adresse": data["formation"]["cfa"]["adresse"],
    }
    return json.dumps(data).encode()


def test_no_accessibility_violation_on_any_page(page, live_url, shots):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    reports = {}
    # The scan does see problems: an image without text alternative is one.
    page.set_content(
        '<!DOCTYPE html><html lang="fr"><title>t</title><main><img src="x.png"></main>'
    )
    assert axe.run(page).violations_count > 0

    def scan(label):
        results = axe.run(page)
        if results.violations_count:
            reports[label] = results.generate_report()

    page.goto(live_url + "/")
    scan("accueil")
    upload_draft(page, live_url, b"{ pas du json")
    assert "pas du JSON valide" in page.content()
    page.screenshot(path=str(shots / "accueil-erreur-brouillon.png"), full_page=True)
    scan("accueil avec erreur")

    upload_draft(page, live_url, _every_step_dossier())
    assert page.url.endswith("/recapitulatif/")
    base = page.url.removesuffix("recapitulatif/")
    steps = page.locator("#sommaire button[name=wizard_goto_step]").evaluate_all(
        "buttons => buttons.map(b => b.value)"
    )
    assert len(steps) == 11 and "representant-legal" in steps and "lieu-de-formation" in steps
    for index, step in enumerate(steps, start=1):
        page.goto(base + step + "/")
        assert f"Étape {index} sur 11" in page.content()
        page.screenshot(path=str(shots / f"tout-{index:02d}-{step}.png"), full_page=True)
        scan(step)

    # A step showing unreadable values, and the review listing findings.
    page.goto(base + "contrat-en-bref/")
    driver = Driver(page)
    box = driver.box("Date de fin du contrat ou de la période d'apprentissage")
    box.focus()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.evaluate(
        "() => { const i = document.querySelector('#id_contrat__mode_contractuel');"
        " i.options[1].value = '9'; i.selectedIndex = 1; }"
    )
    driver.next()
    assert "Certaines valeurs ne peuvent pas être lues" in page.content()
    page.screenshot(path=str(shots / "etape-avec-erreurs.png"), full_page=True)
    scan("étape avec erreurs")
    assert reports == {}, "\n\n".join(f"== {k} ==\n{v}" for k, v in reports.items())


def test_two_tabs_hold_two_contracts_and_give_two_pdfs(context, live_url):
    tabs = [context.new_page(), context.new_page()]
    people = [("Moreau", "Inès"), ("Nguyen", "Tom")]
    bases = [start_contract(tab, live_url) for tab in tabs]
    assert bases[0] != bases[1]
    for tab, base in zip(tabs, bases, strict=True):
        tab.goto(base + "apprenti/")
    for tab, (nom, prenom) in zip(tabs, people, strict=True):
        driver = Driver(tab)
        driver.text("Nom de naissance de l'apprenti(e)", nom)
        driver.text("Le premier prénom de l'apprenti(e) selon l'état civil", prenom)
    for tab in tabs:
        Driver(tab).next()
    for tab, base, (nom, prenom) in zip(tabs, bases, people, strict=True):
        tab.goto(base + "recapitulatif/")
        name, pdf = keyboard_download(tab, "Télécharger le CERFA rempli (PDF modifiable)")
        # The browser keeps the accented name of filename* (RFC 5987).
        assert name == f"cerfa-apprentissage-{nom.upper()}-{prenom}.pdf"
        values = set(read_fields(pdf).values())
        assert nom in values and prenom in values
        other = people[1] if nom == people[0][0] else people[0]
        assert other[0] not in values and other[1] not in values


def _redis_bytes(redis) -> bytes:
    """Every key and value the Redis server holds, whatever their type."""
    client = redis.client()
    found = []
    for key in client.scan_iter():
        found.append(key)
        kind = client.type(key)
        if kind == b"string":
            found.append(client.get(key))
        elif kind == b"zset":
            found.extend(client.zrange(key, 0, -1))
        else:  # no other type is written; dump it whole if one ever is
            found.append(client.dump(key) or b"")
    return b"".join(found)


def _files_containing(root: Path, needle: bytes) -> list[str]:
    found = []
    # os.walk passes over folders that vanish while it walks (rglob raises).
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            try:
                if needle in path.read_bytes():
                    found.append(str(path))
            except OSError:  # vanished, or not a regular file: nothing left to read
                continue
    return found


def test_canary_is_found_nowhere_after_erasing(context, redis_backed):
    """With Redis, as several processes would run: the canary is in Redis while the
    contract is open, and nowhere after « Terminer et effacer » (Redis, its folder, the
    server's log and temporary folder)."""
    redis, redis_production = redis_backed
    page = context.new_page()
    live_url = redis_production.url
    canary = f"Canari{uuid.uuid4().hex[:12]}"
    base = start_contract(page, live_url)
    page.goto(base + "apprenti/")
    driver = Driver(page)
    driver.text("Nom de naissance de l'apprenti(e)", canary)
    driver.text("Commune de naissance", canary)
    driver.next()
    page.goto(base + "recapitulatif/")
    assert canary in page.content()
    # The search below can see the data: the canary is in Redis now.
    assert canary.encode() in _redis_bytes(redis)

    link = page.get_by_role("link", name=re.compile("^Terminer et effacer mes données"))
    link.focus()
    page.keyboard.press("Enter")
    button = page.get_by_role("button", name="Oui, effacer ce contrat")
    button.wait_for(state="visible")
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == live_url + "/"
    assert "ont été effacées" in page.content()

    assert canary.encode() not in _redis_bytes(redis)
    # The statistics database (aggregates only) holds none of it.
    assert canary.encode() not in (redis_production.data_dir / "statistiques.sqlite3").read_bytes()
    assert canary not in redis_production.log()
    assert _files_containing(redis_production.tmpdir, canary.encode()) == []
    for url in ("apprenti/", "recapitulatif/", "cerfa.pdf", "dossier.json", ""):
        response = page.goto(base + url)
        assert response.status == 404, url
        assert canary not in page.content()
    redis.client().shutdown(nosave=False)  # what a stopped Redis leaves on disk
    assert _files_containing(redis.folder, canary.encode()) == []


def test_exported_json_uploaded_again_restores_every_field(page, live_url):
    upload_draft(page, live_url, EXAMPLE.read_bytes())
    assert page.url.endswith("/recapitulatif/")
    name, exported = keyboard_download(page, "Télécharger mes données (.json)")
    assert name == "cerfa-apprentissage-MOREAU-Inès.json"
    original = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    expected = copy.deepcopy(original)
    expected["apprenti"]["nom_usage"] = None  # an empty box is "not answered"
    expected["employeur"]["adresse"]["complement"] = None
    expected["formation"]["cfa"]["adresse"]["complement"] = None
    assert json.loads(exported) == expected

    upload_draft(page, live_url, exported)
    assert page.url.endswith("/recapitulatif/")
    _, again = keyboard_download(page, "Télécharger mes données (.json)")
    assert json.loads(again) == json.loads(exported)
    # And the steps show the values back in their boxes.
    page.goto(page.url.removesuffix("recapitulatif/") + "apprenti/")
    driver = Driver(page)
    assert driver.box("NIR de l'apprenti(e)").input_value() == "208056912304504"
    assert driver.box("Date de naissance").input_value() == "2008-05-14"


def test_javascript_fills_the_employer_from_its_siret_and_offers_communes(page):
    """With JavaScript, a SIRET fills the empty boxes and a shared postal code offers its
    communes: through the production server, from a fake upstream serving the recorded
    answers of the public APIs (the tests never touch the network)."""
    with FakeUpstream() as upstream:
        server = start_server(**upstream.environ())
        try:
            _fill_from_lookups(page, server.url)
        finally:
            # The page first: a live check of the field just left may still be on its way.
            page.close()
            server.stop()


def _fill_from_lookups(page, live_url):
    base = start_contract(page, live_url)
    page.goto(base + "employeur/")
    driver = Driver(page)
    driver.text("Code activité de l'entreprise (APE)", "1071C")  # typed: kept
    driver.text("N° SIRET de l'établissement d'exécution du contrat", "40123456200171")
    page.keyboard.press("Tab")
    page.wait_for_function(
        "() => document.querySelector('#id_employeur__denomination').value !== ''"
    )
    assert driver.box("Nom et prénom ou dénomination").input_value() == "CONSEIL ET METHODES"
    assert driver.box("Code activité de l'entreprise (APE)").input_value() == "1071C"
    # The address, nested in the answer, lands in its own boxes.
    assert driver.box("Code postal", within="Adresse de l'établissement").input_value() == "69006"
    assert driver.box("Commune", within="Adresse de l'établissement").input_value() == "LYON"
    assert "rempli(s) d’après le SIRET" in page.content()
    page.goto(page.url.replace("employeur", "apprenti"))
    driver.text("Code postal", "01300", within="Adresse de l'apprenti(e)")
    page.keyboard.press("Tab")
    page.wait_for_selector("#id_apprenti__adresse__commune-choix", state="attached")
    options = page.locator("#id_apprenti__adresse__commune-choix option").evaluate_all(
        "os => os.map(o => o.value)"
    )
    assert options == ["Belley", "Brens", "Magnieu"]
