"""« Et maintenant ? » (rules/next_steps.py, cerfa/documents/guide.py) and its download."""

from __future__ import annotations

import copy
import datetime

import pytest

from cerfa.documents.guide import TITLE, guide_pdf
from cerfa.store import get_store
from rules import next_steps
from rules.dates import format_fr
from rules.dossier import Dossier
from rules.timeline import timeline_for
from tests.helpers import DOSSIERS, load
from tests.test_convention import assert_accessible, assert_within_margins, pdf_text
from tests.wizard.conftest import uploaded_contract

TODAY = datetime.date(2027, 8, 20)
# The example starts on Wednesday 1 September 2027: 5 jours ouvrables (Monday to
# Saturday, no public holiday in between) later is Tuesday 7 September.
EXAMPLE_DEADLINE = datetime.date(2027, 9, 7)


def _variant(name: str = "exemple.json", **changes) -> Dossier:
    dossier = copy.deepcopy(load(name))
    for path, value in changes.items():
        *parents, last = path.split("__")
        node = dossier
        for part in parents:
            node = getattr(node, part)
        setattr(node, last, value)
    return dossier


def _keys(items) -> set[str]:
    return {item.key for item in items}


@pytest.mark.parametrize("path", DOSSIERS, ids=lambda p: p.stem)
def test_every_fixture_gives_a_guide_within_its_margins(path):
    dossier = Dossier.from_json(path.read_text(encoding="utf-8"))
    data = guide_pdf(dossier, TODAY)
    text = pdf_text(data)
    assert "Et maintenant ?" in text
    assert f"Document établi le {format_fr(TODAY)}" in text
    deadline = next_steps.filing_deadline(dossier)
    if deadline is not None:
        assert f"À transmettre au plus tard le {format_fr(deadline.day)}" in text
    assert_within_margins(data)
    assert_accessible(
        data,
        TITLE,
        [
            "Et maintenant ?",
            "1. Qui signe quoi, et dans quel ordre",
            "2. À qui transmettre le contrat",
            "3. Les pièces à garder pour ce contrat",
            "4. Les formalités de l’embauche",
        ],
    )


def test_the_deadline_is_five_jours_ouvrables_after_the_start():
    dossier = load("exemple.json")
    assert dossier.contrat.date_debut_execution == datetime.date(2027, 9, 1)
    assert next_steps.filing_deadline(dossier).day == EXAMPLE_DEADLINE
    text = pdf_text(guide_pdf(dossier, TODAY))
    assert "À transmettre au plus tard le 07/09/2027 à OPCO EP (OPCO à vérifier)" in text
    assert "Ce délai est passé" not in text
    # A start on a Friday: Saturday counts, Sunday does not (D6224-1, jours ouvrables).
    friday = _variant(
        contrat__date_debut_execution=datetime.date(2027, 10, 1),
        contrat__date_debut_formation_pratique=datetime.date(2027, 10, 1),
        contrat__date_conclusion=datetime.date(2027, 9, 20),
    )
    assert next_steps.filing_deadline(friday).day == datetime.date(2027, 10, 7)


def test_a_deadline_already_passed_is_said_so():
    text = pdf_text(guide_pdf(load("exemple.json"), datetime.date(2027, 9, 8)))
    assert "Ce délai est passé : transmettez le contrat sans attendre." in text


def test_the_opco_is_named_for_a_known_idcc_and_to_check_for_an_unknown_one():
    known = pdf_text(guide_pdf(load("exemple.json"), TODAY))
    assert (
        "D'après l'IDCC 2596, l'OPCO de l'employeur est OPCO EP (https://www.opcoep.fr/)" in known
    )
    assert "À vérifier : la table IDCC → OPCO du ministère du Travail date du 19/07/2019" in known
    # 3248 (Métallurgie, 2024) is younger than the 2019 table.
    unknown = pdf_text(guide_pdf(_variant(employeur__code_idcc="3248"), TODAY))
    assert (
        "OPCO à vérifier : la table IDCC → OPCO du ministère du Travail (du 19/07/2019) ne connaît pas l'IDCC 3248"
        in unknown
    )
    assert "OPCO EP" not in unknown
    none = pdf_text(guide_pdf(_variant(employeur__code_idcc="9999"), TODAY))
    assert "OPCO à vérifier : sans convention collective (IDCC 9999)" in none


