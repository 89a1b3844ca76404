"""The names of the files handed out (cerfa/downloads.py) and their Content-Disposition."""

import re
from urllib.parse import unquote

import pytest

from cerfa import downloads
from rules.dossier import Dossier


def _dossier(nom, prenom) -> Dossier:
    dossier = Dossier()
    dossier.apprenti.nom_naissance, dossier.apprenti.prenom = nom, prenom
    return dossier


@pytest.mark.parametrize(
    ("nom", "prenom", "expected"),
    [
        ("Moreau", "Inès", "cerfa-apprentissage-MOREAU-Ines.pdf"),
        ("D'Aubigné-Lefèvre", "zoé", "cerfa-apprentissage-D-AUBIGNE-LEFEVRE-Zoe.pdf"),
        (None, None, "cerfa-apprentissage.pdf"),
        ("../../etc", "passwd", "cerfa-apprentissage-ETC-Passwd.pdf"),
        # Ligatures spelt out as French writes them, rather than cut out of the name.
        ("Lœuillet", "Æsa", "cerfa-apprentissage-LOEUILLET-Aesa.pdf"),
        ("Groß", None, "cerfa-apprentissage-GROSS.pdf"),
    ],
)
def test_the_name_follows_the_apprentice_in_ascii(nom, prenom, expected):
    assert downloads.filename(_dossier(nom, prenom)) == expected


def test_each_file_of_a_contract_has_its_own_name():
    dossier = _dossier("Moreau", "Inès")
    names = {kind: downloads.filename(dossier, kind) for kind in downloads.SUFFIXES}
    assert names == {
        "pdf": "cerfa-apprentissage-MOREAU-Ines.pdf",
        "pdf_aplati": "cerfa-apprentissage-MOREAU-Ines-non-modifiable.pdf",
        "points": "cerfa-apprentissage-MOREAU-Ines-points-a-verifier.pdf",
        "json": "cerfa-apprentissage-MOREAU-Ines.json",
        "ics": "cerfa-apprentissage-MOREAU-Ines-calendrier.ics",
        "opco": "cerfa-apprentissage-MOREAU-Ines-echange-opco.json",
        "zip": "cerfa-apprentissage-MOREAU-Ines-dossier-complet.zip",
        "convention": "cerfa-apprentissage-MOREAU-Ines-convention-de-formation.pdf",
        "guide": "cerfa-apprentissage-MOREAU-Ines-et-maintenant.pdf",
    }


@pytest.mark.parametrize("length", [5_000, 200_000])
@pytest.mark.parametrize("kind", sorted(downloads.SUFFIXES))
def test_a_name_of_any_length_gives_a_short_header_with_both_forms(length, kind):
    dossier = _dossier("Dupont-" * (length // 7), "Éloïse" * (length // 6))
    name = downloads.filename(dossier, kind)
    assert len(name) <= downloads.MAX_NAME_LENGTH
    assert name.startswith("cerfa-apprentissage-DUPONT-DUPONT")
    assert name.endswith(downloads.SUFFIXES[kind]) and "--" not in name
    header = downloads.content_disposition(name)
    assert len(header.encode("latin-1")) < 300
    assert f'filename="{name}"' in header
    assert f"filename*=UTF-8''{name}" in header


def test_a_name_in_another_script_keeps_a_usable_name():
    assert downloads.filename(_dossier("محمد", "Ελένη")) == "cerfa-apprentissage.pdf"


def test_the_header_gives_an_ascii_name_and_the_utf8_one():
    header = downloads.content_disposition("contrat d'Inès «2027».pdf")
    match = re.fullmatch(r"attachment; filename=\"([^\"]*)\"; filename\*=UTF-8''(\S+)", header)
    assert match, header
    assert match.group(1) == "contrat-d-Ines-2027.pdf"
    assert unquote(match.group(2)) == "contrat d'Inès «2027».pdf"
    # RFC 5987 attr-char only: no quote, space or apostrophe left in the encoded form.
    assert re.fullmatch(r"[A-Za-z0-9!#$&+\-.^_`|~%]+", match.group(2))
    header.encode("latin-1")  # a header Django can send as it is


def test_the_utf8_name_keeps_the_accents_and_the_ascii_one_folds_them():
    from rules.dossier import Dossier

    dossier = Dossier.from_json(
        '{"format": "cerfa-fa13/1", "apprenti": {"nom_naissance": "Lefèvre", "prenom": "inès"}}'
    )
    header = downloads.content_disposition(downloads.display_name(dossier, "pdf_aplati"))
    assert 'filename="cerfa-apprentissage-LEFEVRE-Ines-non-modifiable.pdf"' in header
    assert (
        "filename*=UTF-8''cerfa-apprentissage-LEF%C3%88VRE-In%C3%A8s-non-modifiable.pdf" in header
    )
    assert downloads.filename(dossier, "pdf_aplati") in header
    long = Dossier.from_json(
        '{"format": "cerfa-fa13/1", "apprenti": {"nom_naissance": "' + "Ééé" * 50 + '"}}'
    )
    assert len(downloads.display_name(long)) <= downloads.MAX_NAME_LENGTH
    assert len(downloads.content_disposition(downloads.display_name(long))) < 1_000
