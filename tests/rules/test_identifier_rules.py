"""The rules of rules/checks/identifiers.py on dossiers: for each rule a failing case, a
passing case, its level, its fields and its reference."""

import copy

import pytest

from rules import codes
from rules import identifiers as ids
from rules.dossier import Dossier
from rules.engine import load_rules
from rules.identifiers import nir_key
from rules.registry import RULES

from .factories import example_data, run, set_path

EXAMPLE = example_data()

load_rules()
MINE = {code for code, r in RULES.items() if r.check.__module__ == "rules.checks.identifiers"}

# The example, plus the optional blocks it leaves out, all valid: a main training place, a
# legal representative and a second maître.
BASE = copy.deepcopy(EXAMPLE)
BASE["formation"]["cfa_est_lieu_principal"] = False
BASE["formation"]["lieu_principal"] = {
    "denomination": "Lycée des métiers",
    "uai": "0561910X",
    "siret": "73282932000074",
    "adresse": {
        "numero": "1",
        "voie": "rue du Port",
        "complement": "",
        "code_postal": "56100",
        "commune": "Lorient",
    },
}
BASE["apprenti"]["representant_legal"] = {
    "nom_naissance": "Moreau",
    "prenom": "Claire",
    "courriel": "claire.moreau@free.fr",
    "adresse": {
        "numero": "21",
        "voie": "rue Paul Bert",
        "complement": "",
        "code_postal": "69003",
        "commune": "Lyon",
    },
}
BASE["maitres"].append(
    {
        "nom_naissance": "Durand",
        "prenom": "Paul",
        "date_naissance": "1979-11-02",
        "courriel": "paul.durand@elegance-coiffure-lyon.fr",
        "emploi_occupe": "Coiffeur",
        "diplome_plus_eleve": "BP Coiffure",
        "niveau_diplome": "4",
    }
)


def dossier(changes=None, base=BASE):
    """``base`` (the example with every optional block) with ``changes`` applied."""
    data = copy.deepcopy(base)
    for path, value in (changes or {}).items():
        set_path(data, path, value)
    return Dossier.from_dict(data)


def mine(d):
    """The findings of this module's rules only (the other modules have their own tests)."""
    return [f for code in sorted(MINE) for f in run(code, d)]


def mine_codes(d):
    return {f.code for f in mine(d)}


# A valid NIA for the example's apprentice (woman, born May 2008 in the Rhône).
NIA = "8080569123045" + nir_key("8080569123045")

