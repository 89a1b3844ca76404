"""Reading a contract back (issue 11, item 2): our PDFs by their embedded dossier, a
10103*14 filled by other code, the older forms *13, *12, *11 and *10, hostile PDFs, the
command line and « Reprendre ».

The blank forms come from ``../shared`` (never committed): the official 10103*14 is the
installed template (CERFA_TEMPLATE_SOURCE), the older ones are in
``../shared/reference/data``. Other code fills them: pypdf's own form filling
(``PdfWriter.update_page_form_field_values``), never this project's filler.
"""

from __future__ import annotations

import io
import json
import re
import zlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from cerfa.pdf.fieldmap import FIELD_MAP, decode_field_name, format_value, parse_value, resolve
from cerfa.pdf.fill import DOSSIER_FILE, fill_dossier
from cerfa.pdf.template import template_path
from cerfa.pdfimport import ImportProblem, limits, pdf, read_contract_file
from cerfa.pdfimport.forms import versions
from rules.dossier import Dossier, is_blank
from tests.helpers import DOSSIERS, EXAMPLE, load

OLDER = Path(__file__).resolve().parent.parent.parent / "shared" / "reference" / "data"
TEMPLATES = {
    "CERFA 10103*13": OLDER / "cerfa_10103-13.pdf",
    "CERFA 10103*12": OLDER / "cerfa_10103-12_modif.pdf",
    "CERFA 10103*11": OLDER / "cerfa_10103-11_modif.pdf",
    "CERFA 10103*10": OLDER / "cerfa_10103-10.pdf",
}
FIXTURE_IDS = [p.stem for p in DOSSIERS]


def version(source: str):
    return next(v for v in versions() if v.source == source)


def blank(source: str) -> Path:
    return template_path() if source == "CERFA 10103*14" else TEMPLATES[source]


def pypdf_fill(template: Path, values: dict[str, str | bool]) -> bytes:
    """The blank ``template`` filled by pypdf (names decoded as the maps write them; a
    ticked box set to the box's own « on » state)."""
    writer = PdfWriter(clone_from=PdfReader(template))
    fields = writer.get_fields()
    raw = {decode_field_name(name): name for name in fields}
    for page in writer.pages:
        # Some widgets of the blank 10103*10 have an appearance pointing to nothing,
        # which pypdf cannot update: dropped, pypdf draws a new one.
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            normal = annot.get("/AP", {}).get("/N") if "/AP" in annot else None
            if "/AP" in annot and not hasattr(normal, "keys"):
                del annot["/AP"]
        page_values = {}
        for name, value in values.items():
            if value is True:
                states = [s for s in fields[raw[name]].get("/_States_", []) if s != "/Off"]
                value = states[0] if states else "/Yes"
            page_values[raw[name]] = value
        writer.update_page_form_field_values(page, page_values, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def map_values(entries, dossier: Dossier) -> dict[str, str | bool]:
    """What each box of a map shows for ``dossier`` (first entry wins for a box that the
    *10 lists twice), ticked boxes as True."""
    values: dict[str, str | bool] = {}
    for entry in entries:
        value = entry.value(dossier)
        if value is None or value is False or value == "" or entry.name in values:
            continue
        values[entry.name] = value
    return values


def expected_at(entries, dossier: Dossier, path: str):
    """What a form can give back at ``path``: a blank text is not answered, an unticked
    lone « Oui » box is not a « Non », a joined box goes whole to its first path."""
    value = resolve(dossier, path)
    formats = {e.format for e in entries if path in e.paths}
    if formats == {"yes"} and value is False:
        return None
    if "join" in formats:
        (entry,) = [e for e in entries if e.format == "join" and path in e.paths]
        if path == entry.paths[0]:
            return entry.value(dossier)
        return None
    return None if is_blank(value) else value


def assert_every_value(entries, dossier: Dossier, got: Dossier) -> int:
    checked = 0
    for entry in entries:
        for path in entry.paths:
            want, have = expected_at(entries, dossier, path), resolve(got, path)
            if isinstance(want, Decimal | float | int) and not isinstance(want, bool):
                assert have is not None and Decimal(str(have)) == Decimal(str(want)), path
            else:
                assert have == want, f"{entry.name} ({path}): {have!r} != {want!r}"
            checked += 1
    return checked


# -- our PDFs: the embedded dossier ----------------------------------------------------


@pytest.mark.parametrize("flatten", [False, True], ids=["modifiable", "aplati"])
@pytest.mark.parametrize("path", DOSSIERS, ids=FIXTURE_IDS)
def test_our_pdf_gives_back_the_same_dossier(path, flatten):
    dossier = Dossier.from_json(path.read_text(encoding="utf-8"))
    imported = read_contract_file(fill_dossier(dossier, flatten=flatten).pdf, "contrat.pdf")
    assert imported.source == "dossier intégré"
    assert imported.notes == []
    assert imported.data == dossier.to_dict()  # every field, the SMC that no box shows too
    assert Dossier.from_dict(imported.data) == dossier


def test_boxes_changed_after_the_download_win_with_a_note():
    dossier = load("exemple.json")
    ours = fill_dossier(dossier).pdf
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(ours)))
    name = next(e.name for e in FIELD_MAP if e.path == "apprenti.prenom")
    raw = {decode_field_name(n): n for n in writer.get_fields()}
    writer.update_page_form_field_values(writer.pages[0], {raw[name]: "Léa"})
    out = io.BytesIO()
    writer.write(out)
    imported = read_contract_file(out.getvalue(), "contrat.pdf")
    assert imported.source == "dossier intégré"
    assert imported.data["apprenti"]["prenom"] == "Léa"
    expected = dossier.to_dict()
    expected["apprenti"]["prenom"] = "Léa"
    assert imported.data == expected
    (note,) = imported.notes
    assert "modifiées après son téléchargement" in note and "premier prénom" in note


