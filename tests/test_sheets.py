"""Batches from a spreadsheet (issue 10): real XLSX (openpyxl), ODS (odfpy) and CSV files
written here, read into dossiers (rules/sheet.py, cerfa/batch/) and by the command line."""

from __future__ import annotations

import datetime
import io
import json
import zipfile

import pytest
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P
from openpyxl import Workbook

from cerfa.batch import reading
from cerfa.batch.labels import column_labels, path_labels
from cerfa.pdf.fill import fill_dossier
from rules import sheet
from rules.dossier import Dossier
from tests.helpers import load, raw, read_fields
from tests.test_cli import run

FIXTURES = ("exemple.json", "deux-maitres.json", "mineur-representant-legal.json")


def _flat(data, base=""):
    """Dossier path → value of every answered leaf of a format v1 dict."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key != "format":
                yield from _flat(value, f"{base}.{key}" if base else key)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _flat(value, f"{base}.{index}")
    elif data is not None and data != "":
        yield base, data


def _as_typed(path, value, kind):
    """A value as a person (or a spreadsheet program) writes it in a cell: ``kind`` is
    "texte" (CSV: French dates, oui/non, decimal commas) or "classeur" (real date, number
    and boolean cells where the program makes them)."""
    hint = sheet.LEAVES[path]
    if hint is datetime.date:
        day = datetime.date.fromisoformat(value)
        return day if kind == "classeur" else day.strftime("%d/%m/%Y")
    if hint is bool:
        return value if kind == "classeur" else ("oui" if value else "non")
    if kind == "texte" and not isinstance(value, bool) and isinstance(value, int | float):
        return str(value).replace(".", ",")
    if hint.__name__ == "Decimal" and kind == "texte":
        return value.replace(".", ",")
    return value


def _table(names=FIXTURES, kind="texte", header="paths"):
    """The header row and one row per fixture."""
    flats = [dict(_flat(raw(name))) for name in names]
    paths = [p for p in sheet.LEAVES if any(p in flat for flat in flats)]
    labels = path_labels()
    top = [labels.get(p, p) if header == "labels" else p for p in paths]
    return [top] + [[_as_typed(p, f[p], kind) if p in f else None for p in paths] for f in flats]


def _xlsx(rows) -> bytes:
    book = Workbook()
    page = book.active
    for row in rows:
        page.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _ods(rows) -> bytes:
    doc = OpenDocumentSpreadsheet()
    table = Table(name="Contrats")
    for row in rows:
        line = TableRow()
        for value in row:
            if value is None:
                cell = TableCell()
            elif isinstance(value, bool):
                cell = TableCell(valuetype="boolean", booleanvalue=str(value).lower())
            elif isinstance(value, datetime.date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
            elif isinstance(value, int | float):
                cell = TableCell(valuetype="float", value=value)
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
            line.addElement(cell)
        table.addElement(line)
    doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


def _csv(rows, encoding="cp1252", delimiter=";") -> bytes:
    text = io.StringIO()
    for row in rows:
        cells = ["" if v is None else str(v) for v in row]
        text.write(delimiter.join(f'"{c}"' if delimiter in c or '"' in c else c for c in cells))
        text.write("\r\n")
    return text.getvalue().encode(encoding)


WRITERS = {
    "xlsx": lambda rows: _xlsx(_retyped(rows)),
    "ods": lambda rows: _ods(_retyped(rows)),
    "csv": _csv,
}


def _retyped(rows):
    """The same table as a spreadsheet program holds it: real dates and booleans."""
    header, *body = rows
    out = [header]
    for row in body:
        cells = []
        for name, value in zip(header, row, strict=True):
            path = column_labels().get(name, name)
            if isinstance(value, str) and sheet.LEAVES[path] is datetime.date:
                value = datetime.datetime.strptime(value, "%d/%m/%Y").date()
            elif isinstance(value, str) and sheet.LEAVES[path] is bool:
                value = value == "oui"
            cells.append(value)
        out.append(cells)
    return out


def _read(data, name):
    rows, ignored = sheet.read_table(reading.rows_of(data, name), column_labels())
    return rows, ignored


def _without_blanks(dossier: Dossier) -> dict:
    """A blank text and a missing one both mean « not answered » (format v1)."""
    return json.loads(json.dumps(dossier.to_dict()).replace('""', "null"))


# -- every value where its path says ----------------------------------------------------


@pytest.mark.parametrize("suffix", sorted(WRITERS))
@pytest.mark.parametrize("header", ["paths", "labels"])
def test_three_fixtures_as_three_rows_give_the_three_dossiers(suffix, header):
    data = WRITERS[suffix](_table(header=header))
    rows, ignored = _read(data, f"lot.{suffix}")
    assert ignored == []
    assert [row.number for row in rows] == [2, 3, 4]
    for row, name in zip(rows, FIXTURES, strict=True):
        assert row.problems == [] and row.infos == []
        assert _without_blanks(row.dossier) == _without_blanks(load(name))


def test_a_csv_in_utf8_with_its_bom_and_commas_reads_the_same():
    data = b"\xef\xbb\xbf" + _csv(_table(), encoding="utf-8", delimiter=",")
    rows, _ = _read(data, "lot.csv")
    assert [_without_blanks(r.dossier) for r in rows] == [
        _without_blanks(load(n)) for n in FIXTURES
    ]


def test_the_cli_fills_an_ods_into_pdfs_that_read_back_as_the_json_fills(tmp_path):
    source = tmp_path / "lot.ods"
    source.write_bytes(WRITERS["ods"](_table()))
    out = tmp_path / "pdf"
    status, stdout, err = run("fill", str(source), "-o", str(out))
    assert status == 0, err
    assert "3 PDF écrit(s)" in stdout
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "cerfa-apprentissage-GARNIER-Lucas.pdf",
        "cerfa-apprentissage-MOREAU-Ines-2.pdf",
        "cerfa-apprentissage-MOREAU-Ines.pdf",
    ]
    expected = {
        "cerfa-apprentissage-MOREAU-Ines.pdf": "exemple.json",
        "cerfa-apprentissage-MOREAU-Ines-2.pdf": "deux-maitres.json",
        "cerfa-apprentissage-GARNIER-Lucas.pdf": "mineur-representant-legal.json",
    }
    for pdf, name in expected.items():
        assert read_fields((out / pdf).read_bytes()) == read_fields(fill_dossier(load(name)).pdf)


def test_the_cli_checks_an_xlsx_row_by_row(tmp_path):
    source = tmp_path / "lot.xlsx"
    source.write_bytes(WRITERS["xlsx"](_table()))
    status, stdout, err = run("check", str(source), "--json")
    assert status in (0, 1), err
    lines = json.loads(stdout)["lignes"]
    assert [line["ligne"] for line in lines] == [2, 3, 4]
    for line, name in zip(lines, FIXTURES, strict=True):
        path = tmp_path / name
        path.write_text(json.dumps(raw(name), ensure_ascii=False), encoding="utf-8")
        _, alone, _ = run("check", str(path), "--json")
        assert line["findings"] == json.loads(alone)["findings"]
    status, stdout, _ = run("check", str(source))
    assert stdout.startswith("Ligne 2 (MOREAU Inès) :")


def test_the_cli_completes_a_csv(tmp_path):
    source = tmp_path / "lot.csv"
    source.write_bytes(_csv(_table()))
    status, stdout, err = run("complete", str(source), "--hors-ligne")
    assert status == 0, err
    completed = json.loads(stdout)
    assert [d["apprenti"]["nom_naissance"] for d in completed] == ["Moreau", "Moreau", "Garnier"]
    assert all(d["format"] == "cerfa-fa13/1" for d in completed)
    status, stdout, _ = run("complete", str(source), "--hors-ligne", "--json")
    assert [e["ligne"] for e in json.loads(stdout)] == [2, 3, 4]


def test_remuneration_columns_named_by_labels_are_rows_of_the_grid():
    labels = path_labels()
    header = [labels["apprenti.nom_naissance"], labels["contrat.remunerations.2.taux"]]
    assert header[1] == "Rémunération 2ème année, période 1 : % du SMIC ou du SMC"
    (row,), _ = sheet.read_table([header, ["Moreau", "51,5"]], column_labels())
    (line,) = row.dossier.contrat.remunerations
    assert (line.annee, line.periode, line.taux) == (2, 1, 51.5)


# -- cells as people type them ----------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "cell", "expected"),
    [
        ("apprenti.date_naissance", "01/03/2005", "2005-03-01"),
        ("apprenti.date_naissance", "1/3/2005", "2005-03-01"),
        ("apprenti.date_naissance", "2005-03-01", "2005-03-01"),
        ("apprenti.date_naissance", datetime.datetime(2005, 3, 1), "2005-03-01"),
        ("apprenti.rqth", "Oui", True),
        ("apprenti.rqth", "FAUX", False),
        ("apprenti.rqth", "true", True),
        ("apprenti.rqth", "0", False),
        ("apprenti.rqth", 1.0, True),
        ("contrat.remunerations.0.taux", "43,5", 43.5),
        ("contrat.remunerations.0.taux", 43.0, 43),
        ("contrat.salaire_brut_embauche", "1 823,03", "1823.03"),
        ("contrat.salaire_brut_embauche", 1823.03, "1823.03"),
        ("employeur.effectif", "12", 12),
        ("employeur.effectif", 12.0, 12),
        ("employeur.code_ape", "5610A", "5610A"),
    ],
)
def test_a_cell_as_typed_gives_the_format_value(path, cell, expected):
    assert sheet.value_of(path, sheet.LEAVES[path], cell) == (expected, None)


@pytest.mark.parametrize(
    ("path", "cell", "expected"),
    [
        ("employeur.code_idcc", 843.0, "0843"),
        ("apprenti.departement_naissance", 1.0, "01"),
        ("employeur.adresse.code_postal", "1400", "01400"),
        ("formation.code_diplome", 5020201, "05020201"),
        ("apprenti.telephone", 612345678, "0612345678"),
    ],
)
def test_a_code_that_lost_its_leading_zeros_gets_them_back(path, cell, expected):
    assert sheet.value_of(path, sheet.LEAVES[path], cell) == (expected, str(int(cell)))


def test_restored_zeros_are_said_as_an_info_by_check(tmp_path):
    rows = _table(names=("exemple.json",), kind="classeur", header="labels")
    labels = path_labels()
    rows[1][rows[0].index(labels["employeur.code_idcc"])] = 2596  # a number cell: no loss
    rows[1][rows[0].index(labels["apprenti.departement_naissance"])] = 1
    rows[1][rows[0].index(labels["employeur.adresse.code_postal"])] = 1400
    source = tmp_path / "lot.xlsx"
    source.write_bytes(_xlsx(rows))
    (row,), _ = _read(source.read_bytes(), "lot.xlsx")
    assert row.dossier.apprenti.departement_naissance == "01"
    assert row.dossier.employeur.adresse.code_postal == "01400"
    assert row.dossier.employeur.code_idcc == "2596"
    assert [f.fields for f in row.infos] == [
        ("employeur.adresse.code_postal",),
        ("apprenti.departement_naissance",),
    ]
    assert all(f.level == "info" for f in row.infos)
    _, stdout, _ = run("check", str(source))
    assert "« 1400 » lu « 01400 »" in stdout and "Ligne 2, colonne « Code postal" in stdout


@pytest.mark.parametrize(
    ("path", "cell", "expected"),
    [
        ("apprenti.date_naissance", "31/02/2005", "une date qui existe"),
        ("apprenti.date_naissance", "mars 2005", "une date jj/mm/aaaa"),
        ("apprenti.date_naissance", "01/03/1850", "entre 1900 et 2199"),
        ("apprenti.rqth", "peut-être", "oui ou non"),
        ("employeur.effectif", "douze", "un nombre entier"),
        ("employeur.effectif", "12,5", "un nombre entier"),
        ("contrat.remunerations.0.taux", "beaucoup", "un nombre"),
        ("contrat.salaire_brut_embauche", "1823,035", "deux décimales au plus"),
        ("apprenti.nom_naissance", "M" * 325, "324 caractères au plus"),
        ("employeur.effectif", "1" * 101, "une valeur courte"),
        ("employeur.effectif", "9" * 20, "au plus 16 chiffres"),
        ("employeur.effectif", 1e300, "au plus 16 chiffres"),
        ("contrat.remunerations.0.taux", "9" * 20, "au plus 16 chiffres"),
    ],
)
def test_a_malformed_cell_says_what_is_expected(path, cell, expected):
    with pytest.raises(sheet.CellError, match=expected):
        sheet.value_of(path, sheet.LEAVES[path], cell)


def test_a_bad_cell_is_one_line_and_the_other_rows_are_filled(tmp_path):
    rows = _table()
    column = rows[0].index("apprenti.date_naissance")
    rows[2][column] = "31/02/2005"
    source = tmp_path / "lot.csv"
    source.write_bytes(_csv(rows))
    out = tmp_path / "pdf"
    status, stdout, err = run("fill", str(source), "-o", str(out))
    assert status == 2
    assert err.strip().count("\n") == 0
    assert "Ligne 3, colonne « apprenti.date_naissance »" in err
    assert "« 31/02/2005 » ne convient pas, il faut une date qui existe" in err
    assert sorted(p.name for p in out.iterdir()) == [
        "cerfa-apprentissage-GARNIER-Lucas.pdf",
        "cerfa-apprentissage-MOREAU-Ines.pdf",
    ]
    assert "2 PDF écrit(s)" in stdout
    status, stdout, err = run("check", str(source), "--json")
    assert status == 2
    assert json.loads(stdout)["lignes"][1] == {
        "ligne": 3,
        "erreurs": [
            "Ligne 3, colonne « apprenti.date_naissance » : « 31/02/2005 » ne convient pas, "
            "il faut une date qui existe, jj/mm/aaaa."
        ],
    }


def test_a_bad_cell_under_a_label_names_the_label():
    labels = path_labels()
    header = [labels["apprenti.nom_naissance"], labels["apprenti.date_naissance"]]
    (row,), _ = sheet.read_table([header, ["Moreau", "hier"]], column_labels())
    assert row.dossier is None
    assert row.problems == [
        f"Ligne 2, colonne « {header[1]} » : « hier » ne convient pas, il faut une date jj/mm/aaaa."
    ]


def test_headers_unknown_twice_or_absent(tmp_path):
    header = ["apprenti.nom_naissance", "Couleur préférée", "apprenti.prenom"]
    (row,), ignored = sheet.read_table([header, ["Moreau", "bleu", "Inès"]], {})
    assert row.dossier.apprenti.prenom == "Inès"
    assert ignored == [
        "Colonne « Couleur préférée » ignorée : ce n'est ni un libellé du modèle ni un chemin "
        "du format de dossier (par exemple « apprenti.nom_naissance »)."
    ]
    labels = column_labels()
    twice = ["apprenti.nom_naissance", path_labels()["apprenti.nom_naissance"]]
    with pytest.raises(sheet.SheetError, match="donnent toutes deux « apprenti.nom_naissance »"):
        sheet.read_table([twice, ["a", "b"]], labels)
    with pytest.raises(sheet.SheetError, match="ne nomme aucune colonne connue"):
        sheet.read_table([["nom", "prénom"], ["a", "b"]], labels)
    source = tmp_path / "lot.csv"
    source.write_bytes(_csv([header, ["Moreau", "bleu", "Inès"]]))
    status, _, err = run("check", str(source))
    assert status == 1 and err.startswith("Attention : ") and "Couleur préférée" in err


def test_a_label_is_read_whatever_its_case_accents_and_asterisk():
    (row,), _ = sheet.read_table(
        [["NOM DE NAISSANCE DE L’APPRENTI(E) *"], ["Moreau"]], column_labels()
    )
    assert row.dossier.apprenti.nom_naissance == "Moreau"


def test_every_wizard_label_names_one_path():
    labels = column_labels()
    assert len(set(labels.values())) == len(labels)
    assert len({sheet.normalized_label(label) for label in labels}) == len(labels)
    assert labels["Nom de naissance de l'apprenti(e)"] == "apprenti.nom_naissance"
    assert labels["Code postal de l'employeur"] == "employeur.adresse.code_postal"


# -- limits -----------------------------------------------------------------------------


def test_at_most_2000_rows():
    header = ["apprenti.nom_naissance"]
    rows, _ = sheet.read_table([header] + [["Moreau"]] * sheet.MAX_ROWS, {})
    assert sheet.MAX_ROWS == 2_000 and len(rows) == 2_000
    with pytest.raises(sheet.SheetError, match="plus de 2000 lignes"):
        sheet.read_table([header] + [["Moreau"]] * (sheet.MAX_ROWS + 1), {})


def test_blank_rows_are_skipped_but_keep_the_numbering():
    rows, _ = sheet.read_table([["apprenti.prenom"], [None], ["  "], ["Inès"]], {})
    assert [(r.number, r.dossier.apprenti.prenom) for r in rows] == [(4, "Inès")]


def test_a_2001_row_csv_with_blank_lines_is_refused_not_cut():
    lines = ["apprenti.nom_naissance"] + ["Moreau", ""] * (sheet.MAX_ROWS + 1)
    with pytest.raises(sheet.SheetError, match="plus de 2000 lignes"):
        _read("\n".join(lines).encode(), "lot.csv")


def test_file_size_is_capped(tmp_path):
    assert reading.MAX_FILE == 5_000_000
    with pytest.raises(sheet.SheetError, match="plus de 5 Mo"):
        reading.rows_of(b"a;b\n" + b"x" * reading.MAX_FILE, "lot.csv")
    source = tmp_path / "lot.csv"
    source.write_bytes(b"a;b\n" + b"x" * reading.MAX_FILE)
    status, _, err = run("check", str(source))
    assert status == 2 and "plus de 5 Mo" in err


def test_a_workbook_that_unpacks_too_big_is_refused_before_parsing(monkeypatch):
    data = _xlsx([["apprenti.nom_naissance"], ["Moreau"]])
    monkeypatch.setattr(reading, "MAX_UNZIPPED", 1_000)
    with pytest.raises(sheet.SheetError, match="décompressé ferait plus de"):
        reading.rows_of(data, "lot.xlsx")
    assert reading.MAX_UNZIPPED == 1_000
    monkeypatch.undo()
    assert [r.dossier.apprenti.nom_naissance for r in _read(data, "lot.xlsx")[0]] == ["Moreau"]


@pytest.mark.parametrize("suffix", ["xlsx", "ods"])
def test_a_file_that_is_no_workbook_says_so(suffix):
    with pytest.raises(sheet.SheetError, match=f"pas un classeur {suffix.upper()} lisible"):
        reading.rows_of(b"PK not a zip at all", f"lot.{suffix}")
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("content.xml", "<pas du tableur")
    with pytest.raises(sheet.SheetError, match="lisible"):
        reading.rows_of(broken.getvalue(), f"lot.{suffix}")


def test_a_csv_neither_utf8_nor_windows_1252_says_so():
    with pytest.raises(sheet.SheetError, match="ni en UTF-8 ni en Windows-1252"):
        reading.rows_of("apprenti.prenom\nInès".encode()[:-1] + b"\x81", "lot.csv")


def test_at_most_500_columns():
    assert sheet.MAX_COLUMNS == 500
    sheet.columns(["apprenti.prenom"] + [None] * 499, {})
    with pytest.raises(sheet.SheetError, match="501 colonnes, pour 500 au plus"):
        sheet.columns(["apprenti.prenom"] + [None] * 500, {})


def test_a_csv_the_csv_module_refuses_gets_a_french_line():
    """A cell past the csv module's field size limit (128 kB): its own message is English."""
    huge = '"' + "x" * 200_000
    data = ("apprenti.nom_naissance;apprenti.prenom\nAlpha;Inès\n" + huge + ";Inès\n").encode()
    with pytest.raises(sheet.SheetError, match="mal formé vers sa ligne 3"):
        reading.rows_of(data, "lot.csv")


