"""Every counter's name, in one place: what the views count and the page reads.

A name is dotted lowercase ASCII; ``counters.count`` refuses anything else, so that no
typed value can ever become a counter. Counts are of events, not of people: a page shown
twice counts twice.
"""

from __future__ import annotations

import re

NAME = re.compile(r"^[a-z0-9_]+(?:\.[a-z0-9_-]+)+$|^[a-z0-9_]+$")
MAX_LENGTH = 100

HOME = "accueil"  # the home page shown
STARTED = "contrat.commence"  # « Commencer » : a new, empty contract
RESUMED = "contrat.repris"  # a draft (.json) loaded into a new contract
AVENANT = "contrat.avenant"  # an avenant started from an existing contract's file
NEXT_CONTRACT = "contrat.suivant"  # « nouveau contrat » for the same apprentice
STEP = "etape.{step}"  # a step's page shown (GET), the review page included
# A download, by kind: the names of cerfa/downloads.py's SUFFIXES ("pdf", "pdf_aplati",
# "points", "json", "ics"…) and those of the files other features hand out.
DOWNLOAD = "telechargement.{kind}"
# The downloads that hold the CERFA (the ZIP of every file, the review page's first
# download, holds the editable one): their data quality is measured.
CERFA_KINDS = ("pdf", "pdf_aplati", "zip")
QUALITY = "qualite.{bucket}"  # one per CERFA download: its bucket (cerfa/stats/quality.py)
FINDING = "constat.{code}"  # one per CERFA download and finding code it has
BATCH = "lot.execute"  # a batch run
BATCH_SIZE = "lot.taille.{bucket}"  # its number of contracts, in BATCH_BUCKETS
LOOKUP = "recherche.{api}.{outcome}"  # outcome: LOOKUP_OUTCOMES
LOOKUP_OUTCOMES = {"repondue": "répondue", "indisponible": "indisponible"}
SURVEY = "avis.{question}.{answer}"  # one per answer of the survey (cerfa/stats/survey.py)
SURVEY_SENT = "avis.reponses"  # surveys sent
API = "api.{call}"  # a call of the API for CFA software that succeeded: API_CALLS
API_CALLS = {
    "verification": "Vérifier un dossier",
    "completion": "Compléter un dossier",
    "remplissage": "Remplir le CERFA",
}

QUALITY_BUCKETS = ("0-20", "20-40", "40-60", "60-80", "80-100")
# (label, lowest size, highest size): every batch size falls in exactly one.
BATCH_BUCKETS = (
    ("1", 1, 1),
    ("2-10", 2, 10),
    ("11-50", 11, 50),
    ("51-200", 51, 200),
    ("201-2000", 201, 2000),
    ("2001-plus", 2001, None),
)

# What a download kind is called on the page; a kind not listed shows its name.
DOWNLOAD_LABELS = {
    "pdf": "CERFA modifiable",
    "pdf_aplati": "CERFA non modifiable",
    "points": "Points à vérifier",
    "json": "Données (.json)",
    "ics": "Calendrier (.ics)",
    "zip": "Dossier complet (.zip)",
    "convention": "Convention de formation",
    "guide": "Guide",
    "opco": "Données pour l'OPCO (.json)",
    "lot": "CERFA d'un lot (.zip)",
    "lot_points": "Points à vérifier d'un lot (.xlsx)",
    "transmission": "Dossier transmis à l'autre partie (.json)",
    "api": "CERFA rempli par l'API",
}
LOOKUP_LABELS = {
    "siret": "Entreprises (SIRET)",
    "communes": "Communes (code postal)",
    "cfa": "CFA (UAI ou SIRET)",
    "diplome": "Diplômes (RNCP ou code diplôme)",
    "idcc": "Conventions collectives (IDCC)",
}


def batch_bucket(size: int) -> str:
    for label, low, high in BATCH_BUCKETS:
        if size >= low and (high is None or size <= high):
            return label
    raise ValueError(f"a batch has at least one contract, not {size}")


def is_valid(name: str) -> bool:
    return len(name) <= MAX_LENGTH and NAME.match(name) is not None