def test_a_dossier_file_that_is_no_dossier_falls_back_on_the_boxes():
    dossier = load("exemple.json")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(fill_dossier(dossier).pdf)))
    writer.attachments  # noqa: B018 - pypdf builds the name tree on first use
    del writer.root_object["/Names"]
    writer.add_attachment(DOSSIER_FILE, b'{"format": "autre/2"}')
    out = io.BytesIO()
    writer.write(out)
    imported = read_contract_file(out.getvalue(), "contrat.pdf")
    assert imported.source == "CERFA 10103*14"
    assert imported.data["apprenti"]["prenom"] == dossier.apprenti.prenom


# -- a 10103*14 filled by other code ----------------------------------------------------


@pytest.mark.parametrize("path", DOSSIERS, ids=FIXTURE_IDS)
def test_a_14_filled_by_pypdf_gives_every_value_of_its_boxes(path):
    dossier = Dossier.from_json(path.read_text(encoding="utf-8"))
    pdf_bytes = pypdf_fill(template_path(), map_values(FIELD_MAP, dossier))
    assert DOSSIER_FILE not in PdfReader(io.BytesIO(pdf_bytes)).attachments
    imported = read_contract_file(pdf_bytes, "contrat.pdf")
    assert imported.source == "CERFA 10103*14"
    got = Dossier.from_dict(imported.data)
    assert assert_every_value(FIELD_MAP, dossier, got) == 216 - 10 + 1  # 10 reserved, 1 join
    assert got.contrat.smc is None  # no box shows it
    lines = [(r.annee, r.periode) for r in dossier.contrat.remunerations]
    assert [(r.annee, r.periode) for r in got.contrat.remunerations] == sorted(lines)
    if dossier.apprenti.representant_legal is not None:
        assert any("séparez-les" in n for n in imported.notes)
    else:
        assert imported.notes == []


def box(path: str, fmt: str | None = None) -> str:
    return next(e.name for e in FIELD_MAP if e.path == path and (fmt is None or e.format == fmt))


