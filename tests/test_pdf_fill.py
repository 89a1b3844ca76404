"""Filling the official CERFA: every value in its box, read back exactly as the map says."""

import io
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader
from pypdf.generic import TextStringObject

from cerfa.pdf import fill
from cerfa.pdf.fieldmap import FIELD_MAP
from cerfa.pdf.fill import Template, fill_dossier, fit_problems, layout
from rules.dossier import Dossier, fields_of, unwrap_optional
from tests.helpers import DOSSIERS, load, read_fields

# Dossier values the form has no box for (dossier-v1 keys that only steer the filling).
NOT_ON_THE_FORM = {"contrat.smc", "annee", "periode"}


def expected_value(entry, dossier):
    value = entry.value(dossier)
    if entry.is_checkbox:
        return "/Yes" if value else "/Off"
    return value


@pytest.mark.parametrize("path", DOSSIERS, ids=lambda p: p.stem)
def test_every_field_reads_back_as_the_map_says(path):
    dossier = Dossier.from_json(path.read_text(encoding="utf-8"))
    result = fill_dossier(dossier)
    fields = read_fields(result.pdf)
    assert len(fields) == 216
    for entry in FIELD_MAP:
        got = fields[entry.name]
        want = expected_value(entry, dossier)
        if want is None:
            assert got in (None, ""), f"{entry.name} ({entry.path}) should stay empty, has {got!r}"
        else:
            assert got == want, f"{entry.name} ({entry.path}): {got!r} != {want!r}"


def leaves(value, prefix=""):
    """Every answered scalar of a dossier, as (path, value)."""
    import dataclasses

    if dataclasses.is_dataclass(value):
        for name in fields_of(type(value)):
            yield from leaves(getattr(value, name), f"{prefix}{name}.")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from leaves(item, f"{prefix}{i}.")
    elif value is not None:
        yield prefix[:-1], value


@pytest.mark.parametrize("path", DOSSIERS, ids=lambda p: p.stem)
def test_every_answered_value_goes_into_the_pdf(path):
    dossier = Dossier.from_json(path.read_text(encoding="utf-8"))
    shown = set()
    for entry in FIELD_MAP:
        for p in entry.paths:
            shown.add(p)
    for leaf, value in leaves(dossier):
        last = leaf.rsplit(".", 1)[-1]
        if leaf in NOT_ON_THE_FORM or last in NOT_ON_THE_FORM:
            continue
        if leaf.startswith("contrat.remunerations."):
            _, _, index, name = leaf.split(".")
            line = dossier.contrat.remunerations[int(index)]
            leaf = f"contrat.remunerations[{line.annee}.{line.periode}].{name}"
        assert leaf in shown, f"{leaf} = {value!r} has no box on the form"


def test_example_values_in_their_boxes():
    fields = read_fields(fill_dossier(load("exemple.json")).pdf)
    by_path = {}
    for entry in FIELD_MAP:
        if isinstance(entry.path, str):
            by_path.setdefault((entry.path, entry.format), entry.name)
    assert fields[by_path[("employeur.denomination", "text")]] == "Salon Élégance Coiffure"
    assert fields[by_path[("apprenti.date_naissance", "day")]] == "14"
    assert fields[by_path[("apprenti.date_naissance", "month")]] == "05"
    assert fields[by_path[("apprenti.date_naissance", "year")]] == "2008"
    assert fields[by_path[("contrat.salaire_brut_embauche", "euros")]] == "783"
    assert fields[by_path[("contrat.salaire_brut_embauche", "cents")]] == "91"
    assert fields[by_path[("apprenti.derniere_classe", "text")]] == "01"
    assert fields[by_path[("contrat.remunerations[2.2].taux", "percent")]] == "61"
    assert fields[by_path[("contrat.remunerations[1.2].du", "day")]] in (None, "")
    assert fields[by_path[("employeur.prive_public", "equals:prive")]] == "/Yes"
    assert fields[by_path[("employeur.prive_public", "equals:public")]] == "/Off"


def test_legal_representative_name_and_first_name_share_one_box():
    fields = read_fields(fill_dossier(load("mineur-representant-legal.json")).pdf)
    (entry,) = [e for e in FIELD_MAP if e.format == "join"]
    assert fields[entry.name] == "Garnier Nathalie"


def test_a_pair_of_boxes_is_never_both_ticked():
    pairs: dict[object, list] = {}
    for entry in FIELD_MAP:
        if entry.is_checkbox:
            pairs.setdefault(entry.path, []).append(entry)
    for path in DOSSIERS:
        fields = read_fields(fill_dossier(Dossier.from_json(path.read_text())).pdf)
        for entries in pairs.values():
            ticked = [e.name for e in entries if fields[e.name] == "/Yes"]
            assert len(ticked) <= 1, ticked


