"""rules/checks/tables.py, and the OPCO that ``complete`` names: each rule with a failing
case, a passing case and the boundary cases on both sides."""

import dataclasses

import pytest

from rules import idcc, opco
from rules.checks import tables
from rules.complete import complete

from .factories import REPRESENTANT, level, make, only, reference, run

LIEU = {
    "formation.cfa_est_lieu_principal": False,
    "formation.lieu_principal": {
        "denomination": "Lycée des métiers",
        "uai": "0690001A",
        "adresse": {"numero": "1", "voie": "rue Neuve", "code_postal": "", "commune": ""},
    },
}
# What each address needs to exist in the example dossier.
ADDRESS_SETUP = {
    "employeur.adresse": {},
    "apprenti.adresse": {},
    "apprenti.representant_legal.adresse": {"apprenti.representant_legal": REPRESENTANT},
    "formation.cfa.adresse": {},
    "formation.lieu_principal.adresse": LIEU,
}
# The rule codes, written out: every code is named in a test.
POSTCODE_RULES = {
    "employeur.adresse": "employeur.adresse.code_postal.inconnu",
    "apprenti.adresse": "apprenti.adresse.code_postal.inconnu",
    "apprenti.representant_legal.adresse": "apprenti.representant_legal.adresse.code_postal.inconnu",
    "formation.cfa.adresse": "formation.cfa.adresse.code_postal.inconnu",
    "formation.lieu_principal.adresse": "formation.lieu_principal.adresse.code_postal.inconnu",
}
COMMUNE_RULES = {
    "employeur.adresse": "employeur.adresse.commune.code_postal",
    "apprenti.adresse": "apprenti.adresse.commune.code_postal",
    "apprenti.representant_legal.adresse": "apprenti.representant_legal.adresse.commune.code_postal",
    "formation.cfa.adresse": "formation.cfa.adresse.commune.code_postal",
    "formation.lieu_principal.adresse": "formation.lieu_principal.adresse.commune.code_postal",
}


def address(base, code_postal, commune):
    return {**ADDRESS_SETUP[base], f"{base}.code_postal": code_postal, f"{base}.commune": commune}


@pytest.mark.parametrize(
    "code", [*POSTCODE_RULES.values(), *COMMUNE_RULES.values()]
    + ["employeur.code_ape.nomenclature", "employeur.code_idcc.inconnu"]
    + ["employeur.code_idcc.en_vigueur", "formation.code_rncp.code_diplome"]
    + ["formation.diplome_vise.code_diplome"],
)  # fmt: skip
def test_never_an_error_since_a_table_has_a_date(code):
    assert level(code) == "warning"
    assert reference(code)


# -- postal codes -----------------------------------------------------------------------


@pytest.mark.parametrize("base", POSTCODE_RULES)
def test_an_unknown_postal_code_is_a_warning(base):
    found = only(run(POSTCODE_RULES[base], make(address(base, "69999", "Lyon"))))
    assert found.fields == (f"{base}.code_postal",)
    assert "69999" in found.message and "01/01/2025" in found.message and "CEDEX" in found.message


@pytest.mark.parametrize("base", POSTCODE_RULES)
@pytest.mark.parametrize(
    "code_postal, commune",
    [
        ("69003", "Lyon"),
        ("69 003", "Lyon"),
        ("20000", "Ajaccio"),
        ("20200", "Bastia"),
        ("97133", "Saint-Barthélemy"),
        ("97600", "Mamoudzou"),
        ("98000", "Monaco"),
        ("69421", "LYON CEDEX 03"),  # a CEDEX code, which La Poste's base does not list
        ("92051", "Paris La Défense Cedex"),
        ("6900", "Lyon"),  # malformed: employeur.adresse.code_postal.format says so
        ("", "Lyon"),
    ],
)
def test_known_cedex_and_malformed_postal_codes_pass(base, code_postal, commune):
    assert run(POSTCODE_RULES[base], make(address(base, code_postal, commune))) == []