def test_a_public_employer_sends_to_the_state_services():
    dossier = load("employeur-public.json")
    text = pdf_text(guide_pdf(dossier, TODAY))
    assert "aux services de l'État (DDETS)" in text
    assert "C. trav. art. D6275-1" in text


def test_supporting_documents_appear_only_when_their_condition_holds():
    plain = next_steps.documents(load("exemple.json"))
    assert _keys(plain) == {"convention_formation"}

    minor = load("mineur-representant-legal.json")
    assert _keys(next_steps.documents(minor)) == {"convention_formation"}
    machines = _variant("mineur-representant-legal.json", contrat__machines_dangereuses=True)
    assert "derogation_travaux_mineur" in _keys(next_steps.documents(machines))
    # An adult on dangerous machines makes no minor's declaration.
    adult_machines = _variant(contrat__machines_dangereuses=True)
    assert "derogation_travaux_mineur" not in _keys(next_steps.documents(adult_machines))

    for code, expected in (("1", False), ("2", False), ("3", True)):
        dossier = _variant(apprenti__nationalite=code)
        assert ("autorisation_travail" in _keys(next_steps.documents(dossier))) is expected

    assert "rqth" in _keys(next_steps.documents(_variant(apprenti__rqth=True)))
    assert "rqth" in _keys(next_steps.documents(_variant(apprenti__extension_boe=True)))

    for derogation, expected in (
        ("21", True),
        ("22", True),
        ("50", True),
        ("11", False),
        (None, False),
    ):
        dossier = _variant(contrat__type_derogation=derogation)
        assert ("convention_duree" in _keys(next_steps.documents(dossier))) is expected

    in_company = _variant(formation__cfa_entreprise=True)
    (annex,) = next_steps.documents(in_company)
    assert annex.title == "Annexe pédagogique et financière"


def test_the_guide_lists_this_contracts_documents_only():
    text = pdf_text(guide_pdf(load("exemple.json"), TODAY))
    assert "Convention de formation signée par le CFA et l'employeur" in text
    assert "Autorisation de travail" not in text
    assert "Déclaration de dérogation" not in text
    assert "(RQTH)" not in text
    # Mobility: the CERFA cannot tell, so it is under « Selon votre situation ».
    assert "Selon votre situation • Convention de mobilité, si une partie du contrat" in text
    many = _variant(
        "mineur-representant-legal.json",
        contrat__machines_dangereuses=True,
        apprenti__nationalite="3",
        apprenti__rqth=True,
    )
    text = pdf_text(guide_pdf(many, TODAY))
    assert "Déclaration de dérogation aux travaux interdits aux mineurs" in text
    assert "Autorisation de travail de l'apprenti" in text
    assert "travailleur handicapé (RQTH)" in text
    assert "examen médical d'aptitude" in text


def test_who_signs_follows_the_apprentices_age():
    adult = next_steps.signatures(
        load("exemple.json"), None, next_steps.recipient(load("exemple.json"))
    )
    assert adult[1].title == "2. Le CERFA : l'employeur et l'apprenti"
    minor = load("mineur-representant-legal.json")
    items = next_steps.signatures(minor, None, next_steps.recipient(minor))
    assert items[1].title == "2. Le CERFA : l'employeur, l'apprenti et son représentant légal"
    assert [i.key for i in items] == ["convention_formation", "cerfa", "transmission"]
    text = pdf_text(guide_pdf(minor, TODAY))
    assert "la visite d'information et de prévention a lieu avant qu'il prenne son poste" in text


def test_the_formalities_of_the_faq():
    steps = next_steps.next_steps(load("exemple.json"))
    assert [i.key for i in steps.formalities] == ["dpae", "visite_medicale", "retraite"]
    assert "AG2R Agirc-Arrco" in steps.formalities[2].text
    msa = next_steps.formalities(_variant(apprenti__regime_social="1"))
    assert "à la MSA" in msa[0].text