def test_appearances_are_generated_and_need_appearances_is_false():
    pdf = fill_dossier(load("exemple.json")).pdf
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.trailer["/Root"]["/AcroForm"]["/NeedAppearances"] is False or (
        reader.trailer["/Root"]["/AcroForm"]["/NeedAppearances"] == False  # noqa: E712
    )
    checked = 0
    for page in reader.pages:
        for annot in page["/Annots"]:
            widget = annot.get_object()
            value = widget.get("/V")
            if widget["/FT"] == "/Tx" and value:
                stream = widget["/AP"]["/N"].get_object().get_data()
                assert b"Tj" in stream
                checked += 1
            if widget["/FT"] == "/Btn" and value == "/Yes":
                assert widget["/AS"] == "/Yes"
    assert checked > 80


def test_text_of_the_filled_form_shows_the_values():
    """What a viewer draws (the appearance streams), not only the field values."""
    pdf = fill_dossier(load("accents-apostrophes.json"), flatten=True).pdf
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for value in (
        "L’Atelier d’Éloïse & Cœur",
        "D'Aubigné-Lefèvre",
        "Résidence « Les Pâquerettes »",
        "N’Diaye",
        "Brevet de maîtrise « Coiffure »",
        "rue de l’Église",
    ):
        assert value in text


def test_flatten_removes_the_form_and_keeps_the_values():
    pdf = fill_dossier(load("exemple.json"), flatten=True).pdf
    reader = PdfReader(io.BytesIO(pdf))
    assert "/AcroForm" not in reader.trailer["/Root"]
    assert all("/Annots" not in page for page in reader.pages)
    text = reader.pages[0].extract_text()
    assert "Salon Élégance Coiffure" in text and "52147896600174" in text


def test_incomplete_draft_still_gives_a_pdf_with_empty_boxes():
    result = fill_dossier(load("brouillon-incomplet.json"))
    fields = read_fields(result.pdf)
    filled = {k: v for k, v in fields.items() if v not in (None, "", "/Off")}
    assert set(filled.values()) >= {"Boulangerie Martin", "Hugo", "69004", "/Yes"}
    # dénomination, code postal, privé, prénom, naissance (3 boxes), type, début (3 boxes)
    assert len(filled) == 11
    assert result.problems == []


def test_empty_dossier_gives_the_blank_form():
    fields = read_fields(fill_dossier(Dossier()).pdf)
    assert all(v in (None, "", "/Off") for v in fields.values())


def test_reserved_box_stays_empty():
    fields = read_fields(fill_dossier(load("avenant.json")).pdf)
    reserved = [e for e in FIELD_MAP if e.format == "reserved"]
    assert len(reserved) == 10
    assert all(fields[e.name] in (None, "") for e in reserved)


def test_character_outside_cp1252_is_reported_not_mangled_silently():
    dossier = load("exemple.json")
    dossier.apprenti.nom_naissance = "Wałęsa"
    problems = fit_problems(dossier)
    (problem,) = [p for p in problems if p.code == "pdf.caractere_non_imprimable"]
    assert problem.level == "error"
    assert problem.fields == ("apprenti.nom_naissance",)
    assert "« ł »" in problem.message and "« ę »" in problem.message and "« e »" in problem.message
    assert problem.reference
    # The value itself is kept whole in the field; only the drawing cannot show it.
    assert (
        read_fields(fill_dossier(dossier).pdf)[
            next(e.name for e in FIELD_MAP if e.path == "apprenti.nom_naissance")
        ]
        == "Wałęsa"
    )


def test_text_wider_than_its_box_is_reported():
    dossier = load("exemple.json")
    dossier.employeur.code_ape = "9602A-COIFFURE-ET-SOINS"
    problems = [p for p in fit_problems(dossier) if p.code == "pdf.texte_trop_long"]
    assert [p.fields for p in problems] == [("employeur.code_ape",)]
    assert problems[0].level == "warning"


def test_long_text_is_set_smaller_before_it_is_reported():
    narrow = layout("Salon Élégance Coiffure et Esthétique", 120, 11.4)
    assert narrow.fits and narrow.size < 8
    assert layout("Lyon", 150, 11.4).size == 8
    assert not layout("x" * 200, 150, 11.4).fits


def test_remuneration_problem_points_at_the_list_index():
    dossier = load("exemple.json")
    dossier.contrat.remunerations[2].reference = "SMIC conventionnel"
    problems = [p for p in fit_problems(dossier) if p.code == "pdf.texte_trop_long"]
    assert problems[0].fields == ("contrat.remunerations.2.reference",)


def test_template_is_parsed_once_per_process():
    assert Template.get() is Template.get()


def test_unwrap_optional_keeps_plain_types():
    assert unwrap_optional(str) == (str, False)