def test_an_absent_address_is_not_looked_up():
    assert run("apprenti.representant_legal.adresse.code_postal.inconnu", make()) == []
    assert run("formation.lieu_principal.adresse.commune.code_postal", make()) == []


# -- communes ---------------------------------------------------------------------------


@pytest.mark.parametrize("base", COMMUNE_RULES)
def test_a_commune_that_is_not_the_postal_codes(base):
    found = only(run(COMMUNE_RULES[base], make(address(base, "69003", "Villeurbanne"))))
    assert found.fields == (f"{base}.commune", f"{base}.code_postal")
    assert "« Villeurbanne »" in found.message and "LYON 03" in found.message
    assert "01/01/2025" in found.message


@pytest.mark.parametrize("base", COMMUNE_RULES)
@pytest.mark.parametrize(
    "code_postal, commune",
    [
        ("69003", "Lyon"),
        ("69003", "LYON 03"),
        ("69003", "Lyon 3e"),
        ("75011", "Paris 11e arrondissement"),
        ("42000", "Saint-Étienne"),
        ("20000", "AJACCIO"),
        ("20200", "Bastia"),
        ("97133", "St-Barthélemy"),
        ("98714", "Papeete"),
        ("74940", "Annecy-le-Vieux"),
        ("69421", "Lyon Cedex 03"),  # a CEDEX code: the table cannot tell
        ("69003", "Lyon Cedex"),
        ("69999", "Lyon"),  # unknown postal code: said by code_postal.inconnu
        ("69003", ""),
        ("690", "Villeurbanne"),
    ],
)
def test_communes_of_their_postal_code_pass(base, code_postal, commune):
    assert run(COMMUNE_RULES[base], make(address(base, code_postal, commune))) == []


@pytest.mark.parametrize(
    "code_postal, commune", [("75011", "Paris 12e"), ("20000", "Bastia"), ("2A004", "Ajaccio")]
)
def test_boundaries_of_the_commune_comparison(code_postal, commune):
    found = run(
        "employeur.adresse.commune.code_postal",
        make(address("employeur.adresse", code_postal, commune)),
    )
    # 2A004 is an INSEE code, not a postal code: the format rule speaks, not this one.
    assert len(found) == (0 if code_postal == "2A004" else 1)


def test_a_long_list_of_communes_is_shortened():
    found = only(
        run(
            "employeur.adresse.commune.code_postal",
            make(address("employeur.adresse", "51300", "Reims")),
        )
    )
    assert "BASSU, BASSUET, BIGNICOURT SUR MARNE, BLACY et 42 autres communes" in found.message


# -- code APE -------------------------------------------------------------------------------


def test_an_ape_code_in_neither_nomenclature():
    found = only(run("employeur.code_ape.nomenclature", make({"employeur.code_ape": "1071X"})))
    assert found.fields == ("employeur.code_ape",)
    assert "1071X" in found.message and "NAF rév. 2" in found.message
    assert "01/01/2008" in found.message and "05/01/2026" in found.message


@pytest.mark.parametrize(
    "value",
    [
        "9602A",
        "1071C",
        "10.71c",
        "1071H",  # NAF 2025
        "10.71J",
        "3411Z",  # no such division: employeur.code_ape.division says so
        "9602",  # malformed: employeur.code_ape.format
        "",
        None,
    ],
)
def test_ape_codes_of_either_nomenclature_pass(value):
    assert run("employeur.code_ape.nomenclature", make({"employeur.code_ape": value})) == []


# -- IDCC -----------------------------------------------------------------------------------


def test_an_unknown_idcc():
    found = only(run("employeur.code_idcc.inconnu", make({"employeur.code_idcc": "4321"})))
    assert found.fields == ("employeur.code_idcc",)
    assert "4321" in found.message and "13/11/2024" in found.message


