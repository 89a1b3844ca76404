"""Nothing typed twice: what the steps deduce from one box, and what they propose from
another step, without JavaScript and without network."""

import json
import re

from tests.helpers import raw
from tests.wizard.conftest import (
    dossier_json,
    management,
    started_contract,
    uploaded_contract,
)


def _text(response) -> str:
    return response.content.decode()


def _box(page: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)


def test_a_postal_code_with_one_commune_fills_it_when_the_step_is_stored(client):
    base = started_contract(client)
    client.post(
        base + "employeur/",
        {**management(base, "employeur"), "employeur__adresse__code_postal": "69003"},
    )
    assert dossier_json(client, base)["employeur"]["adresse"]["commune"] == "LYON"


def test_a_typed_commune_is_never_replaced(client):
    base = started_contract(client)
    client.post(
        base + "employeur/",
        {
            **management(base, "employeur"),
            "employeur__adresse__code_postal": "69003",
            "employeur__adresse__commune": "Lyon 3e",
        },
    )
    assert dossier_json(client, base)["employeur"]["adresse"]["commune"] == "Lyon 3e"


def test_a_postal_code_with_several_communes_offers_them_without_javascript(client):
    base = started_contract(client)
    client.post(
        base + "employeur/",
        {**management(base, "employeur"), "employeur__adresse__code_postal": "01400"},
    )
    assert dossier_json(client, base)["employeur"]["adresse"].get("commune") is None
    page = _text(client.get(base + "employeur/"))
    assert 'list="id_employeur__adresse__commune-communes"' in _box(
        page, "employeur__adresse__commune"
    )
    options = re.search(
        r'<datalist id="id_employeur__adresse__commune-communes">(.*?)</datalist>', page, re.S
    ).group(1)
    assert options.count("<option") == 10
    assert 'value="CHATILLON SUR CHALARONNE"' in options


def test_code_diplome_fills_rncp_intitule_and_diplome_vise(client):
    base = started_contract(client)
    client.post(
        base + "formation/",
        {**management(base, "formation"), "formation__code_diplome": "32031313"},
    )
    formation = dossier_json(client, base)["formation"]
    assert formation["code_rncp"] == "RNCP38381"
    assert formation["intitule_precis"] == "BANQUE (BTS)"
    assert formation["diplome_vise"] == "54"


def test_rncp_fills_code_diplome_and_a_typed_intitule_is_kept(client):
    base = started_contract(client)
    client.post(
        base + "formation/",
        {
            **management(base, "formation"),
            "formation__code_rncp": "rncp 38381",
            "formation__intitule_precis": "BTS Banque, conseiller de clientèle",
        },
    )
    formation = dossier_json(client, base)["formation"]
    assert formation["code_diplome"] == "32031313"
    assert formation["intitule_precis"] == "BTS Banque, conseiller de clientèle"


def test_an_rncp_shared_by_several_diplomas_fills_only_what_they_share(client):
    base = started_contract(client)
    client.post(
        base + "formation/",
        {**management(base, "formation"), "formation__code_rncp": "RNCP35908"},
    )
    formation = dossier_json(client, base)["formation"]
    assert formation.get("code_diplome") is None and formation.get("intitule_precis") is None
    assert formation["diplome_vise"] == "73"  # every one of them is a master


def test_fait_a_and_practical_training_are_proposed_not_stored(client):
    data = raw("exemple.json")
    data["signature"]["fait_a"] = None
    data["contrat"]["date_debut_formation_pratique"] = None
    base = uploaded_contract(client, json.dumps(data).encode())
    page = _text(client.get(base + "signature/"))
    assert 'value="Lyon"' in _box(page, "signature__fait_a")
    assert "la commune de l&#x27;employeur" in page
    page = _text(client.get(base + "contrat/"))
    assert 'value="2027-09-01"' in _box(page, "contrat__date_debut_formation_pratique")
    # Proposed only: the user's « Suivant » makes them theirs.
    assert dossier_json(client, base)["signature"]["fait_a"] is None