def test_each_format_of_the_14_is_read_back_as_typed_by_hand():
    values = {
        box("apprenti.date_naissance", "day"): "14",
        box("apprenti.date_naissance", "month"): "05",
        box("apprenti.date_naissance", "year"): "2008",
        box("contrat.salaire_brut_embauche", "euros"): "1 823",
        box("contrat.salaire_brut_embauche", "cents"): "03",
        box("contrat.remunerations[1.1].taux"): "53,5",
        box("contrat.remunerations[1.1].reference"): "SMIC",
        box("employeur.effectif"): " 12 ",
        box("apprenti.sexe", "equals:F"): True,
        box("apprenti.rqth", "no"): True,
        box("employeur.code_idcc"): "0843",
    }
    imported = read_contract_file(pypdf_fill(template_path(), values), "c.pdf")
    got = imported.dossier
    assert got.apprenti.date_naissance == date(2008, 5, 14)
    assert got.contrat.salaire_brut_embauche == Decimal("1823.03")
    assert got.contrat.remunerations[0].taux == 53.5
    assert (got.contrat.remunerations[0].annee, got.contrat.remunerations[0].periode) == (1, 1)
    assert got.employeur.effectif == 12
    assert got.apprenti.sexe == "F" and got.apprenti.rqth is False
    assert got.employeur.code_idcc == "0843"
    assert got.apprenti.sportif_haut_niveau is None
    assert imported.notes == []


def test_a_value_that_cannot_be_read_is_named_never_guessed():
    values = {
        box("employeur.effectif"): "douze",
        box("apprenti.date_naissance", "day"): "31",
        box("apprenti.date_naissance", "month"): "02",
        box("apprenti.date_naissance", "year"): "2008",
        box("contrat.salaire_brut_embauche", "euros"): "1823",
        box("contrat.salaire_brut_embauche", "cents"): "5",
        box("apprenti.sportif_haut_niveau", "yes"): True,
        box("apprenti.sportif_haut_niveau", "no"): True,
        box("apprenti.prenom"): "Inès",
    }
    imported = read_contract_file(pypdf_fill(template_path(), values), "c.pdf")
    got = imported.dossier
    assert got.employeur.effectif is None
    assert got.apprenti.date_naissance is None
    assert got.contrat.salaire_brut_embauche is None
    assert got.apprenti.sportif_haut_niveau is None
    assert got.apprenti.prenom == "Inès"
    text = "\n".join(imported.notes)
    assert len(imported.notes) == 4, text
    assert "« douze » n'est pas un nombre entier" in text
    assert "date de naissance" in text.lower()
    assert "plusieurs cases contraires sont cochées" in text
    assert all(note.endswith("saisissez-le à nouveau.") for note in imported.notes)


def test_the_reserved_box_is_not_read_and_is_mentioned():
    reserved = next(e.name for e in FIELD_MAP if e.format == "reserved")
    imported = read_contract_file(pypdf_fill(template_path(), {reserved: "DEP-2024-1"}), "c.pdf")
    assert "DEP-2024-1" not in json.dumps(imported.data)
    assert any("cadre réservé" in n and "DEP-2024-1" in n for n in imported.notes)


# -- the older forms ---------------------------------------------------------------------


@pytest.mark.parametrize("source", ["CERFA 10103*13", "CERFA 10103*12", "CERFA 10103*11"])
@pytest.mark.parametrize("path", DOSSIERS, ids=FIXTURE_IDS)
def test_an_older_form_filled_by_pypdf_gives_every_value_its_form_holds(source, path):
    dossier = Dossier.from_json(path.read_text(encoding="utf-8"))
    entries = version(source).entries
    imported = read_contract_file(pypdf_fill(blank(source), map_values(entries, dossier)), "c.pdf")
    assert imported.source == source
    got = Dossier.from_dict(imported.data)
    assert assert_every_value(entries, dossier, got) >= 150
    assert any(f"Le {source} n'a pas de case pour" in n for n in imported.notes)
    # What the form has no box for is left empty, never guessed.
    mapped = {p for e in entries for p in e.paths}
    for entry in FIELD_MAP:
        for p in entry.paths:
            if p not in mapped:
                assert is_blank(resolve(got, p)), p