@pytest.mark.parametrize(
    "value",
    ["2596", "16", "0016", "3248", "3249", "3255", "7026", "9999", "9998", "5021", "5999", ""],
)
def test_known_special_and_statut_idcc_pass(value):
    # « 16 » is malformed: employeur.code_idcc.format asks for « 0016 ».
    assert run("employeur.code_idcc.inconnu", make({"employeur.code_idcc": value})) == []


def test_an_unknown_idcc_of_a_partial_list_says_nothing(monkeypatch):
    partial = dataclasses.replace(idcc.bundled(), complet=False)
    monkeypatch.setattr(idcc, "bundled", lambda: partial)
    assert run("employeur.code_idcc.inconnu", make({"employeur.code_idcc": "4321"})) == []


def test_a_convention_no_longer_in_force():
    found = only(run("employeur.code_idcc.en_vigueur", make({"employeur.code_idcc": "0650"})))
    assert found.fields == ("employeur.code_idcc",)
    assert "0650" in found.message and "abrogée" in found.message
    assert "13/11/2024" in found.message


@pytest.mark.parametrize(
    "value",
    [
        "1486",  # ABROGE|VIGUEUR_ETEN: one of its texts is in force
        "2596",
        "3249",  # no legal state in the list: nothing to say
        "4321",  # unknown: employeur.code_idcc.inconnu
        "9998",
        "9999",
        "5021",
    ],
)
def test_conventions_in_force_or_of_unknown_state_pass(value):
    assert run("employeur.code_idcc.en_vigueur", make({"employeur.code_idcc": value})) == []


# -- code diplôme ↔ RNCP ---------------------------------------------------------------------


def test_a_code_and_an_rncp_the_kit_never_pairs():
    d = make({"formation.code_diplome": "32031313", "formation.code_rncp": "RNCP34672"})
    found = only(run("formation.code_rncp.code_diplome", d))
    assert found.fields == ("formation.code_rncp", "formation.code_diplome")
    assert "RNCP38381 (BANQUE (BTS))" in found.message and "TAXIDERMISTE" in found.message
    assert "18/12/2023" in found.message


def test_a_code_and_an_rncp_of_different_levels():
    # The example: 45020201 is a brevet professionnel (prefix 450, level 4), absent from the
    # kit, and RNCP35908 a master (level 7).
    found = only(run("formation.code_rncp.code_diplome", make()))
    assert "niveau 4 (bac)" in found.message and "niveau 7 (bac +5)" in found.message


@pytest.mark.parametrize(
    "code_diplome, code_rncp",
    [
        ("32031313", "RNCP38381"),
        ("32031313", "rncp 38381"),
        ("45033608", "RNCP38231"),  # BP Coiffure
        ("40124106", "RNCP4003"),  # a code with six fiches
        ("32031313", "RNCP99999"),  # a fiche the kit lacks (renewed since): cannot tell
        ("32099999", "RNCP38381"),  # a BTS the kit lacks, of the fiche's level
        ("36X99999", "RNCP35908"),  # a title of no certain level
        ("99999999", "RNCP35908"),  # pending: formation.code_diplome.en_attente
        ("4502020", "RNCP35908"),  # malformed: formation.code_diplome.format
        ("45020201", ""),
    ],
)
def test_codes_that_agree_or_cannot_be_compared_pass(code_diplome, code_rncp):
    d = make({"formation.code_diplome": code_diplome, "formation.code_rncp": code_rncp})
    assert run("formation.code_rncp.code_diplome", d) == []


# -- code diplôme ↔ diplôme visé -------------------------------------------------------------