# -- a ZIP of .json drafts --------------------------------------------------------------


def _zip(members: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return out.getvalue()


def _drafts() -> dict[str, str]:
    return {f"brouillons/{n}": json.dumps(raw(n), ensure_ascii=False) for n in FIXTURES}


def test_a_zip_of_drafts_is_a_batch(tmp_path):
    source = tmp_path / "lot.zip"
    members = {
        **_drafts(),
        "brouillons/casse.json": "{",
        "lisez-moi.txt": "pas un dossier",
        "__MACOSX/brouillons/._exemple.json": b"\x00\x05\x16\x07",
    }
    source.write_bytes(_zip(members))
    out = tmp_path / "pdf"
    status, stdout, err = run("fill", str(source), "-o", str(out))
    assert status == 2
    assert err.strip().splitlines() == [
        f"Erreur : {source} : brouillons/casse.json : Le fichier n'est pas du JSON valide "
        "(ligne 1, colonne 2)."
    ]
    assert "3 PDF écrit(s)" in stdout
    pdf = out / "cerfa-apprentissage-GARNIER-Lucas.pdf"
    assert read_fields(pdf.read_bytes()) == read_fields(
        fill_dossier(load("mineur-representant-legal.json")).pdf
    )
    status, stdout, _ = run("check", str(source), "--json")
    assert status == 2
    assert [line.get("fichier") for line in json.loads(stdout)["lignes"]] == [
        *(f"brouillons/{n}" for n in FIXTURES),
        "brouillons/casse.json",
    ]


def test_a_zip_is_bounded(monkeypatch):
    data = _zip(_drafts())
    monkeypatch.setattr(sheet, "MAX_ROWS", 2)
    with pytest.raises(sheet.SheetError, match="plus de 2 dossiers"):
        reading.drafts_of(data)
    monkeypatch.undo()
    monkeypatch.setattr(reading, "MAX_UNZIPPED", 1_000)
    with pytest.raises(sheet.SheetError, match="décompressée ferait plus de"):
        reading.drafts_of(data)
    monkeypatch.undo()
    assert len(reading.drafts_of(data)) == 3
    with pytest.raises(sheet.SheetError, match="plus de 5 Mo"):
        reading.drafts_of(b"x" * (reading.MAX_FILE + 1))
    with pytest.raises(sheet.SheetError, match="pas une archive ZIP lisible"):
        reading.drafts_of(b"PK pas une archive")
    with pytest.raises(sheet.SheetError, match="aucun dossier .json"):
        reading.drafts_of(_zip({"a.txt": "rien"}))


def test_a_draft_too_big_in_a_zip_is_its_own_line(monkeypatch):
    monkeypatch.setattr(reading, "MAX_FILE", 2_000)
    data = _zip({"gros.json": " " * 3_000 + "{}", "petit.json": "{}"})
    assert len(data) < 2_000
    (big, small) = reading.drafts_of(data)
    assert big[:2] == ("gros.json", None) and big[2].endswith("Mo : ce n'est pas un dossier.")
    assert small == ("petit.json", Dossier(), None)


# -- the model spreadsheet ----------------------------------------------------------------


def test_the_model_filled_in_gives_the_three_dossiers(tmp_path):
    from openpyxl import load_workbook

    from cerfa.batch.model import model_columns, model_workbook
    from rules import codes, limits

    book = load_workbook(io.BytesIO(model_workbook()))
    page = book["Contrats"]
    assert book.sheetnames == ["Contrats", "Listes"] and book["Listes"].sheet_state == "hidden"
    headers = [c.value for c in page[1]]
    assert headers == [header for _, header in model_columns()]
    assert all(c.value.startswith(sheet.NOTE_PREFIX) for c in page[2])
    by_header = column_labels()
    lists = {
        str(v.sqref).split(":")[0].rstrip("0123456789")
        for v in page.data_validations.dataValidation
    }
    for index, header in enumerate(headers, start=1):
        path = by_header.get(header, header)
        letter = page.cell(row=1, column=index).column_letter
        assert (letter in lists) == (limits.generic_path(path) in codes.FIELD_TABLES), path
    for line, name in enumerate(FIXTURES, start=3):
        data = raw(name)
        lines = data["contrat"].pop("remunerations")
        flat = dict(_flat(data))
        for item in lines:  # each line in its row of the grid
            slot = (item["annee"] - 1) * 2 + item["periode"] - 1
            for key, value in item.items():
                if key not in ("annee", "periode") and value not in (None, ""):
                    flat[f"contrat.remunerations.{slot}.{key}"] = value
        for index, header in enumerate(headers, start=1):
            path = by_header.get(header, header)
            if path not in flat:
                continue
            value = _as_typed(path, flat[path], "classeur")
            table = codes.FIELD_TABLES.get(limits.generic_path(path))
            if table:  # as the drop-down writes it
                value = next(f"{code} - {label}" for code, label in table if code == value)
            page.cell(row=line, column=index, value=value)
    out = io.BytesIO()
    book.save(out)
    rows, ignored = _read(out.getvalue(), "modele.xlsx")
    assert ignored == [] and [r.number for r in rows] == [3, 4, 5]
    for row, name in zip(rows, FIXTURES, strict=True):
        assert row.problems == []
        assert _without_blanks(row.dossier) == _without_blanks(load(name))
