"""Five lawful contracts that stress the checks on the reference tables (rules/checks/
tables.py): overseas and Corsican communes, CEDEX addresses, an IDCC created in 2024 that
the 2019 OPCO table does not know with a NAF 2025 code APE, and a code diplôme of the
kit's last update. Each gets no error from any rule, and no warning from the table
checks: their data agree with the tables, and what the tables cannot know (a CEDEX code,
a recent IDCC's OPCO) is left alone or said as information.
"""

import pytest

from rules.complete import complete
from rules.engine import check, load_rules
from rules.identifiers import nir_key
from rules.registry import RULES

from .factories import TODAY, make

EMPTY_GRID = {"contrat.remunerations": [], "contrat.salaire_brut_embauche": None}

# The real BP Coiffure and its RNCP fiche (the example's codes do not go together).
BP_COIFFURE = {
    "formation.diplome_vise": "49",
    "formation.intitule_precis": "Brevet professionnel Coiffure",
    "formation.code_diplome": "45033608",
    "formation.code_rncp": "RNCP38231",
}


def address(base: str, code_postal: str, commune: str) -> dict:
    return {f"{base}.code_postal": code_postal, f"{base}.commune": commune}


CORSICAN_NIR = "210032B033045"

CASES = {
    # Guadeloupe: employer in Pointe-à-Pitre, apprentice in Les Abymes, CFA in Baie-Mahault.
    # The national SMIC applies (only Mayotte has its own, L3423-1).
    "Guadeloupe": {
        **BP_COIFFURE,
        **address("employeur.adresse", "97110", "Pointe-à-Pitre"),
        **address("apprenti.adresse", "97139", "Les Abymes"),
        **address("formation.cfa.adresse", "97122", "Baie-Mahault"),
        "signature.fait_a": "Pointe-à-Pitre",
    },
    # Corsica: a minor born in Bastia (2B: the NIR's key reads it as 18), employer in
    # Ajaccio (2A), her mother in Ville-di-Pietrabugno, under Bastia's postal code.
    "Corse, apprentie mineure née en Haute-Corse": {
        **BP_COIFFURE,
        "apprenti.date_naissance": "2010-03-14",
        "apprenti.nir": CORSICAN_NIR + nir_key(CORSICAN_NIR),
        "apprenti.departement_naissance": "2B",
        "apprenti.commune_naissance": "Bastia",
        **address("employeur.adresse", "20090", "Ajaccio"),
        **address("apprenti.adresse", "20200", "Bastia"),
        "apprenti.representant_legal": {
            "nom_naissance": "Moreau",
            "prenom": "Claire",
            "adresse": {
                "numero": "4",
                "voie": "route du Cap",
                "code_postal": "20200",
                "commune": "Ville-di-Pietrabugno",
            },
            "courriel": "claire.moreau@free.fr",
        },
        **address("formation.cfa.adresse", "20000", "AJACCIO"),
        "signature.fait_a": "Ajaccio",
    },
    # CEDEX addresses: the employer's at Lyon's CEDEX code, the CFA's at La Défense; the
    # training place is in Paris, written with its arrondissement.
    "adresses CEDEX": {
        **BP_COIFFURE,
        **address("employeur.adresse", "69421", "LYON CEDEX 03"),
        **address("formation.cfa.adresse", "92051", "Paris La Défense Cedex"),
        "formation.cfa_est_lieu_principal": False,
        "formation.lieu_principal": {
            "denomination": "Académie de coiffure",
            "uai": "0754321P",
            "siret": "77834512400300",
            "adresse": {
                "numero": "12",
                "voie": "rue de la Roquette",
                "code_postal": "75011",
                "commune": "Paris 11e",
            },
        },
    },
    # IDCC 3248, the métallurgie's convention of 2024 (in force, unknown to the 2019 OPCO
    # table); an employer whose SIRENE code is already a NAF 2025 one (25.53Y); a BTS of
    # the kit, after a bac pro.
    "métallurgie, IDCC 3248 et code APE NAF 2025": {
        "employeur.denomination": "Usinage de précision du Forez",
        "employeur.type_employeur": "12",
        "employeur.code_ape": "25.53Y",
        "employeur.code_idcc": "3248",
        "employeur.effectif": 120,
        **address("employeur.adresse", "42000", "Saint-Étienne"),
        **address("apprenti.adresse", "42100", "St-Étienne"),
        **address("formation.cfa.adresse", "42000", "SAINT ETIENNE"),
        "apprenti.dernier_diplome_prepare": "41",
        "apprenti.diplome_plus_eleve": "41",
        "apprenti.intitule_dernier_diplome": "Bac pro Technicien en réalisation de produits",
        "maitres.0.emploi_occupe": "Responsable d'atelier",
        "maitres.0.diplome_plus_eleve": "BTS Conception des processus de réalisation",
        "formation.diplome_vise": "54",
        "formation.intitule_precis": "BTS Conception des processus de réalisation de produits",
        "formation.code_diplome": "32022318",
        "formation.code_rncp": "RNCP37464",
        "formation.duree_heures": 1350,
        "signature.fait_a": "Saint-Étienne",
    },
    # A BTS Banque, one of the two codes of the kit's last update (18 December 2023),
    # after a baccalauréat général; a bank in Paris 8e, the apprentice in Montreuil.
    "BTS Banque, code de la dernière mise à jour du kit": {
        "employeur.denomination": "Banque du Faubourg",
        "employeur.type_employeur": "12",
        "employeur.code_ape": "6419Z",
        "employeur.code_idcc": "2120",
        "employeur.effectif": 800,
        **address("employeur.adresse", "75008", "Paris"),
        **address("apprenti.adresse", "93100", "Montreuil"),
        **address("formation.cfa.adresse", "75013", "Paris 13e arrondissement"),
        "apprenti.dernier_diplome_prepare": "42",
        "apprenti.diplome_plus_eleve": "42",
        "apprenti.intitule_dernier_diplome": "Baccalauréat général",
        "maitres.0.emploi_occupe": "Conseillère clientèle",
        "maitres.0.diplome_plus_eleve": "Master Banque",
        "maitres.0.niveau_diplome": "7",
        "formation.diplome_vise": "54",
        "formation.intitule_precis": "BTS Banque, conseiller de clientèle",
        "formation.code_diplome": "32031313",
        "formation.code_rncp": "RNCP38381",
        "formation.duree_heures": 1350,
        "signature.fait_a": "Paris",
    },
}


