"""SIRET → employer, CFA or training place (recherche-entreprises), from recorded answers."""

import pytest
import responses

from cerfa.lookups import entreprises
from cerfa.lookups.result import UNAVAILABLE_MESSAGE

from .conftest import URLS, replay

SEARCH = URLS["entreprises"] + "/search"


def lookup(client, siret, role="employeur"):
    return entreprises.lookup(siret, client=client, base_url=URLS["entreprises"], role=role)


def test_head_office_fills_the_employer_block(client, rsps):
    replay(
        rsps,
        SEARCH,
        "entreprises_siege.json",
        params={"q": "73282932000074", "page": "1", "per_page": "1"},
    )
    result = lookup(client, "732 829 320 00074")
    assert result.status == "ok"
    assert result.values == {
        "siret": "73282932000074",
        "denomination": "BOULANGERIE DES LILAS",
        "adresse": {
            "numero": "12 bis",
            "voie": "RUE DES LILAS",
            "code_postal": "69002",
            "commune": "LYON",
        },
        "code_ape": "1071C",
        "effectif": 6,
        "prive_public": "prive",
        "type_employeur": "11",  # registered at the répertoire des métiers
        "code_idcc": "0843",
    }
    assert result.details["libelle_idcc"] == "Boulangerie-pâtisserie (entreprises artisanales)"
    assert result.details["tranche_effectif"] == "6 à 9 salariés"
    assert result.choices == ()
    text = " ".join(result.messages)
    assert "« 6 à 9 salariés » (2023)" in text and "nous avons indiqué 6" in text
    assert "catégorie juridique INSEE 5710" in text and "Vérifiez-le" in text
    assert result.source


def test_secondary_establishment_address_line_is_split_and_idcc_offered(client, rsps):
    replay(rsps, SEARCH, "entreprises_etablissement.json")
    result = lookup(client, "40123456200171")
    assert result.status == "ok"
    assert result.values["denomination"] == "CONSEIL ET METHODES"
    assert result.values["adresse"] == {
        "numero": "45 bis",
        "voie": "BOULEVARD DES BELGES",
        "complement": "BATIMENT C",
        "code_postal": "69006",
        "commune": "LYON",
    }
    # Headcount of the whole company (unit's band 12), not of the establishment (03).
    assert result.values["effectif"] == 20
    assert result.values["type_employeur"] == "12"  # SARL, not at the répertoire des métiers
    assert result.values["code_ape"] == "7022Z"
    assert "code_idcc" not in result.values
    assert [c["code_idcc"] for c in result.choices] == ["1486", "2098"]
    assert "Bureaux d'études techniques" in result.choices[0]["libelle"]
    text = " ".join(result.messages)
    assert "Plusieurs conventions collectives" in text
    assert "Adresse découpée automatiquement" in text


def test_closed_establishment_is_reported_as_closed(client, rsps):
    replay(rsps, SEARCH, "entreprises_ferme.json")
    result = lookup(client, "31415926000178")
    assert result.status == "closed"
    assert result.messages[0].startswith("Cet établissement est fermé")
    assert result.values["siret"] == "31415926000178"
    # No INSEE band: no headcount invented.
    assert "effectif" not in result.values
    assert any("ne donne pas d'effectif" in m for m in result.messages)


def test_unknown_siret_is_not_found(client, rsps):
    replay(rsps, SEARCH, "entreprises_vide.json")
    result = lookup(client, "52147896600174")
    assert result.status == "not_found"
    assert "SIRENE" in result.messages[0]


def test_result_for_another_siret_is_not_taken(client, rsps):
    replay(rsps, SEARCH, "entreprises_siege.json")
    # The API answered about 73282932000074; we asked for another establishment.
    assert lookup(client, "73282932000173").status == "not_found"


def test_non_diffusible_values_are_never_copied(client, rsps):
    replay(rsps, SEARCH, "entreprises_non_diffusible.json")
    result = lookup(client, "44556677100017")
    assert result.status == "ok"
    assert "NON-DIFFUSIBLE" not in repr(result.values)
    assert "denomination" not in result.values
    assert result.values["adresse"] == {"commune": "LYON"}
    assert result.values["code_ape"] == "9602A"
    assert "type_employeur" not in result.values  # an entrepreneur individuel: no guess
    assert any("ne soient pas diffusées" in m for m in result.messages)


def test_public_employer_is_suggested_as_public(client, rsps):
    replay(rsps, SEARCH, "entreprises_commune.json")
    result = lookup(client, "21690123100011")
    assert (result.values["prive_public"], result.values["type_employeur"]) == ("public", "22")
    assert result.values["adresse"] == {
        "voie": "PLACE DE LA MAIRIE",
        "code_postal": "69390",
        "commune": "VOURLES",
    }
    assert any("Aucune convention collective" in m for m in result.messages)


def test_cfa_role_fills_only_the_cfa_block(client, rsps):
    replay(rsps, SEARCH, "entreprises_cfa.json")
    result = lookup(client, "77834512400219", role="cfa")
    assert result.values == {
        "siret": "77834512400219",
        "denomination": "CFA DES METIERS DE LA COIFFURE",
        "adresse": {
            "numero": "3",
            "voie": "RUE DE L'ARTISANAT",
            "code_postal": "69007",
            "commune": "LYON",
        },
        "uai": "0691234S",
    }
    assert result.choices == ()


@pytest.mark.parametrize("value", ["1234", "73282932000075", "", "7328293200007A"])
def test_invalid_siret_sends_nothing(client, rsps, value):
    result = lookup(client, value)
    assert result.status == "invalid"
    assert result.messages and "SIRET" in result.messages[0]
    assert len(rsps.calls) == 0


@pytest.mark.parametrize(
    "body",
    [
        {"erreur": "quelque chose"},
        {"results": "aucun"},
        {"results": [1, 2]},
        ["une", "liste"],
    ],
)
def test_json_of_the_wrong_shape_is_unavailable(client, rsps, body):
    rsps.add(responses.GET, SEARCH, json=body)
    result = lookup(client, "73282932000074")
    assert result.status == "unavailable"
    assert result.messages == (UNAVAILABLE_MESSAGE,)


def test_api_down_is_unavailable(client, rsps):
    rsps.add(responses.GET, SEARCH, status=500)
    rsps.add(responses.GET, SEARCH, status=500)
    result = lookup(client, "73282932000074")
    assert result.status == "unavailable"
    assert result.messages == (UNAVAILABLE_MESSAGE,)


def test_odd_values_in_a_known_shape_do_not_break_the_lookup(client, rsps):
    rsps.add(
        responses.GET,
        SEARCH,
        json={
            "results": [
                {
                    "siege": {
                        "siret": "73282932000074",
                        "numero_voie": 12,
                        "type_voie": None,
                        "libelle_voie": ["?"],
                        "liste_idcc": "0843",
                    },
                    "nom_raison_sociale": 42,
                    "tranche_effectif_salarie": "ZZ",
                    "nature_juridique": None,
                    "activite_principale": "inconnue",
                }
            ]
        },
    )
    result = lookup(client, "73282932000074")
    assert result.status == "ok"
    assert result.values["siret"] == "73282932000074"
    assert "code_idcc" not in result.values and "effectif" not in result.values