# code, changes making it fail, fields of the finding, level, a word of its reference
CASES = [
    (
        "employeur.siret.format",
        {"employeur.siret": "5214789660017"},
        ("employeur.siret",),
        "error",
        "SIRENE",
    ),
    (
        "employeur.siret.luhn",
        {"employeur.siret": "52147896600175"},
        ("employeur.siret",),
        "error",
        "SIRENE",
    ),
    (
        "formation.cfa.siret.format",
        {"formation.cfa.siret": "7783451240021A"},
        ("formation.cfa.siret",),
        "error",
        "SIRENE",
    ),
    (
        "formation.cfa.siret.luhn",
        {"formation.cfa.siret": "77834512400218"},
        ("formation.cfa.siret",),
        "error",
        "SIRENE",
    ),
    (
        "formation.lieu_principal.siret.format",
        {"formation.lieu_principal.siret": "732829320"},
        ("formation.lieu_principal.siret",),
        "error",
        "SIRENE",
    ),
    (
        "formation.lieu_principal.siret.luhn",
        {"formation.lieu_principal.siret": "73282932000075"},
        ("formation.lieu_principal.siret",),
        "error",
        "SIRENE",
    ),
    (
        "apprenti.nir.format",
        {"apprenti.nir": "208136912304504"},
        ("apprenti.nir",),
        "error",
        "RNIPP",
    ),
    ("apprenti.nir.cle", {"apprenti.nir": "208056912304505"}, ("apprenti.nir",), "error", "RNIPP"),
    (
        "apprenti.nir.ntt_siren",
        {"apprenti.nir": "2732829320001"},
        ("apprenti.nir", "employeur.siret"),
        "error",
        "Atlas",
    ),
    ("apprenti.nir.nia", {"apprenti.nir": NIA}, ("apprenti.nir",), "warning", "Atlas"),
    ("apprenti.nir.ntt", {"apprenti.nir": "2521478966A12"}, ("apprenti.nir",), "warning", "Atlas"),
    (
        "apprenti.nir.sexe",
        {"apprenti.sexe": "M"},
        ("apprenti.nir", "apprenti.sexe"),
        "error",
        "RNIPP",
    ),
    (
        "apprenti.nir.annee",
        {"apprenti.date_naissance": "2007-05-14"},
        ("apprenti.nir", "apprenti.date_naissance"),
        "error",
        "RNIPP",
    ),
    (
        "apprenti.nir.mois",
        {"apprenti.date_naissance": "2008-06-14"},
        ("apprenti.nir", "apprenti.date_naissance"),
        "error",
        "RNIPP",
    ),
    (
        "apprenti.nir.departement",
        {"apprenti.departement_naissance": "75"},
        ("apprenti.nir", "apprenti.departement_naissance"),
        "error",
        "RNIPP",
    ),
    (
        "formation.cfa.uai.format",
        {"formation.cfa.uai": "069123S"},
        ("formation.cfa.uai",),
        "error",
        "UAI",
    ),
    (
        "formation.cfa.uai.cle",
        {"formation.cfa.uai": "0691234T"},
        ("formation.cfa.uai",),
        "error",
        "UAI",
    ),
    (
        "formation.lieu_principal.uai.format",
        {"formation.lieu_principal.uai": "05619100"},
        ("formation.lieu_principal.uai",),
        "error",
        "UAI",
    ),
    (
        "formation.lieu_principal.uai.cle",
        {"formation.lieu_principal.uai": "0561911X"},
        ("formation.lieu_principal.uai",),
        "error",
        "UAI",
    ),
    (
        "formation.code_diplome.format",
        {"formation.code_diplome": "4502020"},
        ("formation.code_diplome",),
        "error",
        "Atlas",
    ),
    (
        "formation.code_diplome.en_attente",
        {"formation.code_diplome": "99999999"},
        ("formation.code_diplome",),
        "info",
        "Atlas",
    ),
    (
        "formation.code_rncp.format",
        {"formation.code_rncp": "35908"},
        ("formation.code_rncp",),
        "error",
        "L6113-1",
    ),
    (
        "contrat.numero_contrat_precedent.format",
        {"contrat.numero_contrat_precedent": "69202409000123"},
        ("contrat.numero_contrat_precedent",),
        "warning",
        "n° de dépôt",
    ),
    (
        "employeur.code_idcc.format",
        {"employeur.code_idcc": "259"},
        ("employeur.code_idcc",),
        "error",
        "L2261-2",
    ),
    (
        "employeur.code_ape.format",
        {"employeur.code_ape": "9602"},
        ("employeur.code_ape",),
        "error",
        "2007-1888",
    ),
    (
        "employeur.code_ape.division",
        {"employeur.code_ape": "3411Z"},
        ("employeur.code_ape",),
        "warning",
        "2007-1888",
    ),
    (
        "employeur.adresse.code_postal.format",
        {"employeur.adresse.code_postal": "6900"},
        ("employeur.adresse.code_postal",),
        "error",
        "La Poste",
    ),
    (
        "apprenti.adresse.code_postal.format",
        {"apprenti.adresse.code_postal": "00300"},
        ("apprenti.adresse.code_postal",),
        "error",
        "La Poste",
    ),
    (
        "apprenti.representant_legal.adresse.code_postal.format",
        {"apprenti.representant_legal.adresse.code_postal": "69 0031"},
        ("apprenti.representant_legal.adresse.code_postal",),
        "error",
        "La Poste",
    ),
    (
        "formation.cfa.adresse.code_postal.format",
        {"formation.cfa.adresse.code_postal": "LYON"},
        ("formation.cfa.adresse.code_postal",),
        "error",
        "La Poste",
    ),
    (
        "formation.lieu_principal.adresse.code_postal.format",
        {"formation.lieu_principal.adresse.code_postal": "96100"},
        ("formation.lieu_principal.adresse.code_postal",),
        "error",
        "La Poste",
    ),
    (
        "employeur.telephone.format",
        {"employeur.telephone": "047812345"},
        ("employeur.telephone",),
        "warning",
        "ARCEP",
    ),
    (
        "apprenti.telephone.format",
        {"apprenti.telephone": "+330612345678"},
        ("apprenti.telephone",),
        "warning",
        "ARCEP",
    ),
    (
        "employeur.courriel.format",
        {"employeur.courriel": "contact.elegance.fr"},
        ("employeur.courriel",),
        "error",
        "RFC 5322",
    ),
    (
        "apprenti.courriel.format",
        {"apprenti.courriel": "ines@free"},
        ("apprenti.courriel",),
        "error",
        "RFC 5322",
    ),
    (
        "apprenti.representant_legal.courriel.format",
        {"apprenti.representant_legal.courriel": "claire moreau@free.fr"},
        ("apprenti.representant_legal.courriel",),
        "error",
        "RFC 5322",
    ),
    (
        "maitres.courriel.format",
        {"maitres.1.courriel": "paul@@durand.fr"},
        ("maitres.1.courriel",),
        "error",
        "RFC 5322",
    ),
    (
        "employeur.courriel.inhabituel",
        {"employeur.courriel": "contact..salon@elegance.fr"},
        ("employeur.courriel",),
        "warning",
        "RFC 5322",
    ),
    (
        "apprenti.courriel.inhabituel",
        {"apprenti.courriel": "inès@free.fr"},
        ("apprenti.courriel",),
        "warning",
        "RFC 5322",
    ),
    (
        "apprenti.representant_legal.courriel.inhabituel",
        {"apprenti.representant_legal.courriel": "claire,moreau@free.fr"},
        ("apprenti.representant_legal.courriel",),
        "warning",
        "RFC 5322",
    ),
    (
        "maitres.courriel.inhabituel",
        {"maitres.1.courriel": ".paul@durand.fr"},
        ("maitres.1.courriel",),
        "warning",
        "RFC 5322",
    ),
] + [
    (
        f"{pattern.replace('.*', '')}.hors_liste",
        {pattern.replace("*", "1"): "ZZ"},
        (pattern.replace("*", "1"),),
        "error",
        "Notice 51649#09",
    )
    for pattern in codes.FIELD_TABLES
]