def table_rule_codes() -> set[str]:
    load_rules()
    return {code for code, r in RULES.items() if r.check.__module__ == "rules.checks.tables"}


@pytest.mark.parametrize("name", CASES)
def test_a_lawful_contract_gets_no_error_and_no_table_warning(name):
    dossier, _ = complete(make({**EMPTY_GRID, **CASES[name]}))
    findings = check(dossier, today=TODAY)
    assert [f.as_line() for f in findings if f.level == "error"] == []
    assert [f.as_line() for f in findings if f.code in table_rule_codes()] == []


def test_the_table_checks_do_look_at_these_contracts():
    # The same contracts with one fact wrong each get their warning: the checks ran.
    wrong = {
        "Guadeloupe": {"apprenti.adresse.commune": "Fort-de-France"},
        "Corse, apprentie mineure née en Haute-Corse": {"employeur.adresse.commune": "Bastia"},
        "adresses CEDEX": {"formation.lieu_principal.adresse.commune": "Paris 12e"},
        "métallurgie, IDCC 3248 et code APE NAF 2025": {"employeur.code_ape": "25.53X"},
        "BTS Banque, code de la dernière mise à jour du kit": {"formation.diplome_vise": "41"},
    }
    for name, change in wrong.items():
        dossier, _ = complete(make({**EMPTY_GRID, **CASES[name], **change}))
        found = [f for f in check(dossier, today=TODAY) if f.code in table_rule_codes()]
        assert len(found) == 1, (name, found)
        assert found[0].level == "warning"


def test_complete_says_the_opco_of_the_recent_idcc_is_to_be_checked():
    _, findings = complete(
        make({**EMPTY_GRID, **CASES["métallurgie, IDCC 3248 et code APE NAF 2025"]})
    )
    (opco,) = [f for f in findings if f.code == "complete.employeur.opco"]
    assert opco.level == "info" and "à vérifier" in opco.message and "3248" in opco.message
    _, findings = complete(
        make({**EMPTY_GRID, **CASES["BTS Banque, code de la dernière mise à jour du kit"]})
    )
    (opco,) = [f for f in findings if f.code == "complete.employeur.opco"]
    assert "ATLAS" in opco.message
