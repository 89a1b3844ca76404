"""« Plusieurs contrats » (issue 10) through Django's test client: a batch file uploaded in
each format, its table, its limits, a row opened in the wizard and brought back, the ZIP
and the findings spreadsheet."""

from __future__ import annotations

import asyncio
import copy
import html
import io
import json
import re
import zipfile

import pytest
from python_calamine import CalamineWorkbook

from cerfa.batch import jobs, outputs, web
from cerfa.pdf.fill import fill_dossier
from cerfa.store import get_store
from cerfa.wizard import storage
from rules import sheet
from rules.dossier import Dossier
from tests.helpers import raw
from tests.test_cli import run
from tests.test_sheets import FIXTURES, WRITERS, _retyped, _table, _without_blanks, _xlsx


@pytest.fixture(autouse=True)
def _empty_store():
    get_store().clear()
    yield
    get_store().clear()


def _send(client, data: bytes, name: str):
    file = io.BytesIO(data)
    file.name = name
    return client.post("/lots/envoi/", {web.FIELD: file})


def _faulty_table(typed: bool = False):
    """The three fixtures, then two faulty rows: a date that does not exist (row 5, a
    cell the reader refuses) and a SIRET whose key is wrong (row 6, a rule's error).
    ``typed``: dates and yes/no as a spreadsheet program's cells (XLSX, ODS)."""
    rows = _retyped(_table()) if typed else _table()
    header = rows[0]
    bad_date = list(rows[1])
    bad_date[header.index("apprenti.date_naissance")] = "31/02/2005"
    bad_date[header.index("apprenti.nom_naissance")] = "Datefausse"
    bad_siret = list(rows[1])
    bad_siret[header.index("employeur.siret")] = "12345678901234"
    bad_siret[header.index("apprenti.nom_naissance")] = "Siretfaux"
    return rows + [bad_date, bad_siret]


def _uploaded(client, data: bytes, name: str) -> str:
    """Upload, follow the progress page to the table; the table's URL."""
    response = _send(client, data, name)
    assert response.status_code == 302, response.content.decode()[:800]
    progress = response.url
    assert re.fullmatch(r"/lots/[0-9a-f]{32}/avancement/", progress), progress
    for _ in range(50):
        response = client.get(progress)
        if response.status_code == 302:
            break
        assert response.status_code == 200
    assert response.status_code == 302
    assert response.url == progress.removesuffix("avancement/")
    return response.url


def _drafts_zip(names=FIXTURES) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, json.dumps(raw(name), ensure_ascii=False))
        archive.writestr("casse.json", "{")
    return out.getvalue()


def _batch(client) -> jobs.Batch:
    class Request:
        session = client.session

    batch = jobs.current(Request())
    assert batch is not None
    return batch


# -- the pages -------------------------------------------------------------------------


