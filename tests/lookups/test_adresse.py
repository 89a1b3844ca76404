"""Addresses split into the dossier's Adresse fields."""

import pytest

from cerfa.lookups.adresse import adresse_from_line, adresse_from_sirene, split_street_line


def test_sirene_parts():
    assert adresse_from_sirene(
        {
            "numero_voie": "4",
            "indice_repetition": "T",
            "type_voie": "AV",
            "libelle_voie": "JEAN JAURES",
            "complement_adresse": "ZI NORD",
            "code_postal": "69200",
            "libelle_commune": "VENISSIEUX",
        }
    ) == {
        "numero": "4 ter",
        "voie": "AVENUE JEAN JAURES",
        "complement": "ZI NORD",
        "code_postal": "69200",
        "commune": "VENISSIEUX",
    }


def test_unknown_street_type_and_index_letter_are_kept():
    assert adresse_from_sirene(
        {
            "numero_voie": "7",
            "indice_repetition": "A",
            "type_voie": "XYZ",
            "libelle_voie": "DU PORT",
        }
    ) == {"numero": "7 A", "voie": "XYZ DU PORT"}


@pytest.mark.parametrize(
    "line, expected",
    [
        ("12 RUE DES LILAS", ("12", "RUE DES LILAS", "")),
        ("12 BIS RUE DES LILAS", ("12 bis", "RUE DES LILAS", "")),
        ("12 B RUE DES LILAS", ("12 bis", "RUE DES LILAS", "")),
        (
            "BATIMENT 2 ZI DES LANDES 8 AVENUE DU PORT",
            ("8", "AVENUE DU PORT", "BATIMENT 2 ZI DES LANDES"),
        ),
        ("LIEU-DIT LES PRES", ("", "LIEU-DIT LES PRES", "")),
        ("3 Rue de l'Artisanat", ("3", "Rue de l'Artisanat", "")),
        ("", ("", "", "")),
    ],
)
def test_one_line_street(line, expected):
    assert split_street_line(line) == expected


def test_line_with_postal_code_and_commune():
    assert adresse_from_line("45 BIS BOULEVARD DES BELGES 69006 LYON", "69006", "LYON") == {
        "numero": "45 bis",
        "voie": "BOULEVARD DES BELGES",
        "code_postal": "69006",
        "commune": "LYON",
    }


def test_line_with_cedex_is_cut_at_the_postal_code():
    assert adresse_from_line("1 PLACE DU MARCHE 69289 LYON CEDEX 02", "69289", "LYON") == {
        "numero": "1",
        "voie": "PLACE DU MARCHE",
        "code_postal": "69289",
        "commune": "LYON",
    }


def test_non_diffusible_values_are_dropped():
    assert adresse_from_sirene(
        {
            "numero_voie": "[NON-DIFFUSIBLE]",
            "libelle_voie": "[NON-DIFFUSIBLE]",
            "libelle_commune": "LYON",
        }
    ) == {"commune": "LYON"}
