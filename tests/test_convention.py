"""The convention de formation pre-filled from the contract (cerfa/documents/convention.py),
the PDF layout every document shares (cerfa/documents/pdfdoc.py) and its download.

The text is read back with Poppler's ``pdftotext``, as a reader's tools would read it.
"""

from __future__ import annotations

import copy
import datetime
import html
import io
import re
import subprocess

import pytest
from pypdf import PdfReader

from cerfa.documents.convention import CFA, MISSING, convention_pdf
from cerfa.store import get_store
from rules.dates import format_fr
from rules.dossier import Dossier
from tests.helpers import DOSSIERS, load
from tests.wizard.conftest import uploaded_contract

A4_WIDTH = 595.28
MARGIN = 56.0


def pdf_text(data: bytes) -> str:
    """The PDF's text, every run of white space one space."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(out.split())


def word_boxes(data: bytes) -> list[tuple[str, float, float]]:
    """Every word Poppler finds, with its left and right edges in points."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [
        (html.unescape(m.group(3)), float(m.group(1)), float(m.group(2)))
        for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>(.*?)</word>', out
        )
    ]


def assert_within_margins(data: bytes) -> None:
    boxes = word_boxes(data)
    assert boxes
    for word, left, right in boxes:
        assert left >= MARGIN - 1, (word, left)
        assert right <= A4_WIDTH - MARGIN + 1, (word[:40], right)


def assert_accessible(data: bytes, title: str, headings: list[str]) -> None:
    """Language fr-FR, the title shown by the viewer, the headings in the outline."""
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr-FR"
    assert reader.metadata.title == title
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    outline = [item.title for item in _flatten(reader.outline)]
    for heading in headings:
        assert heading in outline, (heading, outline)


def _flatten(items):
    for item in items:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


def _date(day: datetime.date | None) -> list[str]:
    return [format_fr(day)] if day else []


def expected_values(d: Dossier) -> list[str]:
    """What the convention must show of the dossier: parties, training, dates, hours."""
    e, a, c, f = d.employeur, d.apprenti, d.contrat, d.formation
    values = [
        f.cfa.denomination,
        f.cfa.uai,
        f.cfa.siret,
        f.cfa.adresse.commune,
        e.denomination,
        e.siret,
        (a.nom_naissance or "").upper() or None,
        a.prenom,
        f.intitule_precis,
        f.code_diplome,
        f.code_rncp,
        *_date(c.date_debut_execution),
        *_date(c.date_fin),
        *_date(c.date_debut_formation_pratique),
        *_date(f.date_debut_cfa),
        *_date(f.date_fin_epreuves),
        *_date(a.date_naissance),
    ]
    if f.duree_heures is not None:
        values.append(f"Durée totale de la formation {f.duree_heures} heure")
    if f.heures_distance is not None:
        values.append(f"Dont formation à distance {f.heures_distance} heure")
    rep = a.representant_legal
    if rep is not None:
        values += [rep.prenom, (rep.nom_naissance or "").upper() or None]
    if f.lieu_principal is not None and f.cfa_est_lieu_principal is False:
        values += [f.lieu_principal.denomination, f.lieu_principal.uai]
    return [" ".join(v.split()) for v in values if v]


@pytest.mark.parametrize("path", DOSSIERS, ids=lambda p: p.stem)
def test_every_fixture_shows_its_parties_training_dates_and_hours(path):
    dossier = Dossier.from_json(path.read_text(encoding="utf-8"))
    data = convention_pdf(dossier)
    text = pdf_text(data)
    for value in expected_values(dossier):
        assert value in text, value
    assert f"N° de déclaration d’activité {CFA}" in text
    assert f"Niveau de prise en charge (NPEC) du contrat {CFA}" in text
    assert "Pour le CFA : nom, qualité, signature et cachet" in text
    assert "Pour l’employeur : nom, qualité, signature et cachet" in text
    assert_within_margins(data)
    assert_accessible(
        data,
        "Convention de formation par apprentissage",
        [
            "Article 1 — Les parties",
            "Article 2 — La formation",
            "Article 5 — Dispositions financières",
            "Signatures",
        ],
    )


