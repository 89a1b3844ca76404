"""Realistic valid contracts get no error: an employer is never blocked for nothing.

Each case changes the example dossier (a 19-year-old, BP Coiffure, 01/09/2027 to
31/08/2029) into another lawful contract, lets ``complete`` fill the remuneration grid at
the legal minimum, and runs every rule. Warnings and information may appear (they ask to
check something); an error would stop a contract the law allows.
"""

import pytest

from rules.complete import complete
from rules.engine import check
from rules.identifiers import nir_key

from .factories import REPRESENTANT, TODAY, make

EMPTY_GRID = {"contrat.remunerations": [], "contrat.salaire_brut_embauche": None}


def apprentie(born: str) -> dict:
    """A woman born on ``born`` (YYYY-MM-DD) in the Rhône, with the NIR that goes with it."""
    year, month, _ = born.split("-")
    first13 = f"2{year[2:]}{month}69123045"
    return {"apprenti.date_naissance": born, "apprenti.nir": first13 + nir_key(first13)}


NO_RQTH_RIGHTS_ASKED = {"apprenti.equivalence_jeunes": None, "apprenti.extension_boe": None}
AVENANT = {"contrat.numero_contrat_precedent": "069202708000123"}

CASES = {
    # L6222-2 3°: no age limit with an RQTH; dérogation 12 says why she is over 29.
    "RQTH, 31 ans": {
        **apprentie("1996-03-10"),
        "apprenti.rqth": True,
        **NO_RQTH_RIGHTS_ASKED,
        "contrat.type_derogation": "12",
    },
    # L6222-2 5°: no age limit for a sportif de haut niveau.
    "sportive de haut niveau, 31 ans": {
        **apprentie("1996-01-10"),
        "apprenti.sportif_haut_niveau": True,
        "contrat.type_derogation": "12",
    },
    # L6222-1 al. 2: 15 years old after the 3e (dernière classe 40), dérogation 11, with
    # her legal representative.
    "15 ans après la 3e, CAP": {
        **apprentie("2012-03-01"),
        "apprenti.derniere_classe": "40",
        "apprenti.dernier_diplome_prepare": "25",
        "apprenti.diplome_plus_eleve": "25",
        "apprenti.intitule_dernier_diplome": "Diplôme national du brevet",
        "apprenti.representant_legal": REPRESENTANT,
        "contrat.type_derogation": "11",
        "formation.diplome_vise": "33",
        "formation.intitule_precis": "CAP Métiers de la coiffure",
        "formation.code_diplome": "50033617",
        "formation.duree_heures": 820,
    },
    # D6222-32: one year of licence professionnelle, paid at least the 2nd-year rate.
    "licence professionnelle en un an": {
        **apprentie("2006-01-15"),
        "apprenti.dernier_diplome_prepare": "54",
        "apprenti.diplome_plus_eleve": "54",
        "apprenti.intitule_dernier_diplome": "BTS Management commercial opérationnel",
        "formation.diplome_vise": "62",
        "formation.intitule_precis": "Licence professionnelle Commerce et distribution",
        "formation.code_diplome": "25031203",
        "formation.code_rncp": "RNCP30064",
        "formation.date_fin_epreuves": "2028-07-03",
        "formation.duree_heures": 450,
        "contrat.date_fin": "2028-08-31",
        "maitres.0.niveau_diplome": "6",
    },
    # D6272-1: a public employer (an EPCI) follows the private grid; IRCANTEC, no IDCC.
    "employeur public (EPCI)": {
        "employeur.prive_public": "public",
        "employeur.type_employeur": "28",
        "employeur.code_idcc": "9999",
        "employeur.code_ape": "8411Z",
        "employeur.adhesion_regime_assurance_chomage": False,
        "contrat.caisse_retraite_complementaire": "IRCANTEC",
    },
    # L6222-7: the apprenticeship period of a CDI.
    "CDI": {"contrat.mode_contractuel": "2"},
    # L6222-12-1: at the CFA as a stagiaire for six weeks before the contract.
    "stagiaire au CFA avant le contrat (situation 7)": {
        "apprenti.situation_avant_contrat": "7",
        "contrat.date_conclusion": "2027-10-10",
        "contrat.date_debut_execution": "2027-10-15",
        "contrat.date_debut_formation_pratique": "2027-10-15",
    },
    # D6222-28-1: after a broken contract, the 2nd year of the cycle with a new employer.
    "après une rupture, 2e année du cycle": {
        "contrat.type_contrat": "23",
        "contrat.numero_contrat_precedent": "069202609000123",
        "apprenti.situation_avant_contrat": "8",
        "formation.date_debut_cfa": "2026-09-01",
        "formation.date_fin_epreuves": "2028-07-03",
        "formation.duree_heures": 455,
        "contrat.date_fin": "2028-08-31",
    },
    # R6222-23-1: after a rupture (L6222-18-2), four months with a new employer to finish
    # the cycle: shorter than 6 months, and less than 25 % at the CFA, lawfully.
    "après une rupture, 4 mois pour finir le cycle": {
        "contrat.type_contrat": "23",
        "contrat.numero_contrat_precedent": "069202609000123",
        "apprenti.situation_avant_contrat": "8",
        "formation.date_debut_cfa": "2026-09-07",
        "formation.date_fin_epreuves": "2027-12-15",
        "formation.duree_heures": 120,
        "contrat.date_fin": "2027-12-31",
    },
    # L6222-2 1°, D6222-1: 31 at the start, a new contract after a completed one, for a
    # higher diploma, signed before 35.
    "succession à 31 ans vers un diplôme supérieur": {
        **apprentie("1996-01-10"),
        "contrat.type_contrat": "22",
        "contrat.type_derogation": "12",
        "contrat.numero_contrat_precedent": "069202509000123",
        "apprenti.situation_avant_contrat": "4",
        "apprenti.dernier_diplome_prepare": "54",
        "apprenti.diplome_plus_eleve": "54",
        "formation.diplome_vise": "62",
        "maitres.0.niveau_diplome": "6",
    },
    # D6222-26 3° and 4°: 27 years old, the SMC of the job is higher than the SMIC.
    "27 ans, SMC plus élevé que le SMIC": {**apprentie("2000-01-10"), "contrat.smc": "1950.00"},
    # R6222-46: four years for an apprentice with an RQTH, by a tripartite convention.
    "RQTH, contrat de 4 ans": {
        "apprenti.rqth": True,
        **NO_RQTH_RIGHTS_ASKED,
        "contrat.type_derogation": "22",
        "contrat.date_fin": "2031-08-31",
        "formation.date_fin_epreuves": "2031-07-03",
        "formation.duree_heures": 1800,
    },
    # An RQTH allows a shorter week; the minimum pay follows it.
    "RQTH à 24 heures par semaine": {
        "apprenti.rqth": True,
        **NO_RQTH_RIGHTS_ASKED,
        "contrat.duree_hebdo.heures": 24,
        "formation.duree_heures": 650,
    },
    # L3423-1: Mayotte has its own SMIC.
    "employeur à Mayotte": {
        "employeur.adresse.code_postal": "97600",
        "employeur.adresse.commune": "Mamoudzou",
    },
    # L6222-11, D6222-28: one more year after an exam failure, at the last year's rate.
    "avenant 33, prolongation après un échec": {
        **AVENANT,
        "contrat.type_contrat": "33",
        "contrat.date_conclusion": "2029-07-20",
        "contrat.date_effet_avenant": "2029-09-01",
        "contrat.date_fin": "2030-08-31",
        "formation.date_fin_epreuves": "2030-07-03",
        "formation.duree_heures": 1300,
    },
    # A new maître during the contract: the avenant is signed after the start.
    "avenant 36, nouveau maître": {
        **AVENANT,
        "contrat.type_contrat": "36",
        "contrat.date_conclusion": "2028-03-01",
        "contrat.date_effet_avenant": "2028-03-15",
    },
    # L6222-22-1: a further diploma prepared during the contract, its training a year on.
    "avenant 35, diplôme supplémentaire": {
        **AVENANT,
        "contrat.type_contrat": "35",
        "contrat.date_conclusion": "2028-08-20",
        "contrat.date_effet_avenant": "2028-09-01",
        "formation.date_debut_cfa": "2028-09-04",
    },
    # R6222-48: a year added by an avenant 34 for an RQTH obtained during the contract.
    "RQTH reconnue en cours de contrat, avenant 34": {
        **AVENANT,
        "apprenti.rqth": True,
        **NO_RQTH_RIGHTS_ASKED,
        "contrat.type_contrat": "34",
        "contrat.date_conclusion": "2029-07-20",
        "contrat.date_effet_avenant": "2029-09-01",
        "contrat.date_fin": "2030-08-31",
        "formation.date_fin_epreuves": "2030-07-03",
        "formation.duree_heures": 1300,
    },
    # R6222-46, R6222-48: 28 years old with an RQTH, four years: the 4th at 100 + 15 %.
    "RQTH, 28 ans, 4e année à 115 %": {
        **apprentie("1999-01-10"),
        "apprenti.rqth": True,
        **NO_RQTH_RIGHTS_ASKED,
        "contrat.type_derogation": "22",
        "contrat.date_fin": "2031-08-31",
        "formation.date_fin_epreuves": "2031-07-03",
        "formation.duree_heures": 1800,
    },
    # R6222-49-1: a shorter week for an apprentice with a right attached to the RQTH.
    "extension BOE à 28 heures par semaine": {
        "apprenti.rqth": False,
        "apprenti.extension_boe": True,
        "apprenti.equivalence_jeunes": False,
        "contrat.duree_hebdo.heures": 28,
        "formation.duree_heures": 760,
    },
    # D6222-28-1: the 1st year of the BP validated, a contract reduced to the 2nd year.
    "durée réduite au 2e an du BP": {
        "contrat.type_derogation": "21",
        "apprenti.dernier_diplome_prepare": "49",
        "apprenti.derniere_classe": "11",
        "apprenti.intitule_dernier_diplome": "Brevet professionnel Coiffure",
        "contrat.date_fin": "2028-08-31",
        "formation.date_fin_epreuves": "2028-07-03",
        "formation.duree_heures": 455,
    },
    # L6222-7-1: a CAP in one year after a baccalauréat, by a tripartite convention.
    "CAP en un an après le bac (durée réduite)": {
        "contrat.type_derogation": "21",
        "apprenti.dernier_diplome_prepare": "42",
        "apprenti.diplome_plus_eleve": "42",
        "apprenti.intitule_dernier_diplome": "Baccalauréat professionnel Commerce",
        "formation.diplome_vise": "33",
        "formation.intitule_precis": "CAP Métiers de la coiffure",
        "formation.code_diplome": "50033616",
        "formation.code_rncp": "RNCP34670",
        "contrat.date_fin": "2028-08-31",
        "formation.date_fin_epreuves": "2028-07-03",
        "formation.duree_heures": 420,
    },
    # A contract starting on 29 February, three years long: it ends on 28 February 2031.
    "début le 29 février 2028, trois ans": {
        "contrat.date_conclusion": "2028-02-20",
        "contrat.date_debut_execution": "2028-02-29",
        "contrat.date_debut_formation_pratique": "2028-02-29",
        "formation.date_debut_cfa": "2028-03-01",
        "contrat.date_fin": "2031-02-28",
        "formation.date_fin_epreuves": "2031-01-20",
        "formation.duree_heures": 1300,
    },
    # C. civ. art. 467: an adult under curatelle, her curator on the representative's box.
    "majeure sous curatelle avec son curateur": {"apprenti.representant_legal": REPRESENTANT},
    # L3121-22: an adult's 39-hour week, overtime within the 44-hour average.
    "39 heures par semaine, majeure": {"contrat.duree_hebdo.heures": 39},
}


@pytest.mark.parametrize("name", CASES)
def test_a_valid_contract_gets_no_error(name):
    dossier, _ = complete(make({**EMPTY_GRID, **CASES[name]}))
    errors = [f.as_line() for f in check(dossier, today=TODAY) if f.level == "error"]
    assert errors == []