def test_every_rule_of_the_module_has_a_failing_case():
    assert {case[0] for case in CASES} == MINE


def test_every_rule_has_a_docstring_and_reference():
    for code in MINE:
        r = RULES[code]
        assert r.reference and r.check.__doc__ and len(r.check.__doc__) > 40, code


@pytest.mark.parametrize("code, changes, fields, level, ref", CASES, ids=[c[0] for c in CASES])
def test_rule_fails(code, changes, fields, level, ref):
    found = run(code, dossier(changes))
    assert len(found) == 1, found
    finding = found[0]
    assert finding.code == code
    assert finding.level == level
    assert finding.fields == fields
    assert ref in finding.reference
    assert finding.message.endswith(".") and len(finding.message) > 30


@pytest.mark.parametrize("code", sorted(MINE))
def test_rule_passes_on_valid_dossiers(code):
    assert run(code, dossier()) == []
    assert run(code, dossier(base=EXAMPLE)) == []


def test_example_dossier_gives_no_finding_from_these_rules():
    assert mine(Dossier.from_dict(EXAMPLE)) == []


def test_empty_dossier_gives_no_finding_from_these_rules():
    # missing values are the presence rules' business
    assert mine(Dossier()) == []


# -- details of some rules ---------------------------------------------------------------


def test_only_one_nir_rule_speaks_for_a_malformed_number():
    d = dossier({"apprenti.nir": "208056912304505", "apprenti.sexe": "M"})
    assert mine_codes(d) == {"apprenti.nir.cle"}