def test_the_example_in_words():
    text = pdf_text(convention_pdf(load("exemple.json")))
    assert "Intitulé précis Brevet professionnel Coiffure" in text
    assert "N° UAI 0691234S" in text
    assert "N° SIRET 77834512400219" in text
    assert "Code diplôme 45020201" in text and "Code RNCP RNCP35908" in text
    assert "Niveau (cadre national) 4" in text
    assert "Durée totale de la formation 910 heures" in text
    assert "Dont formation à distance 0 heure (0 % de la durée totale)" in text
    assert "Lieu principal de la formation Le CFA responsable" in text
    # An adult: no legal representative block; a level-4 diploma: no employer's share.
    assert "représentant légal" not in text
    assert "Sans objet : diplôme de niveau 4" in text
    assert "OPCO EP (d’après l’IDCC, à vérifier)" in text
    assert "Fait à Lyon" in text
    assert (
        "C. trav. art. L6353-1 et D6353-1 (version en vigueur depuis le 1er janvier 2019)" in text
    )
    assert (
        "décret n° 2025-585 du 27 juin 2025" in text
        and "décret n° 2025-586 du 27 juin 2025" in text
    )
    assert "Textes cités dans l'état connu de ce service au 06/03/2026." in text


def test_a_minor_has_the_legal_representative_and_his_signature_box():
    dossier = load("mineur-representant-legal.json")
    rep = dossier.apprenti.representant_legal
    text = pdf_text(convention_pdf(dossier))
    assert "Son représentant légal (apprenti mineur)" in text
    assert f"{rep.prenom} {rep.nom_naissance.upper()}" in text
    assert "Vu par son représentant légal" in text


def test_a_missing_value_is_said_missing_never_invented():
    text = pdf_text(convention_pdf(load("brouillon-incomplet.json")))
    assert MISSING in text
    assert "À déterminer" in text


def _variant(**changes) -> Dossier:
    dossier = copy.deepcopy(load("exemple.json"))
    for path, value in changes.items():
        *parents, last = path.split("__")
        node = dossier
        for part in parents:
            node = getattr(node, part)
        setattr(node, last, value)
    return dossier


def test_the_employer_share_of_750_euros_from_level_6():
    licence = _variant(formation__diplome_vise="62")
    text = pdf_text(convention_pdf(licence))
    assert "750 € dus par l’employeur au CFA (diplôme de niveau 6)" in text
    before = _variant(
        formation__diplome_vise="62", contrat__date_conclusion=datetime.date(2025, 6, 30)
    )
    assert "Sans objet : contrat conclu avant le 01/07/2025" in pdf_text(convention_pdf(before))


def test_training_mostly_at_a_distance_is_said_to_be_minored():
    mostly = _variant(formation__heures_distance=800)
    text = pdf_text(convention_pdf(mostly))
    assert "Dont formation à distance 800 heures (87 % de la durée totale)" in text
    assert "Oui d’après les heures indiquées (87 % à distance)" in text
    some = _variant(formation__heures_distance=700)
    assert "Non d’après les heures indiquées (76 % à distance)" in pdf_text(convention_pdf(some))


def test_a_separate_place_of_training_is_named():
    dossier = load("lieu-formation-distinct.json")
    text = pdf_text(convention_pdf(dossier))
    assert "Lieu principal de la formation, distinct du CFA responsable" in text
    assert dossier.formation.lieu_principal.denomination in text


def test_a_300_character_word_wraps_within_the_margins():
    word = "Wéxyz" * 60
    dossier = _variant(
        apprenti__nom_naissance=word, employeur__denomination=word, formation__intitule_precis=word
    )
    data = convention_pdf(dossier)
    assert_within_margins(data)
    # Cut, not lost: every character is there, in order.
    text = pdf_text(data).replace(" ", "")
    assert word.upper() in text and word in text


# -- the download ------------------------------------------------------------------------


@pytest.fixture
def _empty_store():
    get_store().clear()
    yield
    get_store().clear()


@pytest.mark.usefixtures("_empty_store")
def test_the_review_page_offers_the_convention_and_it_downloads(client):
    base = uploaded_contract(client)
    review = client.get(base + "recapitulatif/").content.decode()
    assert f'href="{base}convention.pdf"' in review
    response = client.get(base + "convention.pdf")
    assert response.status_code == 200
    assert "Brevet professionnel Coiffure" in pdf_text(response.content)