@pytest.mark.parametrize("flatten", [False, True])
def test_strict_pdf_readers_read_the_update_without_a_warning(caplog, flatten):
    """The update's cross-reference section starts at object 0, as a PDF writer's does:
    pypdf in strict mode otherwise warns that the table is "not zero-indexed"."""
    pdf = fill_dossier(load("exemple.json"), flatten=flatten).pdf
    with caplog.at_level("WARNING", logger="pypdf"):
        reader = PdfReader(io.BytesIO(pdf), strict=True)
        assert len(reader.pages) == 2
        for page in reader.pages:
            page.extract_text()
        assert len(reader.get_fields() or {}) == (0 if flatten else 216)
    assert caplog.records == []
    xref = pdf[pdf.rindex(b"startxref") :].split()[1]
    assert pdf[int(xref) :].startswith(b"xref\n0 1\n0000000000 65535 f \n")


def test_a_huge_text_is_reported_and_quoted_short():
    """A draft may hold a text of 200 000 characters (a wizard upload), 5 million on the
    command line: how much of it fits is told exactly (its cost, linear in the length of the
    text, is measured by ``make bench``)."""
    dossier = load("exemple.json")
    dossier.employeur.denomination = "Boulangerie " * 25_000
    (problem,) = [p for p in fit_problems(dossier) if p.code == "pdf.texte_trop_long"]
    widget = Template.get().widgets[problem_entry_name("employeur.denomination")]
    keep = int(problem.message.split("seuls les ")[1].split()[0])
    assert layout(dossier.employeur.denomination[:keep], widget.width, widget.height).fits
    assert not layout(dossier.employeur.denomination[: keep + 1], widget.width, widget.height).fits
    assert len(problem.message) < 400


def problem_entry_name(path):
    return next(e.name for e in FIELD_MAP if e.path == path)


def test_tabs_and_line_breaks_become_spaces_in_every_text_box():
    """Helvetica has no glyph for a tab: "Saint\tÉtienne" was drawn "SaintÉtienne"."""
    dossier = load("mineur-representant-legal.json")
    dossier.employeur.adresse.commune = "Saint\tÉtienne"
    dossier.apprenti.representant_legal.nom_naissance = "Garnier\n"
    dossier.apprenti.representant_legal.prenom = "Anne\u2028Marie"
    fields = read_fields(fill_dossier(dossier).pdf)
    assert fields[problem_entry_name("employeur.adresse.commune")] == "Saint Étienne"
    (join,) = [e for e in FIELD_MAP if e.format == "join"]
    assert fields[join.name] == "Garnier Anne Marie"


def test_a_control_character_is_reported_as_unprintable():
    dossier = load("exemple.json")
    dossier.apprenti.commune_naissance = "Ly\x07on"
    (problem,) = [p for p in fit_problems(dossier) if p.code == "pdf.caractere_non_imprimable"]
    assert problem.fields == ("apprenti.commune_naissance",)
    assert "U+0007" in problem.message and problem.message.isprintable()


def test_a_text_of_spaces_only_leaves_its_box_empty():
    """Not answered, as the rules read it (rules.dossier.is_blank): no "   " in the form."""
    dossier = load("exemple.json")
    dossier.employeur.adresse.complement = "   "
    fields = read_fields(fill_dossier(dossier).pdf)
    assert fields[problem_entry_name("employeur.adresse.complement")] in (None, "")


# -- the fast paths give what their definitions say ---------------------------------------

# Texts mixing what the paths tell apart: ASCII, Latin-1, Windows-1252's extras, characters
# PDFDocEncoding or Windows-1252 lack, control characters, delimiters to escape.
TEXTS = st.text(
    st.sampled_from("aZ09 ()\\/%<>éÉœŒ€—‰’«»\xa0\x07\x00\x7f\x81Łł中😀\u2028")
    | st.characters(codec="utf-8"),
    max_size=40,
)


@given(TEXTS)
def test_a_value_is_written_as_pypdf_writes_a_text_string(text):
    """A table lookup instead of pypdf's loop over each byte, for the same bytes."""
    out = io.BytesIO()
    TextStringObject(text).write_to_stream(out)
    assert fill._value_string(text) == out.getvalue()


def _unprintable_by_definition(text):
    bad = []
    for ch in text:
        try:
            ch.encode("cp1252")
            printable = unicodedata.category(ch) != "Cc"
        except UnicodeEncodeError:
            printable = False
        if not printable and ch not in bad:
            bad.append(ch)
    return bad


@given(TEXTS)
def test_unprintable_characters_are_those_windows_1252_cannot_draw(text):
    assert fill.unprintable(text) == _unprintable_by_definition(text)


def test_every_character_of_the_first_planes_is_told_printable_or_not():
    every = "".join(chr(c) for c in range(0x3000) if not 0xD800 <= c < 0xE000)
    assert fill.unprintable(every) == _unprintable_by_definition(every)


@given(st.text(st.sampled_from("iW Mé'."), max_size=120))
def test_the_longest_fitting_beginning_is_the_one_measured_prefix_by_prefix(text):
    widget = Template.get().widgets[problem_entry_name("employeur.code_ape")]
    fitting = [
        n for n in range(len(text) + 1) if layout(text[:n], widget.width, widget.height).fits
    ]
    assert fill._max_chars(text, widget) == max(fitting)