def test_the_pay_changes_are_the_timelines():
    dossier = load("exemple.json")
    text = pdf_text(guide_pdf(dossier, TODAY))
    assert "5. Les changements de salaire à prévoir" in text
    for period in timeline_for(dossier).periods:
        assert f"À partir du {format_fr(period.line.du)} ({period.name})" in text
    assert "À partir du 01/09/2028 (Année 2) : 51 % du SMIC" in text
    assert "6. Les aides" in text
    # No grid yet (no birth date): no pay section, the aid is section 5.
    undated = pdf_text(guide_pdf(_variant(apprenti__date_naissance=None), TODAY))
    assert "changements de salaire" not in undated and "5. Les aides" in undated


def test_aid_states_its_date_and_where_to_check():
    text = pdf_text(guide_pdf(load("exemple.json"), TODAY))
    assert "Informations à jour au 06/03/2026 : vérifiez les conditions en vigueur" in text
    assert "travail-emploi.gouv.fr" in text
    assert "Textes cités dans l'état connu de ce service au 06/03/2026." in text
    # Concluded in 2027: after the texts known, so said to be checked, not guessed.
    assert (
        "aucun texte ne fixe d'aide exceptionnelle pour un contrat qui commence à partir du "
        "01/01/2027" in text
    )


def test_aid_follows_size_level_and_date():
    def aid_text(**changes) -> str:
        return " ".join(i.text for i in next_steps.aid(_variant(**changes)))

    assert "5 000 € au titre de la première année" in aid_text()
    assert "6 000 €" in aid_text(apprenti__rqth=True)
    assert "Non : elle est réservée aux entreprises de moins de 250" in aid_text(
        employeur__effectif=300
    )
    in_2026 = {
        "contrat__date_conclusion": datetime.date(2026, 9, 1),
        "contrat__date_debut_execution": datetime.date(2026, 9, 7),
    }
    licence_2026 = aid_text(formation__diplome_vise="62", **in_2026)
    assert "Non : elle est réservée aux diplômes de niveau 4" in licence_2026
    assert "2 000 € au plus" in licence_2026
    large_bts = aid_text(formation__diplome_vise="54", employeur__effectif=300, **in_2026)
    assert "1 500 € au plus" in large_bts and "part minimale d'alternants" in large_bts
    assert "4 500 € au plus" in aid_text(formation__diplome_vise="54", **in_2026)
    # Concluded in 2026 but starting in 2027: outside the 2026 decree.
    late = aid_text(
        formation__diplome_vise="54",
        contrat__date_conclusion=datetime.date(2026, 12, 15),
        contrat__date_debut_execution=datetime.date(2027, 1, 4),
    )
    assert "4 500 €" not in late and "qui commence le 04/01/2027" in late
    early_2026 = aid_text(contrat__date_conclusion=datetime.date(2026, 2, 1))
    assert "entre le 01/01/2026 et le 07/03/2026 n'y ouvrent pas droit" in early_2026
    public = " ".join(i.text for i in next_steps.aid(load("employeur-public.json")))
    assert "employeurs du secteur privé" in public


def test_the_employer_share_from_level_6():
    keys = _keys(next_steps.aid(_variant(formation__diplome_vise="73")))
    assert "participation_employeur" in keys
    assert "participation_employeur" not in _keys(next_steps.aid(load("exemple.json")))


def test_a_300_character_word_wraps_within_the_margins():
    word = "Wéxyz" * 60
    dossier = _variant(
        apprenti__nom_naissance=word,
        apprenti__prenom=word,
        contrat__caisse_retraite_complementaire=word,
    )
    data = guide_pdf(dossier, TODAY)
    assert_within_margins(data)
    assert word in pdf_text(data).replace(" ", "")


# -- the download ------------------------------------------------------------------------


@pytest.fixture
def _empty_store():
    get_store().clear()
    yield
    get_store().clear()


@pytest.mark.usefixtures("_empty_store")
def test_the_review_page_offers_the_guide_and_it_downloads(client):
    base = uploaded_contract(client)
    review = client.get(base + "recapitulatif/").content.decode()
    assert f'href="{base}et-maintenant.pdf"' in review
    # The deadline on the page itself, beside the OPCO.
    assert "<strong>À transmettre au plus tard le 07/09/2027</strong>" in review
    response = client.get(base + "et-maintenant.pdf")
    assert response.status_code == 200
    assert "À transmettre au plus tard le 07/09/2027" in pdf_text(response.content)
