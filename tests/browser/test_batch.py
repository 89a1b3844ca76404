"""« Plusieurs contrats » in a real Chromium against the production server (issue 10): a
30-row spreadsheet written here with three faulty rows is uploaded from the page the home
page links to, its table read, a faulty row opened in the wizard, fixed and brought back,
and the ZIP downloaded and opened; the same path without JavaScript, through the progress
page that refreshes itself.

The server does 20 ms of work per request on a batch (``CERFA_BATCH_STEP_MS``), so that
30 rows take several steps and the progress page is seen.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from pathlib import Path

import pytest

from cerfa.batch.outputs import LEFT_OUT_NAME
from cerfa.downloads import filename
from rules.dossier import Dossier
from tests.browser.driver import Driver
from tests.helpers import raw
from tests.server import start_server
from tests.test_sheets import _retyped, _table, _xlsx

pytestmark = pytest.mark.browser

ROWS = 30
BAD_DATE, BAD_SIRET, BAD_YES_NO = 4, 11, 20  # row indexes (spreadsheet lines 6, 13, 22)


@pytest.fixture(scope="module")
def served():
    server = start_server(CERFA_BATCH_STEP_MS="20")
    yield server
    server.stop()


def _spreadsheet() -> bytes:
    """Thirty contracts, the three fixtures in turn, each apprentice named apart; a date
    that does not exist, a SIRET whose key is wrong, a yes/no cell that is neither."""
    header, *fixtures = _retyped(_table())
    rows = []
    for i in range(ROWS):
        row = list(fixtures[i % len(fixtures)])
        row[header.index("apprenti.nom_naissance")] = f"Lot{i:02d}"
        rows.append(row)
    rows[BAD_DATE][header.index("apprenti.date_naissance")] = "31/02/2005"
    rows[BAD_SIRET][header.index("employeur.siret")] = "12345678901234"
    rows[BAD_YES_NO][header.index("apprenti.rqth")] = "peut-être"
    return _xlsx([header, *rows])


def _upload(page, url: str) -> None:
    page.goto(url + "/")
    link = page.get_by_role("link", name="Déposez-les en un seul tableau")
    with page.expect_navigation():
        link.click()
    assert page.url == url + "/lots/"
    page.get_by_label(re.compile("^Votre tableau de contrats")).set_input_files(
        {
            "name": "lot-septembre.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": _spreadsheet(),
        }
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Vérifier ces contrats").click()


def _check_table(page) -> None:
    assert page.locator("h1").inner_text() == "Résultats du lot"
    assert page.locator("tr[id^='ligne-']").count() == ROWS
    assert "30 contrats vérifiés, 3 à corriger" in page.content()
    date_row = page.locator(f"#ligne-{BAD_DATE}")
    assert "LOT04" in date_row.inner_text()
    assert (
        "Ligne 6, colonne « apprenti.date_naissance » : « 31/02/2005 » ne convient pas, il "
        "faut une date qui existe, jj/mm/aaaa." in date_row.inner_text()
    )
    assert "SIRET" in page.locator(f"#ligne-{BAD_SIRET}").inner_text()
    assert "il faut oui ou non" in page.locator(f"#ligne-{BAD_YES_NO}").inner_text()
    assert "Aucune erreur" in page.locator("#ligne-0").inner_text()


def _fix_the_date(page) -> None:
    """« Corriger » on the row, the date typed on the wizard's apprentice step, then
    « Revenir au lot »: the row shows the fixed contract."""
    with page.expect_navigation():
        page.locator(f"#ligne-{BAD_DATE}").get_by_role(
            "button", name=re.compile("^Corriger")
        ).click()
    assert page.url.endswith("/recapitulatif/"), page.url
    assert "Ligne 6 du lot ouverte" in page.content()
    base = page.url.removesuffix("recapitulatif/")
    page.goto(base + "apprenti/")
    driver = Driver(page)
    born = datetime.date.fromisoformat(raw("exemple.json")["apprenti"]["date_naissance"])
    driver.date("Date de naissance", born)
    driver.next()
    with page.expect_navigation():
        page.get_by_role("link", name="Revenir au lot").click()
    assert page.url.endswith(f"#ligne-{BAD_DATE}"), page.url
    row = page.locator(f"#ligne-{BAD_DATE}").inner_text()
    assert "31/02/2005" not in row
    assert "Aucune erreur (corrigée dans l’assistant)" in row
    assert "2 à corriger" in page.content()


def _download_zip(page) -> None:
    with page.expect_download() as info:
        page.get_by_role("button", name="Télécharger les CERFA (.zip)").click()
    download = info.value
    assert download.suggested_filename == "lot-cerfa-apprentissage.zip"
    archive = zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes()))
    names = archive.namelist()
    cerfas = [n for n in names if n.endswith(".pdf") and "points-a-verifier" not in n]
    points = [n for n in names if n.endswith("-points-a-verifier.pdf")]
    assert len(cerfas) == len(points) == ROWS - 1  # the yes/no row is still to fix
    assert all(archive.read(n).startswith(b"%PDF-") for n in cerfas + points)
    fixed = Dossier.from_dict(raw("exemple.json"))
    fixed.apprenti.nom_naissance = "Lot04"
    assert filename(fixed, "pdf") in cerfas
    assert "Ligne 22 (LOT20" in archive.read(LEFT_OUT_NAME).decode("utf-8-sig")


def _violations(page) -> str:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return results.generate_report() if results.violations_count else ""


def test_a_batch_with_javascript(served, context, shots):
    page = context.new_page()
    page.goto(served.url + "/lots/")
    assert _violations(page) == ""
    _upload(page, served.url)
    # The script follows the progress, then opens the table.
    page.wait_for_url(re.compile(r"/lots/[0-9a-f]{32}/$"), timeout=60_000)
    page.screenshot(path=str(shots / "lot-tableau.png"), full_page=True)
    _check_table(page)
    assert _violations(page) == ""
    _fix_the_date(page)
    _download_zip(page)


def test_a_batch_without_javascript(served, nojs_context, shots):
    page = nojs_context.new_page()
    _upload(page, served.url)
    assert page.url.endswith("/avancement/"), page.url
    assert page.locator("h1").inner_text() == "Vérification du lot en cours"
    assert page.locator("#barre-avancement").get_attribute("max") == str(ROWS)
    page.screenshot(path=str(shots / "lot-avancement.png"), full_page=True)
    # <meta http-equiv="refresh"> until every row is checked, then the table.
    page.wait_for_url(re.compile(r"/lots/[0-9a-f]{32}/$"), timeout=90_000)
    _check_table(page)
    _fix_the_date(page)
    _download_zip(page)


def test_two_server_processes_share_a_batch_through_redis():
    """The batch lives in the store only: with Redis, two servers serve it in turn."""
    from tests.e2e.conftest import Visitor
    from tests.server import start_redis

    redis = start_redis()
    one = start_server(REDIS_URL=redis.url, CERFA_BATCH_STEP_MS="20")
    two = start_server(REDIS_URL=redis.url, CERFA_BATCH_STEP_MS="20")
    try:
        visitor = Visitor(one.url)
        sent = visitor.post(
            "/lots/envoi/",
            {"csrfmiddlewaretoken": visitor.token()},
            files={"lot": ("lot.xlsx", _spreadsheet(), "application/octet-stream")},
        )
        assert sent.status_code == 302, sent.text[:500]
        progress = sent.headers["Location"]
        table = progress.removesuffix("avancement/")
        servers = [one.url, two.url]
        for turn in range(200):  # each step done by one server, then the other
            visitor.base = servers[turn % 2]
            answer = visitor.get(progress)
            if answer.status_code == 302:
                break
            assert answer.status_code == 200
        assert answer.status_code == 302 and answer.headers["Location"] == table
        assert turn >= 2  # both servers worked on it
        visitor.base = two.url
        text = visitor.get(table).text
        assert text.count('<tr id="ligne-') == ROWS
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)
        opened = visitor.post(f"{table}lignes/{BAD_DATE}/corriger/", {"csrfmiddlewaretoken": token})
        assert opened.status_code == 302 and "/recapitulatif/" in opened.headers["Location"]
        visitor.base = one.url
        assert "Revenir au lot" in visitor.get(opened.headers["Location"]).text
        back = visitor.get(f"{table}lignes/{BAD_DATE}/retour/")
        assert back.status_code == 302
        visitor.base = two.url
        archive = zipfile.ZipFile(io.BytesIO(visitor.get(table + "cerfa.zip").content))
        # The date row, taken back from the wizard, is the wizard's contract: it gets its PDF
        # (its missing date an error in its points à vérifier); the yes/no row does not.
        assert len([n for n in archive.namelist() if n.endswith(".pdf")]) == 2 * (ROWS - 1)
    finally:
        one.stop()
        two.stop()
        redis.stop()


def test_the_served_upload_url_alone_takes_a_batch_file_past_the_server_cap(served):
    """1.5 MB: past the server's 300 kB, read by the batch's upload URL (another URL gets
    the guard's 413); past its own cap, the guard's French 413."""
    from tests.e2e.conftest import Visitor

    visitor = Visitor(served.url)
    token = visitor.token()
    big = b"0" * 1_500_000
    answer = visitor.post(
        "/lots/envoi/", {"csrfmiddlewaretoken": token}, files={"lot": ("lot.xlsx", big)}
    )
    assert answer.status_code == 200
    assert "n&#x27;est pas un classeur XLSX lisible" in answer.text
    answer = visitor.post("/lots/", {"csrfmiddlewaretoken": token}, files={"lot": ("l.xlsx", big)})
    assert answer.status_code == 413  # the batch page itself: the server's cap
    answer = visitor.post(
        "/lots/envoi/", {"csrfmiddlewaretoken": token}, files={"lot": ("lot.xlsx", big * 4)}
    )
    assert answer.status_code == 413 and "Envoi trop volumineux" in answer.text