def test_the_home_page_links_to_the_batch_page_and_it_offers_the_model(client):
    home = client.get("/").content.decode()
    assert 'href="/lots/"' in home
    page = client.get("/lots/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "<h1>Plusieurs contrats</h1>" in text
    assert "sans interroger les annuaires en ligne" in text
    model = client.get("/lots/modele-lot-contrats.xlsx")
    assert model.status_code == 200
    assert model["Cache-Control"].startswith("max-age=0") or "no-store" in model["Cache-Control"]
    with CalamineWorkbook.from_filelike(io.BytesIO(model.content)) as book:
        header = next(iter(book.get_sheet_by_index(0).iter_rows()))
    assert "Nom de naissance de l’apprenti(e)" in [str(h) for h in header] or len(header) > 100


@pytest.mark.parametrize("kind", ["xlsx", "ods", "csv", "zip"])
def test_each_format_is_loaded_completed_checked_and_tabled(client, kind):
    if kind == "zip":
        data = _drafts_zip()
    else:
        data = WRITERS[kind](_table())
    table = _uploaded(client, data, f"lot.{kind}")
    text = client.get(table).content.decode()
    for name in FIXTURES:
        apprenti = raw(name)["apprenti"]
        assert f"{apprenti['nom_naissance'].upper()} {apprenti['prenom']}" in text
        assert raw(name)["employeur"]["denomination"] in text
    batch = _batch(client)
    if kind == "zip":
        assert batch.total == 4
        broken = batch.row(3)
        assert broken["fichier"] == "casse.json" and broken["dossier"] is None
        assert "casse.json" in text and "Illisible" in text
    else:
        assert batch.total == 3
        assert [row["ligne"] for _, row in batch.rows()] == [2, 3, 4]
    # Completed: each row's dossier is what complete --hors-ligne makes of its fixture.
    from cerfa.completion import complete_dossier

    for index, name in enumerate(FIXTURES):
        completed, _ = complete_dossier(Dossier.from_dict(raw(name)), use_lookups=False)
        row = Dossier.from_dict(batch.row(index)["dossier"])
        assert _without_blanks(row) == _without_blanks(completed)


def test_a_malformed_cell_is_its_rows_french_message_and_the_others_go_on(client):
    table = _uploaded(client, WRITERS["csv"](_faulty_table()), "lot.csv")
    text = client.get(table).content.decode()
    assert (
        "Ligne 5, colonne « apprenti.date_naissance » : « 31/02/2005 » ne convient pas, "
        "il faut une date qui existe, jj/mm/aaaa." in text
    )
    batch = _batch(client)
    assert batch.total == 5
    counts = batch.head["counts"]
    assert counts[3][0] >= 1 and counts[3][2] == 0  # row 5: an error, no PDF
    assert counts[4][0] >= 1 and counts[4][2] == 1  # row 6: a rule's error, a PDF all the same
    siret = [f for f in batch.row(4)["findings"] if "employeur.siret" in f["fields"]]
    assert any(f["level"] == "error" for f in siret)
    # The readable part of row 5 is kept, to be opened in the wizard.
    assert batch.row(3)["dossier"]["apprenti"]["nom_naissance"] == "Datefausse"
    assert batch.row(3)["dossier"]["apprenti"]["date_naissance"] is None


def test_a_long_batch_shows_its_progress_page_then_the_table(client, settings):
    settings.CERFA_BATCH_STEP_MS = 0  # one row a request
    response = _send(client, WRITERS["csv"](_table()), "lot.csv")
    progress = response.url
    page = client.get(progress)
    assert page.status_code == 200
    text = page.content.decode()
    assert '<noscript><meta http-equiv="refresh" content="1"></noscript>' in text
    assert re.search(r'<progress id="barre-avancement" max="3" value="1">', text), text
    assert "js/batch.js" in text
    state = client.get(progress.replace("avancement/", "avancement.json")).json()
    assert state == {
        "faites": 2,
        "total": 3,
        "termine": False,
        "tableau": progress.removesuffix("avancement/"),
    }
    assert client.get(progress.removesuffix("avancement/")).url == progress  # not yet
    assert client.get(progress).status_code == 302  # the last row: done


def test_a_lock_held_by_another_request_leaves_the_work_to_it(client):
    response = _send(client, WRITERS["csv"](_table()), "lot.csv")
    batch = _batch(client)
    get_store().create("contrat", jobs._lock_key(batch.secret), {}, 60)
    assert client.get(response.url).status_code == 200
    assert _batch(client).done == 0
    get_store().delete(jobs._lock_key(batch.secret))
    assert client.get(response.url).status_code == 302


# -- limits ----------------------------------------------------------------------------


def _refused(client, data: bytes, name: str) -> str:
    response = _send(client, data, name)
    assert response.status_code == 200
    text = response.content.decode()
    assert "fr-upload-group--error" in text
    found = re.search(r'<p class="fr-error-text" id="lot-erreur">([^<]*)</p>', text).group(1)
    return html.unescape(found)


def test_too_many_rows_too_large_or_no_spreadsheet_is_a_french_message_and_nothing_lost(
    client, settings, monkeypatch
):
    table = _uploaded(client, WRITERS["csv"](_table()), "lot.csv")
    kept = _batch(client).id

    monkeypatch.setattr(sheet, "MAX_ROWS", 2)
    assert _refused(client, WRITERS["csv"](_table()), "lot.csv") == (
        "Le tableau a plus de 2 lignes de contrats : partagez-le en plusieurs fichiers."
    )
    monkeypatch.undo()

    settings.CERFA_BATCH_UPLOAD_BYTES = 20_000
    big = WRITERS["csv"](_table() + [_table()[1]] * 30)
    assert len(big) > 20_000
    assert _refused(client, big, "lot.csv") == (
        "Le fichier fait plus de 0,02 Mo : partagez le tableau en plusieurs fichiers."
    )
    settings.CERFA_BATCH_UPLOAD_BYTES = 5_000_000

    assert _refused(client, b"%PDF-1.7", "contrat.pdf").startswith(
        "Ce fichier n'est pas un tableau"
    )
    assert _refused(client, b"pas un classeur", "lot.xlsx") == (
        "Le fichier n'est pas un classeur XLSX lisible : enregistrez-le de nouveau depuis "
        "votre tableur."
    )
    assert _refused(client, b"", "lot.csv").startswith("Le fichier est vide")
    assert _refused(client, b"nom;prenom\r\nA;B\r\n", "lot.csv").startswith(
        "La première ligne ne nomme aucune colonne connue"
    )
    # The batch before is still there, whole.
    assert _batch(client).id == kept
    assert client.get(table).status_code == 200


def test_the_upload_cap_is_a_setting_and_the_asgi_cap_allows_it_for_this_url_only(settings):
    from cerfa.asgi import RequestLimits

    settings.CERFA_BATCH_UPLOAD_BYTES = 1_000_000
    assert web.max_upload_bytes() == 1_000_000
    settings.CERFA_BATCH_UPLOAD_BYTES = 50_000_000  # never past what the reader reads
    assert web.max_upload_bytes() == 5_000_000
    route = web.upload_route()
    assert route.prefix == "/lots/envoi/" and route.max_body == 5_000_000 + web.FORM_MARGIN

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    guard = RequestLimits(
        app, max_body=300_000, body_seconds=5, page=lambda code: b"refus", routes=[route]
    )

    def status(path: str, size: int) -> int:
        sent = []

        async def receive():
            return {"type": "http.request", "body": b"0" * size, "more_body": False}

        async def send(message):
            sent.append(message)

        scope = {
            "type": "http",
            "method": "POST",
            "path": path,
            "headers": [(b"content-length", str(size).encode())],
        }
        asyncio.run(guard(scope, receive, send))
        return sent[0]["status"]

    assert status("/lots/envoi/", 4_000_000) == 200
    assert status("/lots/envoi/", 5_200_000) == 413
    assert status("/contrat/reprendre/", 400_000) == 413
    assert status("/lots/0123/", 400_000) == 413


def test_a_batch_too_large_for_the_store_is_refused_in_french(client, monkeypatch):
    monkeypatch.setattr(jobs, "MAX_BATCH_BYTES", 1_000)
    assert _refused(client, WRITERS["csv"](_table()), "lot.csv").startswith(
        "Ce lot est trop volumineux pour être tenu en mémoire"
    )
    assert not any(":lot:" in key for key in get_store().keys())


# -- to the wizard and back ------------------------------------------------------------


def _open(client, table: str, index: int):
    return client.post(f"{table}lignes/{index}/corriger/")


def _contract_key(base: str) -> str:
    hex_id = base.strip("/").split("/")[-1].replace("-", "")
    (key,) = [k for k in get_store().keys() if k.endswith(":" + hex_id) and ":contrat:" in k]
    return key


def test_a_row_opens_as_a_contract_of_the_session_and_comes_back_fixed(client):
    table = _uploaded(client, WRITERS["csv"](_faulty_table()), "lot.csv")
    assert not storage.contract_ids(type("R", (), {"session": client.session})())
    response = _open(client, table, 3)  # row 5, the date that does not exist
    assert response.status_code == 302
    base = re.match(r"^(/contrat/[0-9a-f-]{36}/)", response.url).group(1)
    review = client.get(response.url).content.decode()
    assert "Ligne 5 du lot ouverte" in review
    back = f"{table}lignes/3/retour/"
    assert f'href="{back}"' in review and "Revenir au lot" in review
    # Opening it again goes to the same contract: one contract per row.
    assert _open(client, table, 3).url.startswith(base)
    # The user types the date in the wizard.
    data = get_store().get(_contract_key(base))
    step = {name: values[0] for name, values in data["step_data"]["apprenti"].items()}
    step.update(
        {
            "apprenti__date_naissance": "2005-02-28",
            "contrat_" + base.strip("/").split("/")[-1].replace("-", "") + "-current_step": (
                "apprenti"
            ),
            "cerfa_continuer": "1",
        }
    )
    assert client.post(base + "apprenti/", step).status_code == 302
    response = client.get(back)
    assert response.status_code == 302 and response.url == table + "#ligne-3"
    text = client.get(table).content.decode()
    row = re.search(r'<tr id="ligne-3">(.*?)</tr>', text, re.S).group(1)
    assert "31/02/2005" not in row
    batch = _batch(client)
    assert batch.row(3)["dossier"]["apprenti"]["date_naissance"] == "2005-02-28"
    assert batch.row(3)["problemes"] == [] and batch.head["counts"][3][2] == 1
    # An ordinary contract has no « Revenir au lot ».
    other = client.post("/contrat/nouveau/").url
    assert "Revenir au lot" not in client.get(other).content.decode()


def test_rows_open_up_to_the_contracts_a_session_holds_with_a_french_message(client, settings):
    settings.CERFA_CONTRACTS_PER_SESSION = 2
    table = _uploaded(client, WRITERS["csv"](_faulty_table()), "lot.csv")
    assert _open(client, table, 0).status_code == 302
    assert _open(client, table, 1).status_code == 302
    refused = _open(client, table, 2)
    assert refused.status_code == 409
    assert "Vous avez déjà 2 contrats ouverts dans ce navigateur" in refused.content.decode()
    contracts = [
        k for k in get_store().keys() if k.startswith("cerfa:contrat:") and ":lot:" not in k
    ]
    assert len(contracts) == 2


def test_erasing_the_last_contract_keeps_the_batch_and_effacer_erases_it(client):
    table = _uploaded(client, WRITERS["csv"](_table()), "lot.csv")
    base = re.match(r"^(/contrat/[0-9a-f-]{36}/)", _open(client, table, 0).url).group(1)
    assert client.post(base + "effacer/").status_code == 302
    assert client.get(table).status_code == 200
    confirm = client.get(table + "effacer/")
    assert "Effacer ce lot ?" in confirm.content.decode()
    assert client.post(table + "effacer/").status_code == 302
    assert not any(":lot:" in key for key in get_store().keys())
    assert client.get(table).status_code == 404
    assert "Ce lot n’est plus disponible" in client.get(table).content.decode()


def test_a_batch_of_another_session_is_not_found(client):
    from django.test import Client

    table = _uploaded(client, WRITERS["csv"](_table()), "lot.csv")
    stranger = Client()
    assert stranger.get(table).status_code == 404
    assert stranger.get(table + "cerfa.zip").status_code == 404
    assert stranger.post(table + "lignes/0/corriger/").status_code == 404


# -- downloads -------------------------------------------------------------------------


def _zip(client, table: str, query: str = "") -> zipfile.ZipFile:
    response = client.get(table + "cerfa.zip" + query)
    assert response.status_code == 200
    assert response.streaming and response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.parametrize("flatten", [False, True], ids=["modifiables", "aplatis"])
def test_the_zip_holds_one_cerfa_per_row_and_its_findings_named_as_the_cli_names_them(
    client, tmp_path, flatten
):
    rows = _faulty_table() + [copy.copy(_table()[1])]  # a namesake of row 2: -2
    data = WRITERS["csv"](rows)
    table = _uploaded(client, data, "lot.csv")
    archive = _zip(client, table, "?version=aplatie" if flatten else "")
    names = archive.namelist()
    (tmp_path / "lot.csv").write_bytes(data)
    run("fill", str(tmp_path / "lot.csv"), "-o", str(tmp_path / "pdf"), *(["--flatten"] * flatten))
    cli = sorted(p.name for p in (tmp_path / "pdf").iterdir())
    pdfs = sorted(n for n in names if n.endswith(".pdf") and "points-a-verifier" not in n)
    assert pdfs == cli and len(cli) == 5  # six rows, the unreadable date left out
    points = [n for n in names if "points-a-verifier" in n]
    assert len(points) == 5 and all(archive.read(n).startswith(b"%PDF-") for n in points)
    assert outputs.LEFT_OUT_NAME in names
    assert "Ligne 5 (DATEFAUSSE" in archive.read(outputs.LEFT_OUT_NAME).decode("utf-8-sig")
    batch = _batch(client)
    first = Dossier.from_dict(batch.row(0)["dossier"])
    expected = fill_dossier(first, flatten=flatten).pdf
    name = "cerfa-apprentissage-MOREAU-Ines" + ("-non-modifiable.pdf" if flatten else ".pdf")
    assert archive.read(name) == expected


def test_the_findings_spreadsheet_has_one_line_per_finding(client):
    table = _uploaded(client, _xlsx(_faulty_table(typed=True)), "lot.xlsx")
    response = client.get(table + "points-a-verifier.xlsx")
    assert response.status_code == 200
    with CalamineWorkbook.from_filelike(io.BytesIO(response.content)) as book:
        lines = [list(map(str, r)) for r in book.get_sheet_by_index(0).iter_rows()]
    assert lines[0] == ["Ligne", "Apprenti(e)", "Niveau", "Champ", "Message"]
    batch = _batch(client)
    expected = sum(len(row["findings"]) + len(row["problemes"]) for _, row in batch.rows())
    assert len(lines) - 1 == expected
    assert [
        "Ligne 5",
        "DATEFAUSSE Inès",
        "Erreur",
        "",
        "Ligne 5, colonne « apprenti.date_naissance » : « 31/02/2005 » ne convient pas, "
        "il faut une date qui existe, jj/mm/aaaa.",
    ] in lines
    siret = [line for line in lines if line[0] == "Ligne 6" and line[2] == "Erreur"]
    assert siret and any("SIRET" in line[3] for line in siret), siret


def test_the_site_map_links_the_batch_page(client):
    assert 'href="/lots/"' in client.get("/plan-du-site/").content.decode()


def test_the_bench_measures_the_fixtures_as_rows_of_a_spreadsheet():
    from cerfa.batch import bench
    from tests.helpers import DOSSIERS

    rows, ignored = jobs.read_file(bench.sheet_bytes(len(DOSSIERS) + 1), "lot.csv")
    assert ignored == [] and len(rows) == len(DOSSIERS) + 1
    assert [r["problemes"] for r in rows] == [[]] * len(rows)
    for row, path in zip(rows, [*DOSSIERS, DOSSIERS[0]], strict=True):
        expected = Dossier.from_json(path.read_text(encoding="utf-8"))
        assert _without_blanks(Dossier.from_dict(row["dossier"])) == _without_blanks(expected)


def test_a_full_store_refuses_a_new_batch_and_keeps_nothing_of_it(client, monkeypatch):
    from cerfa.store import StoreFull

    store = get_store()
    made = []
    real_create = store.create

    def create(kind, key, value, ttl):
        if ":lot:" in key:
            if made:  # room for the first chunk only
                raise StoreFull(kind)
            made.append(key)
        return real_create(kind, key, value, ttl)

    monkeypatch.setattr(store, "create", create)
    response = _send(client, WRITERS["csv"](_table()), "lot.csv")
    assert response.status_code == 503
    assert "Service momentanément saturé" in response.content.decode()
    assert made and not any(":lot:" in key for key in store.keys())
    assert jobs.SESSION_KEY not in client.session


def test_working_on_a_row_in_the_wizard_keeps_the_batch_alive(client, monkeypatch):
    table = _uploaded(client, WRITERS["csv"](_table()), "lot.csv")
    base = re.match(r"^(/contrat/[0-9a-f-]{36}/)", _open(client, table, 0).url).group(1)
    touched = []
    monkeypatch.setattr(jobs.Batch, "touch", lambda self: touched.append(self.id))
    assert "Revenir au lot" in client.get(base + "apprenti/").content.decode()
    assert touched == [_batch(client).id]