def test_the_10_is_read_with_its_one_rate_box_per_year():
    dossier = load("exemple.json")
    entries = version("CERFA 10103*10").entries
    imported = read_contract_file(
        pypdf_fill(blank("CERFA 10103*10"), map_values(entries, dossier)), "c.pdf"
    )
    assert imported.source == "CERFA 10103*10"
    got = imported.dossier
    assert got.apprenti.date_naissance == dossier.apprenti.date_naissance
    assert got.employeur.courriel == dossier.employeur.courriel
    assert got.contrat.salaire_brut_embauche == dossier.contrat.salaire_brut_embauche
    first = dossier.contrat.remunerations[0]
    line = next(r for r in got.contrat.remunerations if (r.annee, r.periode) == (1, 1))
    assert (line.du, line.au, line.taux) == (first.du, first.au, first.taux)


def test_the_older_forms_boxes_typed_by_hand():
    values = {
        "Apprenti Date naissance_af_date": "14/05/2008",
        "Salaire brut mensuel à l’embauche :": "1 234,56 €",
        "Courriel 1": "contact",
        "Courriel 2": "boulangerie.fr",
        "Maître d’apprentissage n°1 Courriel1": "jean.dupont",
        "Maître d’apprentissage n°1 Courriel2": "exemple-de",
        "Maître d’apprentissage n°1 Courriel2suite": "-domaine.fr",
        "Dernier diplôme ou titre préparé": "71",
        "Type de contrat ou d’avenant :": "35",
        "1e année % du": "53",
        "1e année % du *": "SMIC",
        "Représentant légal Nom / Prénom": "Martin Claire",
        "Sexe M": True,
        "CFA d’entreprise NON": True,
    }
    imported = read_contract_file(pypdf_fill(blank("CERFA 10103*12"), values), "c.pdf")
    assert imported.source == "CERFA 10103*12"
    got = imported.dossier
    assert got.apprenti.date_naissance == date(2008, 5, 14)
    assert got.contrat.salaire_brut_embauche == Decimal("1234.56")
    assert got.employeur.courriel == "contact@boulangerie.fr"
    assert got.maitres[0].courriel == "jean.dupont@exemple-de-domaine.fr"
    assert got.apprenti.dernier_diplome_prepare == "71"
    assert got.apprenti.sexe == "M" and got.formation.cfa_entreprise is False
    assert got.apprenti.representant_legal.nom_naissance == "Martin Claire"
    assert got.apprenti.representant_legal.prenom is None
    text = "\n".join(imported.notes)
    assert "le code « 71 » n'existe plus" in text
    assert "le type « 35 »" in text
    assert "séparez-les" in text


def test_the_10s_nir_of_the_maitre_is_reported_not_kept():
    values = {"Maître d’apprentissage n°1 NIR": "180017512345678"}
    imported = read_contract_file(pypdf_fill(blank("CERFA 10103*10"), values), "c.pdf")
    assert "180017512345678" not in json.dumps(imported.data)
    assert any("n'existe plus sur le CERFA 10103*14" in n for n in imported.notes)


def test_a_blank_form_is_read_as_empty_with_a_note():
    imported = read_contract_file(template_path().read_bytes(), "vierge.pdf")
    assert imported.source == "CERFA 10103*14"
    assert imported.dossier == Dossier()
    assert imported.notes == ["Ce CERFA 10103*14 est vide : aucune case n'est remplie."]


# -- JSON through the same entry ---------------------------------------------------------


def test_a_json_dossier_is_read_as_before():
    imported = read_contract_file(EXAMPLE.read_bytes(), "dossier.json")
    assert imported.source == "dossier .json"
    assert imported.dossier == load("exemple.json")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "vide"),
        (b"not json", "ni un contrat PDF ni un dossier"),
        (b'{"format": "autre/9"}', "Format de dossier inconnu"),
        (b"{" + b" " * limits.MAX_JSON_BYTES + b"}", "trop gros"),
    ],
)
def test_a_bad_json_gets_one_french_sentence(content, expected):
    with pytest.raises(ImportProblem, match=expected):
        read_contract_file(content, "dossier.json" if content.startswith(b"{") else "x")