@pytest.mark.parametrize(
    "code_diplome, vise, expected",
    [
        ("32031313", "41", "Brevet de technicien supérieur (BTS)"),
        ("32031313", "58", "Brevet de technicien supérieur (BTS)"),  # the BTS has its own code
        ("50033617", "34", "CAP"),
        ("45020201", "41", "Autre diplôme ou titre de niveau bac"),  # a BP is no bac pro
        ("25131999", "62", "Bachelor universitaire de technologie (BUT)"),
    ],
)
def test_a_diploma_type_that_is_not_the_box(code_diplome, vise, expected):
    d = make({"formation.code_diplome": code_diplome, "formation.diplome_vise": vise})
    found = only(run("formation.diplome_vise.code_diplome", d))
    assert found.fields == ("formation.diplome_vise", "formation.code_diplome")
    assert f"« {expected} »" in found.message and "18/12/2023" in found.message


@pytest.mark.parametrize(
    "code_diplome, vise",
    [
        ("26X33601", "54"),  # a level 6 title, box of level 5
        ("45024005", "54"),  # a BP the kit calls « BAC PRO »: type uncertain, level 4
    ],
)
def test_a_level_that_is_not_the_boxs(code_diplome, vise):
    d = make({"formation.code_diplome": code_diplome, "formation.diplome_vise": vise})
    found = only(run("formation.diplome_vise.code_diplome", d))
    assert "de niveau 5 (bac +2)" in found.message


@pytest.mark.parametrize(
    "code_diplome, vise",
    [
        ("32031313", "54"),
        ("45020201", "49"),  # the example: a BP, « autre diplôme de niveau bac »
        ("46122001", "35"),  # a CS de niveau 4 is still « certificat de spécialisation »
        ("56133601", "35"),
        ("26X33601", "69"),  # a level 6 title under « autre … bac +3 ou 4 »
        ("26X33601", "63"),  # same level, type not certain: nothing to say
        ("45024005", "41"),  # type uncertain, same level
        ("46321107", "35"),  # an agricultural CS (level 4) in the CS box
        ("36X99999", "54"),  # neither type nor level certain
        ("26X33601", "13"),  # a box without level
        ("99999999", "54"),
        ("32031313", "99"),  # not a code of the box: formation.diplome_vise.hors_liste
        ("32031313", None),
    ],
)
def test_boxes_that_agree_or_cannot_be_compared_pass(code_diplome, vise):
    d = make({"formation.code_diplome": code_diplome, "formation.diplome_vise": vise})
    assert run("formation.diplome_vise.code_diplome", d) == []


# -- the OPCO named by complete ---------------------------------------------------------------


def opco_findings(changes):
    _, findings = complete(make(changes))
    return [f for f in findings if f.code == "complete.employeur.opco"]


def test_complete_names_the_employers_opco():
    (found,) = opco_findings({})  # the example: coiffure, IDCC 2596
    assert (found.level, found.fields) == ("info", ("employeur.code_idcc",))
    assert "OPCO EP" in found.message and "https://www.opcoep.fr/" in found.message
    assert "19/07/2019" in found.message and "L6224-1" in found.reference


@pytest.mark.parametrize(
    "value, words",
    [
        ("3248", "ne connaît pas l'IDCC 3248"),
        ("3255", "ne connaît pas l'IDCC 3255"),
        ("9999", "sans convention collective"),
    ],
)
def test_an_opco_the_2019_table_cannot_give_is_to_be_checked(value, words):
    (found,) = opco_findings({"employeur.code_idcc": value})
    assert "à vérifier" in found.message and words in found.message


@pytest.mark.parametrize(
    "changes",
    [
        {"employeur.code_idcc": ""},
        {"employeur.code_idcc": "12345"},
        {"employeur.prive_public": "public", "employeur.type_employeur": "22"},
    ],
)
def test_no_opco_without_an_idcc_or_for_a_public_administration(changes):
    assert opco_findings(changes) == []


def test_an_epic_has_an_opco():
    found = opco_findings({"employeur.prive_public": "public", "employeur.type_employeur": "30"})
    assert len(found) == 1


def test_the_opco_table_is_flagged_as_from_2019():
    assert opco.OUTDATED is True and opco.TABLE_DATE == "2019-07-19"
    assert tables.REF_IDCC
