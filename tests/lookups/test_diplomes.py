"""Code RNCP ↔ code diplôme (catalogue de l'apprentissage), and the diploma type."""

import json

import pytest
import responses

from cerfa.lookups import diplomes
from rules import codes
from rules import diplomes as kit

from .conftest import URLS, replay

FORMATIONS = URLS["catalogue"] + "/api/v1/entity/formations"


def lookup(client, code):
    return diplomes.lookup(code, client=client, base_url=URLS["catalogue"])


def test_rncp_gives_code_diplome_title_and_type(client, rsps):
    replay(rsps, FORMATIONS, "catalogue_rncp.json")
    result = lookup(client, "rncp 35908")
    assert result.status == "ok"
    assert result.values == {
        "code_rncp": "RNCP35908",
        "code_diplome": "45020201",
        "intitule_precis": "BP - Coiffure",
        "diplome_vise": "49",  # brevet professionnel: « autre diplôme de niveau bac »
    }
    assert result.choices == ()
    assert result.messages == (
        "Diplôme visé déduit du code : « Autre diplôme ou titre de niveau bac ». Vérifiez-le.",
    )


def test_only_the_code_is_sent(client, rsps):
    replay(rsps, FORMATIONS, "catalogue_rncp.json")
    lookup(client, "RNCP35908")
    sent = rsps.calls[0].request.params
    assert json.loads(sent["query"]) == {"rncp_code": "RNCP35908"}
    assert set(sent) == {"query", "select", "limit"}


def test_code_diplome_prefers_the_active_rncp_fiche(client, rsps):
    replay(rsps, FORMATIONS, "catalogue_cfd.json")
    result = lookup(client, "32031213")
    assert json.loads(rsps.calls[0].request.params["query"]) == {"cfd": "32031213"}
    assert result.values == {
        "code_rncp": "RNCP38362",
        "code_diplome": "32031213",
        "intitule_precis": "BTS - Management commercial opérationnel",
        "diplome_vise": "54",
    }
    assert not any("plus active" in m for m in result.messages)


def test_inactive_ineligible_and_outdated_are_said(client, rsps):
    replay(rsps, FORMATIONS, "catalogue_inactif.json")
    result = lookup(client, "RNCP34031")
    assert result.status == "ok"
    text = " ".join(result.messages)
    assert "n'est plus active au RNCP (fin de validité : 2025-08-31)" in text
    assert "pas ouverte à l'apprentissage" in text
    assert "32031213 est périmé" in text


def test_several_codes_diplome_offer_a_choice(client, rsps):
    replay(rsps, FORMATIONS, "catalogue_plusieurs_cfd.json")
    result = lookup(client, "RNCP39063")
    assert result.values == {
        "code_rncp": "RNCP39063",
        "intitule_precis": "Négociateur technico-commercial",
    }
    assert [(c["code_diplome"], c["diplome_vise"]) for c in result.choices] == [
        ("36T31201", "58"),
        ("46T31201", "49"),
    ]
    assert "Plusieurs codes diplôme" in result.messages[-1]


def test_code_absent_from_the_catalogue_is_not_found(client, rsps):
    replay(rsps, FORMATIONS, "catalogue_vide.json")
    result = lookup(client, "RNCP99999")
    assert result.status == "not_found"
    assert "francecompetences.fr" in result.messages[0]


def test_offers_of_another_code_are_ignored(client, rsps):
    replay(rsps, FORMATIONS, "catalogue_rncp.json")
    assert lookup(client, "RNCP12345").status == "not_found"


@pytest.mark.parametrize(
    "value, word",
    [
        ("RNCP12", "RNCP"),
        ("RS5678", "Répertoire spécifique"),
        ("1234567", "8 caractères"),
        ("99999999", "RNCP"),
        ("", "8 caractères"),
    ],
)
def test_invalid_codes_send_nothing(client, rsps, value, word):
    result = lookup(client, value)
    assert result.status == "invalid"
    assert word in result.messages[0]
    assert len(rsps.calls) == 0


@pytest.mark.parametrize("body", [{"formations": {"a": 1}}, {"formations": ["x"]}, [], "ok"])
def test_json_of_the_wrong_shape_is_unavailable(client, rsps, body):
    rsps.add(responses.GET, FORMATIONS, json=body)
    assert lookup(client, "RNCP35908").status == "unavailable"


@pytest.mark.parametrize(
    "code, expected",
    [
        ("50022141", "33"),
        ("50331302", "33"),
        ("51031204", "34"),
        ("01033408", "35"),
        ("40025214", "41"),
        ("43031012", "43"),
        ("32031213", "54"),
        ("35020001", "55"),
        ("25031401", "62"),
        ("25131401", "64"),
        ("20531401", "63"),
        ("13531401", "73"),
        ("17031401", "75"),
        ("10031401", "80"),
        ("67100001", "25"),
        ("67200001", "26"),
        # Other prefixes: « autre diplôme » of the BCN level (I = bac+5 … V = CAP).
        ("45020201", "49"),
        ("46T31201", "49"),
        ("36T31201", "58"),
        ("26X31015", "69"),
        ("16X31015", "79"),
        ("56T31201", "38"),
    ],
)
def test_diploma_type_from_the_code_diplome(code, expected):
    assert diplomes.diplome_vise(code) == expected


def test_diploma_type_from_the_european_level_when_the_code_does_not_tell():
    assert diplomes.diplome_vise("99999999", 6) == "69"
    assert diplomes.diplome_vise(None, 3) == "38"
    assert diplomes.diplome_vise("ABC12345") is None
    assert diplomes.diplome_vise(None) is None


# The old French level (first digit of a BCN prefix) as a European level: I is bac+5 and
# more (7, or 8 for the doctorat) … V is CAP/BEP (3).
_BCN_TO_EUROPEAN = {"1": {7, 8}, "2": {6}, "3": {5}, "4": {4}, "5": {3}}


def test_the_lookups_deduce_what_the_rules_check():
    # One meaning per prefix: a proposal the table checks would then flag is never made.
    for prefix, code in kit.PREFIX_DIPLOME.items():
        assert diplomes.diplome_vise(prefix + "00000") == code, prefix


def test_the_deduced_diploma_types_agree_with_the_rules_table():
    """Every code these tables give is a CERFA diploma code (rules/codes.py) whose level,
    in rules' own table, is the level the code diplôme or the certification says."""
    for prefix, code in diplomes.DIPLOME_PAR_PREFIXE.items():
        assert code in codes.codes(codes.DIPLOME), prefix
        # A certificat de spécialisation (ex-mention complémentaire, 35) keeps its own
        # level whatever its box's: rules/diplomes.py maps 461 (level 4) and 561 to it.
        if prefix[0] in _BCN_TO_EUROPEAN and code != "35":
            assert codes.NIVEAU_DIPLOME_EUROPEEN[code] in _BCN_TO_EUROPEAN[prefix[0]], prefix
    for digit, code in diplomes.AUTRE_PAR_NIVEAU_BCN.items():
        assert codes.NIVEAU_DIPLOME_EUROPEEN[code] in _BCN_TO_EUROPEAN[digit], digit
    for level, code in diplomes.AUTRE_PAR_NIVEAU_EUROPEEN.items():
        # « Autre diplôme de niveau bac +5 ou plus » (79) covers levels 7 and 8.
        assert codes.NIVEAU_DIPLOME_EUROPEEN[code] == min(level, 7), level