# -- hostile PDFs --------------------------------------------------------------------------


def written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def refused(content: bytes) -> str:
    with pytest.raises(ImportProblem) as caught:
        read_contract_file(content, "contrat.pdf")
    message = str(caught.value)
    assert "\n" not in message and message.endswith((".", "?"))
    return message


def test_an_encrypted_pdf_is_refused():
    writer = PdfWriter(clone_from=PdfReader(template_path()))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    assert "protégé par un mot de passe" in refused(written(writer))


@pytest.mark.parametrize("keep", [0.5, 0.1, 0.001])
def test_a_truncated_pdf_is_refused(keep):
    ours = fill_dossier(load("exemple.json")).pdf
    assert "endommagé ou incomplet" in refused(ours[: int(len(ours) * keep)])


def test_a_50_mb_pdf_is_refused_before_parsing(monkeypatch):
    def parse(*args, **kwargs):
        raise AssertionError("parsed")

    monkeypatch.setattr(pdf, "read_pdf", parse)
    huge = b"%PDF-1.7\n" + b"0" * 50_000_000
    assert "trop gros (plus de 3 Mo)" in refused(huge)


def test_a_pdf_without_form_fields_is_explained():
    flattened_elsewhere = fill_dossier(load("exemple.json"), flatten=True, embed_dossier=False)
    assert "pas de champs de formulaire" in refused(flattened_elsewhere.pdf)
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    assert "imprimé puis scanné" in refused(written(writer))


def text_field(writer: PdfWriter, name: str, kids=None) -> DictionaryObject:
    field = DictionaryObject(
        {NameObject("/T"): TextStringObject(name), NameObject("/FT"): NameObject("/Tx")}
    )
    if kids is not None:
        field[NameObject("/Kids")] = ArrayObject(kids)
    return field


def with_fields(fields: list, pages: int = 1) -> PdfWriter:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    refs = [writer._add_object(f) if isinstance(f, DictionaryObject) else f for f in fields]  # noqa: SLF001
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject(refs)}
    )
    return writer


def test_a_form_that_is_no_cerfa_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([writer._add_object(text_field(writer, "Nom"))])}  # noqa: SLF001
    )
    assert "pas ceux d'un CERFA 10103" in refused(written(writer))


def test_thousands_of_fields_are_refused():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    fields = [writer._add_object(text_field(writer, f"champ {i}")) for i in range(3000)]  # noqa: SLF001
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject(fields)}
    )
    message = refused(written(writer))
    assert "trop de champs" in message or "trop complexe" in message


def test_a_field_tree_that_loops_is_walked_once():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    parent = text_field(writer, "parent", kids=[])
    ref = writer._add_object(parent)  # noqa: SLF001
    child = writer._add_object(text_field(writer, "enfant", kids=[ref]))  # noqa: SLF001
    parent[NameObject("/Kids")] = ArrayObject([child, ref])
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([ref])}
    )
    assert refused(written(writer))  # one sentence, no RecursionError


def test_a_field_tree_nested_too_deep_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    ref = writer._add_object(text_field(writer, "feuille"))  # noqa: SLF001
    for depth in range(limits.MAX_FIELD_DEPTH + 5):
        ref = writer._add_object(text_field(writer, f"niveau{depth}", kids=[ref]))  # noqa: SLF001
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([ref])}
    )
    message = refused(written(writer))
    assert "imbriqués" in message or "trop complexe" in message


def test_a_page_tree_that_loops_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    pages = writer.root_object["/Pages"]
    pages[NameObject("/Kids")].append(writer.root_object.raw_get("/Pages"))
    pages[NameObject("/Count")] = NumberObject(2)
    assert refused(written(writer))


def test_too_many_pages_are_refused():
    writer = PdfWriter(clone_from=PdfReader(template_path()))
    for _ in range(limits.MAX_PAGES):
        writer.add_blank_page(595, 842)
    assert f"a {limits.MAX_PAGES + 2} pages" in refused(written(writer))


