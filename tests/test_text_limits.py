"""The maximum length of each text (rules/limits.py): tied to the form's boxes, and enforced
by the dossier loader, hence by ``cerfa check|complete|fill`` and the draft upload."""

import dataclasses
import json
import re
import typing

import jsonschema
import pytest

from cerfa.pdf.fieldmap import FIELD_MAP
from cerfa.pdf.fill import Template, layout, text_width, unprintable
from rules import codes, limits
from rules.dossier import Dossier, DossierError, fields_of, unwrap_optional
from rules.schema import json_schema
from tests.helpers import raw
from tests.test_cli import run

_GRID_ROW = re.compile(r"\[\d\.\d\]", re.ASCII)
# The two answers the form shows only as ticked boxes: no text box to measure.
TICKED_ONLY = {"employeur.prive_public": codes.PRIVE_PUBLIC, "apprenti.sexe": codes.SEXE}


def _text_keys(cls: type, prefix: str = ""):
    for name, hint in fields_of(cls).items():
        inner, _ = unwrap_optional(hint)
        if dataclasses.is_dataclass(inner):
            yield from _text_keys(inner, f"{prefix}{name}.")
        elif typing.get_origin(inner) is list:
            yield from _text_keys(typing.get_args(inner)[0], f"{prefix}{name}.*.")
        elif inner is str:
            yield prefix + name


def _narrowest_glyph() -> str:
    """The printable character of the form's font (Helvetica, Windows-1252) that takes the
    least width: the most of them fit in a box."""
    chars = {bytes([b]).decode("cp1252", errors="ignore") for b in range(256)} - {""}
    return min((c for c in chars if not unprintable(c)), key=lambda c: text_width(c, 1))


def _capacity(widget, glyph: str) -> int:
    """The most ``glyph`` the fill can set in the box, at its smallest font size."""
    low, high = 0, 2000
    while low < high:
        middle = (low + high + 1) // 2
        if layout(glyph * middle, widget.width, widget.height).fits:
            low = middle
        else:
            high = middle - 1
    return low


def _key(path: str) -> str:
    # contrat.remunerations[2.1].reference: a row of the form's grid, any line of the list.
    return limits.generic_path(_GRID_ROW.sub(".*", path))


def test_every_text_of_the_format_has_a_maximum_length():
    assert sorted(_text_keys(Dossier)) == sorted(limits.MAX_LENGTH)


def test_each_maximum_is_what_its_boxes_can_show_at_the_smallest_size():
    """A text up to the limit may fit its box (in the narrowest letters); one character
    more fits no box of its key. Recomputed from the template, so that the table cannot
    drift from the form (or from the fill's font sizes)."""
    template = Template.get()
    glyph = _narrowest_glyph()
    shown: dict[str, int] = {}
    for entry in FIELD_MAP:
        if entry.is_checkbox or entry.format == "reserved":
            continue
        for path in entry.paths:
            key = _key(path)
            if key in limits.MAX_LENGTH:
                capacity = _capacity(template.widgets[entry.name], glyph)
                shown[key] = max(shown.get(key, 0), capacity)
    assert set(limits.MAX_LENGTH) - set(shown) == set(TICKED_ONLY)
    assert {key: limits.MAX_LENGTH[key] for key in shown} == shown


@pytest.mark.parametrize("key", sorted(TICKED_ONLY))
def test_a_ticked_answer_lets_its_codes_and_labels_through(key):
    longest = max(len(text) for pair in TICKED_ONLY[key] for text in pair)
    assert limits.MAX_LENGTH[key] >= longest


@pytest.mark.parametrize("pattern", sorted(codes.FIELD_TABLES))
def test_every_code_of_a_list_fits_its_limit(pattern):
    assert max(len(code) for code in codes.codes(codes.FIELD_TABLES[pattern])) <= (
        limits.max_length(pattern)
    )


# -- the loader --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "path", "limit"),
    [
        ({"apprenti": {"nom_naissance": "A" * 325}}, "apprenti.nom_naissance", 324),
        ({"maitres": [{}, {"prenom": "B" * 199}]}, "maitres.1.prenom", 198),
        (
            {"contrat": {"remunerations": [{"reference": "SMIC" * 6}]}},
            "contrat.remunerations.0.reference",
            20,
        ),
        (
            {"employeur": {"adresse": {"code_postal": "6" * 41}}},
            "employeur.adresse.code_postal",
            40,
        ),
        ({"apprenti": {"sexe": "Masculin!"}}, "apprenti.sexe", 8),
        (
            {"formation": {"lieu_principal": {"uai": "0" * 10**6}}},
            "formation.lieu_principal.uai",
            196,
        ),
    ],
)
def test_a_text_too_long_for_its_box_is_refused_naming_the_key_and_the_limit(data, path, limit):
    with pytest.raises(DossierError) as caught:
        Dossier.from_dict(data)
    message = str(caught.value)
    assert f"« {path} » est trop long" in message
    assert f"{limit} au plus" in message
    assert "\n" not in message and len(message) < 300


# -- the command line ----------------------------------------------------------------------


@pytest.mark.parametrize("action", ["check", "complete", "fill"])
def test_the_command_line_refuses_a_text_too_long_with_exit_2(tmp_path, action):
    data = raw("exemple.json")
    data["apprenti"]["nom_naissance"] = "Moreau" * 1000
    path = tmp_path / "long.json"
    path.write_text(json.dumps(data))
    extra = ["-o", str(tmp_path / "out.pdf")] if action == "fill" else []
    status, out, err = run(action, str(path), *extra)
    assert status == 2 and out == ""
    assert err.startswith("Erreur : Dossier illisible : « apprenti.nom_naissance » est trop long")
    assert "324 au plus" in err and err.strip().count("\n") == 0
    assert not (tmp_path / "out.pdf").exists()


# -- the schema ----------------------------------------------------------------------------


def test_the_schema_gives_each_box_its_own_maximum():
    """An address's street has its own limit in each block (the boxes differ in width)."""
    schema = json_schema()
    cfa = {"formation": {"cfa": {"adresse": {"voie": "v" * 147}}}}
    lieu = {"formation": {"lieu_principal": {"adresse": {"voie": "v" * 147}}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(cfa, schema)
    jsonschema.validate(lieu, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"maitres": [{"prenom": "p" * 199}]}, schema)