def test_nia_is_checked_against_sex_year_month_and_departement():
    d = dossier(
        {
            "apprenti.nir": NIA,
            "apprenti.sexe": "M",
            "apprenti.departement_naissance": "01",
            "apprenti.date_naissance": "2009-07-01",
        }
    )
    found = mine_codes(d)
    assert found == {
        "apprenti.nir.nia",
        "apprenti.nir.sexe",
        "apprenti.nir.annee",
        "apprenti.nir.mois",
        "apprenti.nir.departement",
    }


def test_ntt_is_not_checked_against_the_birth_date():
    d = dossier({"apprenti.nir": "2521478966A12", "apprenti.date_naissance": "1990-01-01"})
    found = mine_codes(d)
    assert found == {"apprenti.nir.ntt"}


def test_ntt_with_the_wrong_sex_digit():
    [finding] = run("apprenti.nir.sexe", dossier({"apprenti.nir": "1521478966A12"}))
    assert "féminin" in finding.message and "masculin" in finding.message


def test_ntt_unverified_when_the_employer_siret_is_invalid():
    d = dossier({"apprenti.nir": "2521478966A12", "employeur.siret": "52147896600175"})
    [finding] = run("apprenti.nir.ntt", d)
    assert "n'a pas pu être contrôlé" in finding.message
    assert "incomplet" in finding.message
    assert run("apprenti.nir.ntt_siren", d) == []


def test_fictitious_month_is_not_compared():
    first13 = "2085069123045"  # month 50: incomplete civil status
    d = dossier({"apprenti.nir": first13 + nir_key(first13)})
    assert run("apprenti.nir.format", d) == [] and run("apprenti.nir.mois", d) == []


def test_corsica_before_1976_keeps_20():
    first13 = "1700520004123"
    changes = {
        "apprenti.nir": first13 + nir_key(first13),
        "apprenti.sexe": "M",
        "apprenti.date_naissance": "1970-05-01",
        "apprenti.departement_naissance": "2A",
    }
    assert run("apprenti.nir.departement", dossier(changes)) == []
    changes["apprenti.departement_naissance"] = "69"
    assert len(run("apprenti.nir.departement", dossier(changes))) == 1


def test_born_abroad():
    first13 = "2080599352045"
    changes = {"apprenti.nir": first13 + nir_key(first13), "apprenti.departement_naissance": "99"}
    assert run("apprenti.nir.departement", dossier(changes)) == []
    changes["apprenti.departement_naissance"] = "69"
    [finding] = run("apprenti.nir.departement", dossier(changes))
    assert "à l'étranger (99)" in finding.message


def test_departement_outside_its_table_is_said_once():
    d = dossier({"apprenti.departement_naissance": "20"})
    found = mine_codes(d)
    assert found == {"apprenti.departement_naissance.hors_liste"}


def test_pending_code_diplome_is_not_a_format_error():
    d = dossier({"formation.code_diplome": "99999999"})
    assert run("formation.code_diplome.format", d) == []


def test_out_of_table_code_suggests_the_code_meant():
    [finding] = run(
        "apprenti.derniere_classe.hors_liste", dossier({"apprenti.derniere_classe": "1"})
    )
    assert "« 01 »" in finding.message
    [finding] = run("apprenti.sexe.hors_liste", dossier({"apprenti.sexe": "f"}))
    assert "« F » (Féminin)" in finding.message