def test_too_many_objects_are_refused(monkeypatch):
    monkeypatch.setattr(pdf, "MAX_OBJECTS", 1000)  # the template has 1,212
    assert "trop d'objets" in refused(fill_dossier(load("exemple.json")).pdf)


def test_the_time_bound_stops_a_long_reading(monkeypatch):
    monkeypatch.setattr(limits, "MAX_SECONDS", 0.0)
    assert "trop de travail" in refused(fill_dossier(load("exemple.json")).pdf)


def test_javascript_run_on_opening_is_refused():
    writer = PdfWriter(clone_from=PdfReader(template_path()))
    writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('bonjour');"),
        }
    )
    assert "JavaScript" in refused(written(writer))


def test_javascript_in_a_box_beyond_form_formatting_is_refused():
    writer = PdfWriter(clone_from=PdfReader(template_path()))
    widget = writer.pages[0]["/Annots"][0].get_object()
    widget[NameObject("/AA")] = DictionaryObject(
        {
            NameObject("/K"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/JavaScript"),
                    NameObject("/JS"): TextStringObject("this.submitForm('http://x');"),
                }
            )
        }
    )
    assert "JavaScript" in refused(written(writer))


def test_a_decompression_bomb_as_dossier_is_not_decompressed():
    ours = fill_dossier(load("exemple.json")).pdf
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(ours)))
    spec = writer.root_object["/Names"]["/EmbeddedFiles"]["/Names"][1].get_object()
    bomb = StreamObject()
    bomb._data = zlib.compress(b"{" + b" " * 50_000_000 + b"}", 9)  # noqa: SLF001
    bomb[NameObject("/Filter")] = NameObject("/FlateDecode")
    spec["/EF"][NameObject("/F")] = writer._add_object(bomb)  # noqa: SLF001
    content = written(writer)
    assert len(content) < limits.MAX_PDF_BYTES
    imported = read_contract_file(content, "contrat.pdf")
    assert imported.source == "CERFA 10103*14"  # read from its boxes instead
    assert any("dossier joint à ce PDF n'a pas pu être lu" in n for n in imported.notes)


def test_a_file_specification_without_its_file_reads_the_boxes():
    ours = fill_dossier(load("exemple.json")).pdf
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(ours)))
    spec = writer.root_object["/Names"]["/EmbeddedFiles"]["/Names"][1].get_object()
    del spec["/EF"]
    imported = read_contract_file(written(writer), "contrat.pdf")
    assert imported.source == "CERFA 10103*14"
    assert any("dossier joint à ce PDF n'a pas pu être lu" in n for n in imported.notes)


