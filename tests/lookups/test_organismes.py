"""CFA by SIRET or UAI (référentiel de l'apprentissage, then the Annuaire des entreprises)."""

import pytest
import responses

from cerfa.lookups import organismes

from .conftest import URLS, replay

ORGANISMES = URLS["referentiel"] + "/api/v1/organismes"
SEARCH = URLS["entreprises"] + "/search"

CFA_VALUES = {
    "denomination": "CFA DES METIERS DE LA COIFFURE",
    "siret": "77834512400219",
    "uai": "0691234S",
    "adresse": {
        "numero": "3",
        "voie": "Rue de l'Artisanat",
        "code_postal": "69007",
        "commune": "Lyon",
    },
}


def lookup(client, value):
    return organismes.lookup(value, client=client, urls=URLS)


def test_by_siret(client, rsps):
    replay(rsps, ORGANISMES + "/77834512400219", "referentiel_organisme.json")
    result = lookup(client, "778 345 124 00219")
    assert result.status == "ok"
    assert result.values == CFA_VALUES
    assert result.details == {"nature": "responsable et formateur"}


def test_by_uai(client, rsps):
    replay(
        rsps,
        ORGANISMES,
        "referentiel_uai.json",
        params={"uais": "0691234S", "items_par_page": "20"},
    )
    result = lookup(client, "0691234s")
    assert result.status == "ok"
    assert result.values == CFA_VALUES


def test_several_organismes_for_one_uai_offer_a_choice(client, rsps):
    replay(rsps, ORGANISMES, "referentiel_uai_plusieurs.json")
    result = lookup(client, "0691234S")
    assert result.values == {"uai": "0691234S"}
    assert [c["siret"] for c in result.choices] == ["77834512400219", "77834512400177"]
    assert result.choices[1]["adresse"]["commune"] == "Vénissieux"
    assert result.choices[1]["nature"] == "formateur"


def test_closed_organisme_without_uai(client, rsps):
    replay(rsps, ORGANISMES + "/77834512400219", "referentiel_ferme.json")
    result = lookup(client, "77834512400219")
    assert result.status == "closed"
    assert "uai" not in result.values
    text = " ".join(result.messages)
    assert "fermé" in text and "UAI" in text and "seulement formateur" in text


def test_siret_unknown_to_the_referentiel_falls_back_to_the_annuaire(client, rsps):
    replay(rsps, ORGANISMES + "/77834512400219", "referentiel_inconnu.json")
    replay(rsps, SEARCH, "entreprises_cfa.json")
    result = lookup(client, "77834512400219")
    assert result.status == "ok"
    assert result.values["denomination"] == "CFA DES METIERS DE LA COIFFURE"
    assert result.values["uai"] == "0691234S"
    assert result.messages[0].startswith("Ce SIRET n'est pas dans le Référentiel")


def test_referentiel_down_falls_back_to_the_annuaire_silently(client, rsps):
    rsps.add(responses.GET, ORGANISMES + "/77834512400219", status=502)
    rsps.add(responses.GET, ORGANISMES + "/77834512400219", status=502)
    replay(rsps, SEARCH, "entreprises_cfa.json")
    result = lookup(client, "77834512400219")
    assert result.status == "ok"
    assert not any("Référentiel" in m for m in result.messages)


def test_both_sources_down_is_unavailable(client, rsps):
    for url in (ORGANISMES + "/77834512400219", SEARCH):
        rsps.add(responses.GET, url, body="<html>maintenance</html>")
    assert lookup(client, "77834512400219").status == "unavailable"


def test_unknown_uai_is_not_found(client, rsps):
    rsps.add(responses.GET, ORGANISMES, json={"organismes": [], "pagination": {"total": 0}})
    assert lookup(client, "0693456G").status == "not_found"


@pytest.mark.parametrize("body", [{"organismes": "aucun"}, {"organismes": [3]}, []])
def test_uai_answer_of_the_wrong_shape_is_unavailable(client, rsps, body):
    rsps.add(responses.GET, ORGANISMES, json=body)
    assert lookup(client, "0691234S").status == "unavailable"


@pytest.mark.parametrize("value", ["0691234A", "77834512400218", "CFA de Lyon", "069123"])
def test_invalid_identifiers_send_nothing(client, rsps, value):
    assert lookup(client, value).status == "invalid"
    assert len(rsps.calls) == 0