def test_legal_representative_at_the_apprentice_s_address(client):
    base = started_contract(client)
    client.post(
        base + "contrat-en-bref/",
        {**management(base, "contrat-en-bref"), "contrat__date_conclusion": "2027-08-24"},
    )
    client.post(
        base + "apprenti/",
        {
            **management(base, "apprenti"),
            "apprenti__date_naissance": "2011-03-02",
            "apprenti__adresse__numero": "21",
            "apprenti__adresse__voie": "rue Paul Bert",
            "apprenti__adresse__code_postal": "69003",
        },
    )
    client.post(
        base + "representant-legal/",
        {
            **management(base, "representant-legal"),
            "apprenti__representant_legal__nom_naissance": "MOREAU",
            "meme_adresse_que_apprenti": "on",
            "apprenti__representant_legal__adresse__voie": "ignorée",
        },
    )
    saved = dossier_json(client, base)
    expected = {"numero": "21", "voie": "rue Paul Bert", "code_postal": "69003", "commune": "LYON"}
    address = saved["apprenti"]["representant_legal"]["adresse"]
    assert {k: v for k, v in address.items() if v} == expected
    assert "meme_adresse_que_apprenti" not in json.dumps(saved)
    # The box stays ticked when the step is shown again, and on a resumed draft.
    page = _text(client.get(base + "representant-legal/"))
    assert "checked" in _box(page, "meme_adresse_que_apprenti")


def test_the_pay_step_shows_only_the_contract_s_years(client):
    base = uploaded_contract(client)  # two years: 2027-09-01 to 2029-08-31
    page = _text(client.get(base + "remuneration/"))
    assert "1ère année" in page and "2ème année" in page
    assert "3ème année" not in page and "4ème année" not in page
    started = started_contract(client)  # dates unknown: the four years
    page = _text(client.get(started + "remuneration/"))
    assert "4ème année" in page


def test_the_review_names_the_opco_or_says_to_check_it(client):
    base = uploaded_contract(client)  # IDCC 2596, coiffure
    page = _text(client.get(base + "recapitulatif/"))
    opco = re.search(r'id="opco">(.*?)</div>', page, re.S).group(1)
    assert "IDCC 2596" in opco and "<strong>OPCO EP</strong>" in opco and "À vérifier" in opco
    data = raw("exemple.json")
    data["employeur"]["code_idcc"] = "3248"  # Métallurgie, younger than the 2019 table
    base = uploaded_contract(client, json.dumps(data).encode())
    opco = re.search(r'id="opco">(.*?)</div>', _text(client.get(base + "recapitulatif/")), re.S)
    assert "OPCO à vérifier" in opco.group(1) and "3248" in opco.group(1)


def test_proposals_fill_a_step_never_submitted(client):
    base = started_contract(client)
    client.post(
        base + "contrat-en-bref/",
        {**management(base, "contrat-en-bref"), "contrat__date_debut_execution": "2027-09-01"},
    )
    client.post(
        base + "employeur/",
        {**management(base, "employeur"), "employeur__adresse__commune": "Villeurbanne"},
    )
    page = _text(client.get(base + "signature/"))
    assert 'value="Villeurbanne"' in _box(page, "signature__fait_a")
    page = _text(client.get(base + "contrat/"))
    assert 'value="2027-09-01"' in _box(page, "contrat__date_debut_formation_pratique")


def test_the_commune_is_the_commune_not_la_poste_s_delivery_label(client):
    """44500 is delivered as « LA BAULE »; the commune is La Baule-Escoublac."""
    base = started_contract(client)
    client.post(
        base + "employeur/",
        {**management(base, "employeur"), "employeur__adresse__code_postal": "44500"},
    )
    assert dossier_json(client, base)["employeur"]["adresse"]["commune"] == "LA BAULE ESCOUBLAC"