def test_nothing_of_the_file_reaches_the_logs(caplog):
    ours = fill_dossier(load("exemple.json")).pdf
    with caplog.at_level("DEBUG"):
        with pytest.raises(ImportProblem):
            read_contract_file(ours[: len(ours) // 2], "contrat.pdf")
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]


def test_the_bounds_are_those_documented():
    assert limits.MAX_PDF_BYTES == 3_000_000
    assert limits.MAX_JSON_BYTES == 200_000
    assert (limits.MAX_PAGES, limits.MAX_FIELDS, limits.MAX_OBJECTS) == (8, 1_000, 20_000)
    # Every official form is within them, with room.
    for source in TEMPLATES:
        size = TEMPLATES[source].stat().st_size
        assert size < limits.MAX_PDF_BYTES / 3, source
    assert re.search(r"3 Mo", refused(b"%PDF-1.7\n" + b" " * limits.MAX_PDF_BYTES))


# -- the command line ----------------------------------------------------------------------


def cli(*args):
    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("cerfa", *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exc:
        status = exc.code
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("flatten", [False, True], ids=["modifiable", "aplati"])
def test_cerfa_import_prints_the_dossier_of_our_pdf(tmp_path, flatten):
    dossier = load("mineur-representant-legal.json")
    path = tmp_path / "contrat.pdf"
    path.write_bytes(fill_dossier(dossier, flatten=flatten).pdf)
    status, out, err = cli("import", str(path))
    assert status == 0
    assert json.loads(out) == dossier.to_dict()
    assert err.strip() == "Lu depuis : dossier intégré"


def test_cerfa_import_reads_an_older_form_with_its_notes_on_stderr(tmp_path):
    path = tmp_path / "ancien.pdf"
    path.write_bytes(pypdf_fill(blank("CERFA 10103*12"), {"Type de contrat ou d’avenant :": "35"}))
    status, out, err = cli("import", str(path))
    assert status == 0
    assert json.loads(out)["contrat"]["type_contrat"] == "35"
    lines = err.splitlines()
    assert lines[0] == "Lu depuis : CERFA 10103*12"
    assert all(line.startswith("Note : ") for line in lines[1:]) and len(lines) >= 3


def test_cerfa_import_reads_a_json_too():
    status, out, _err = cli("import", str(EXAMPLE))
    assert status == 0 and json.loads(out) == load("exemple.json").to_dict()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.7\n%%EOF", "endommagé"),
        (b"%PDF-1.7\n" + b"0" * (limits.MAX_PDF_BYTES + 1), "bien trop gros"),
        (b"bonjour", "n'est pas un PDF"),
    ],
)
def test_cerfa_import_exits_2_with_one_french_line(tmp_path, content, expected):
    path = tmp_path / "contrat.pdf"
    path.write_bytes(content)
    status, out, err = cli("import", str(path))
    assert status == 2 and out == ""
    (line,) = err.splitlines()
    assert line.startswith("Erreur : ") and expected in line


# -- « Reprendre » -------------------------------------------------------------------------


def resume(client, content: bytes, name: str):
    from cerfa.store import get_store

    get_store().clear()
    file = io.BytesIO(content)
    file.name = name
    return client.post("/contrat/reprendre/", {"dossier": file}, follow=True)


def restored(client, content: bytes, name: str) -> dict:
    response = resume(client, content, name)
    assert response.status_code == 200 and response.redirect_chain
    base = re.match(r"^(/contrat/[0-9a-f-]{36}/)", response.redirect_chain[-1][0]).group(1)
    return json.loads(client.get(base + "dossier.json").content)


@pytest.mark.parametrize("flatten", [False, True], ids=["modifiable", "aplati"])
def test_reprendre_takes_our_pdf_as_it_takes_the_json(client, flatten):
    """The wizard keeps what its steps hold (an empty text is not answered): the PDF gives
    exactly what the .json of the same dossier gives."""
    dossier = load("exemple.json")
    from_pdf = restored(client, fill_dossier(dossier, flatten=flatten).pdf, "contrat.pdf")
    assert from_pdf == restored(client, EXAMPLE.read_bytes(), "dossier.json")
    assert from_pdf["apprenti"]["nir"] == dossier.apprenti.nir


def test_reprendre_shows_the_notes_of_an_older_form_on_the_first_page(client):
    values = {"Le premier prénom de l’apprenti(e) selon l’état civil :": "Inès"}
    response = resume(client, pypdf_fill(blank("CERFA 10103*12"), values), "ancien.pdf")
    html = response.content.decode()
    assert response.status_code == 200 and response.redirect_chain
    assert "Inès" in html
    assert "Le CERFA 10103*12 n&#x27;a pas de case pour" in html


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.7\n" + b"0" * (limits.MAX_PDF_BYTES + 10), "trop gros (plus de 3 Mo)"),
        (b"%PDF-1.7\n%%EOF", "endommagé"),
    ],
)
def test_reprendre_refuses_a_bad_pdf_with_one_french_sentence(client, content, expected):
    response = resume(client, content, "contrat.pdf")
    assert response.status_code == 200 and not response.redirect_chain
    message = re.search(r'id="brouillon-erreur">(.*?)</p>', response.content.decode(), re.S)
    assert expected in message.group(1).replace("&#x27;", "'")