def test_previous_contract_number_accepted():
    d = dossier(
        {"contrat.type_contrat": "22", "contrat.numero_contrat_precedent": "069202409000123"}
    )
    assert run("contrat.numero_contrat_precedent.format", d) == []


def test_no_derogation_is_not_a_code_outside_the_table():
    assert (
        run("contrat.type_derogation.hors_liste", dossier({"contrat.type_derogation": None})) == []
    )
    assert (
        len(run("contrat.type_derogation.hors_liste", dossier({"contrat.type_derogation": "0"})))
        == 1
    )


@pytest.mark.parametrize(
    ("value", "fault"),
    [
        ("ines.free.fr", "arobase"),  # no @
        ("ines@@free.fr", "arobase"),
        ("@free.fr", "arobase"),  # nothing before the @
        ("ines@", "domaine"),  # nothing after it
        ("ines@free", "domaine"),  # no extension
        ("ines@free.f", "extension"),
        ("ines @free.fr", "espace"),
    ],
)
def test_an_address_no_mail_can_reach_is_an_error_never_the_warning(value, fault):
    assert ids.check_courriel(value).fault == fault
    [finding] = run("apprenti.courriel.format", dossier({"apprenti.courriel": value}))
    assert finding.level == "error"
    assert run("apprenti.courriel.inhabituel", dossier({"apprenti.courriel": value})) == []


def test_an_address_over_254_characters_is_undeliverable():
    # RFC 5321's limit; the dossier's boxes are shorter still (rules/limits.py), so only
    # the validator meets it.
    domain = ".".join(["d" * 63] * 3) + ".fr"
    at_limit = "i" * (254 - 1 - len(domain)) + "@" + domain
    assert len(at_limit) == 254 and ids.check_courriel(at_limit).ok
    assert ids.check_courriel("i" + at_limit).fault == "longueur"
    assert "longueur" in ids.COURRIEL_UNDELIVERABLE


@pytest.mark.parametrize("value", ["inès@free.fr", "ines..moreau@free.fr", "ines.@free.fr"])
def test_an_unusual_local_part_is_the_warning_only(value):
    d = dossier({"apprenti.courriel": value})
    assert run("apprenti.courriel.format", d) == []
    [finding] = run("apprenti.courriel.inhabituel", d)
    assert finding.level == "warning"


def test_a_bad_domain_wins_over_an_unusual_local_part():
    # « inès@free » can reach no one: the error, whatever its accent.
    d = dossier({"apprenti.courriel": "inès@free"})
    assert len(run("apprenti.courriel.format", d)) == 1
    assert run("apprenti.courriel.inhabituel", d) == []


def test_well_formed_addresses_pass_both():
    for value in ("ines.moreau@free.fr", "i.moreau+cfa@sub.example.co.uk", "a@b.xn--p1ai"):
        d = dossier({"apprenti.courriel": value})
        assert run("apprenti.courriel.format", d) == []
        assert run("apprenti.courriel.inhabituel", d) == []


def test_second_maitre_email_message_names_the_maitre():
    [finding] = run("maitres.courriel.format", dossier({"maitres.1.courriel": "paul@durand"}))
    assert "maître d'apprentissage n°2" in finding.message


def test_every_coded_field_of_a_table_accepts_all_its_codes():
    for pattern, table in codes.FIELD_TABLES.items():
        code = f"{pattern.replace('.*', '')}.hors_liste"
        for value, _ in table:
            assert run(code, dossier({pattern.replace("*", "0"): value})) == [], (code, value)


def test_messages_read_as_one_sentence_after_the_box_name():
    [finding] = run("employeur.siret.luhn", dossier({"employeur.siret": "52147896600175"}))
    assert finding.message.startswith("SIRET de l'employeur : ce SIRET n'existe pas")
    [finding] = run("employeur.courriel.format", dossier({"employeur.courriel": "a.b.fr"}))
    assert finding.message.startswith("Courriel de l'employeur : il manque le @")