def test_reprendre_keeps_the_pdf_in_memory(client, monkeypatch):
    from cerfa.wizard import continuation

    seen = []
    original = continuation.read_upload

    def spy(content, filename):
        seen.append(filename)
        return original(content, filename)

    monkeypatch.setattr(continuation, "read_upload", spy)
    from django.core.files import uploadhandler

    monkeypatch.setattr(
        uploadhandler.TemporaryFileUploadHandler,
        "new_file",
        lambda *a, **k: pytest.fail("written to a temporary file"),
    )
    response = resume(client, fill_dossier(load("exemple.json")).pdf, "contrat.pdf")
    assert response.redirect_chain and seen == ["contrat.pdf"]


@pytest.mark.parametrize("source", ["CERFA 10103*11", "CERFA 10103*12"])
def test_the_11_and_12_are_told_apart_by_page_or_by_their_printed_number(source, monkeypatch):
    content = pypdf_fill(blank(source), {"Fait à": "Lyon"})
    assert read_contract_file(content, "c.pdf").source == source
    monkeypatch.setattr(pdf, "contents_digest", lambda page: "")  # e.g. a page redrawn
    assert read_contract_file(content, "c.pdf").source == source


# -- each format and its inverse -----------------------------------------------------------

DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
AMOUNTS = st.decimals(min_value=0, max_value=10**8, places=2, allow_nan=False)


@given(DATES)
def test_a_date_comes_back_from_its_boxes(value):
    parts = [parse_value(f, format_value(f, value)) for f in ("day", "month", "year")]
    assert date(parts[2], parts[1], parts[0]) == value
    assert parse_value("date", format_value("date", value)) == value.isoformat()


@given(AMOUNTS)
def test_an_amount_comes_back_from_its_boxes(value):
    euros, cents = (parse_value(f, format_value(f, value)) for f in ("euros", "cents"))
    assert Decimal(f"{euros}.{cents}") == value
    assert Decimal(parse_value("money", format_value("money", value))) == value


@given(st.decimals(min_value=0, max_value=999, places=2, allow_nan=False))
def test_a_rate_comes_back_from_its_box(value):
    assert Decimal(str(parse_value("percent", format_value("percent", value)))) == value


@given(st.integers(min_value=0, max_value=10**9 - 1))
def test_a_whole_number_comes_back_from_its_box(value):
    assert parse_value("int", format_value("int", value)) == value


@pytest.mark.parametrize(
    ("fmt", "text"),
    [("int", "12a"), ("day", "١٢"), ("cents", "5"), ("percent", "abc"), ("date", "2008-13-01")],
)
def test_a_box_that_is_not_its_format_is_refused(fmt, text):
    with pytest.raises(ValueError):
        parse_value(fmt, text)


def test_keys_beside_the_dossier_are_given_as_they_were():
    tree = load("exemple.json").to_dict()
    tree["preparation"] = [{"par": "cfa", "sections": ["formation"]}]
    imported = read_contract_file(json.dumps(tree).encode(), "dossier.json")
    assert imported.extra == {"preparation": [{"par": "cfa", "sections": ["formation"]}]}
    assert "preparation" not in imported.data
    assert read_contract_file(fill_dossier(load("exemple.json")).pdf, "c.pdf").extra == {}


def test_keys_beside_the_embedded_dossier_are_given_too():
    class WithRecord(Dossier):
        def to_dict(self):
            return {**super().to_dict(), "preparation": [{"par": "cfa"}]}

    dossier = load("exemple.json")
    record = WithRecord(**{name: getattr(dossier, name) for name in dossier.__dataclass_fields__})
    imported = read_contract_file(fill_dossier(record, flatten=True).pdf, "c.pdf")
    assert imported.source == "dossier intégré"
    assert imported.extra == {"preparation": [{"par": "cfa"}]}
    assert Dossier.from_dict(imported.data) == dossier


def test_cerfa_import_reads_standard_input(monkeypatch):
    import sys

    pdf_bytes = fill_dossier(load("exemple.json"), flatten=True).pdf
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(pdf_bytes)))
    status, out, err = cli("import", "-")
    assert status == 0 and json.loads(out) == load("exemple.json").to_dict()
    assert err.strip() == "Lu depuis : dossier intégré"
