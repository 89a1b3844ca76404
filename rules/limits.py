"""The maximum length of every text of the dossier: what its box on the CERFA can show.

One table, read by the dossier loader (``rules/dossier.py``: the command line and the
wizard's draft upload), by the wizard's fields (``maxlength`` and their error), by the
wizard's conversion of stored steps, and by the JSON Schema (``maxLength``).

Each number is the most characters the form's box can hold on one line: the PDF fill sets
a long text smaller, down to 6 pt (``cerfa/pdf/fill.py``, ``MIN_FONT_SIZE``), inside the
box's width less its padding (1 pt each side under 40 pt wide, 2 pt otherwise), and the
narrowest glyph Helvetica prints in Windows-1252 is the apostrophe, 191/1000 of an em:

    limit = floor((box width − 2 × padding) / (6 pt × 0.191))

Anything the box can show passes; a longer text could never be read on the contract, and
a text of a million characters would only slow every page that shows it. A dossier key
shown in two boxes (maître n°1 and n°2, the eight remuneration lines) takes the wider; the
legal representative's name and first name share one box, so each may fill it alone. The
two answers the form shows as ticked boxes only (``employeur.prive_public``,
``apprenti.sexe``) take the longest label of their list: the rule checking the code then
says which one to write. ``tests/test_text_limits.py`` recomputes every number from the
template's boxes, so the table cannot drift from the form.

Keys are dossier paths, a list's index written ``*`` (``maitres.*.prenom``).
"""

from __future__ import annotations

from rules import codes


def _longest_label(table: codes.Choices) -> int:
    return max(len(text) for pair in table for text in pair)


MAX_LENGTH: dict[str, int] = {
    "employeur.prive_public": _longest_label(codes.PRIVE_PUBLIC),
    "employeur.denomination": 226,
    "employeur.siret": 240,
    "employeur.adresse.numero": 30,
    "employeur.adresse.voie": 148,
    "employeur.adresse.complement": 167,
    "employeur.adresse.code_postal": 40,
    "employeur.adresse.commune": 176,
    "employeur.telephone": 175,
    "employeur.courriel": 187,
    "employeur.type_employeur": 160,
    "employeur.employeur_specifique": 145,
    "employeur.code_ape": 38,
    "employeur.code_idcc": 56,
    "apprenti.nom_naissance": 324,
    "apprenti.nom_usage": 415,
    "apprenti.prenom": 257,
    "apprenti.nir": 226,
    "apprenti.sexe": _longest_label(codes.SEXE),
    "apprenti.departement_naissance": 28,
    "apprenti.commune_naissance": 134,
    "apprenti.nationalite": 27,
    "apprenti.regime_social": 27,
    "apprenti.adresse.numero": 30,
    "apprenti.adresse.voie": 148,
    "apprenti.adresse.complement": 167,
    "apprenti.adresse.code_postal": 40,
    "apprenti.adresse.commune": 176,
    "apprenti.telephone": 175,
    "apprenti.courriel": 187,
    "apprenti.situation_avant_contrat": 27,
    "apprenti.dernier_diplome_prepare": 28,
    "apprenti.derniere_classe": 29,
    "apprenti.intitule_dernier_diplome": 240,
    "apprenti.diplome_plus_eleve": 28,
    "apprenti.representant_legal.nom_naissance": 226,
    "apprenti.representant_legal.prenom": 226,
    "apprenti.representant_legal.adresse.numero": 30,
    "apprenti.representant_legal.adresse.voie": 150,
    "apprenti.representant_legal.adresse.complement": 169,
    "apprenti.representant_legal.adresse.code_postal": 43,
    "apprenti.representant_legal.adresse.commune": 179,
    "apprenti.representant_legal.courriel": 188,
    "maitres.*.nom_naissance": 152,
    "maitres.*.prenom": 198,
    "maitres.*.courriel": 203,
    "maitres.*.emploi_occupe": 173,
    "maitres.*.diplome_plus_eleve": 240,
    "maitres.*.niveau_diplome": 42,
    "contrat.mode_contractuel": 10,
    "contrat.type_contrat": 23,
    "contrat.type_derogation": 23,
    "contrat.numero_contrat_precedent": 192,
    "contrat.remunerations.*.reference": 20,
    "contrat.caisse_retraite_complementaire": 232,
    "contrat.avantages_nature.autre": 18,
    "formation.cfa.denomination": 223,
    "formation.cfa.uai": 153,
    "formation.cfa.siret": 154,
    "formation.cfa.adresse.numero": 30,
    "formation.cfa.adresse.voie": 146,
    "formation.cfa.adresse.complement": 166,
    "formation.cfa.adresse.code_postal": 40,
    "formation.cfa.adresse.commune": 175,
    "formation.lieu_principal.denomination": 232,
    "formation.lieu_principal.uai": 196,
    "formation.lieu_principal.siret": 186,
    "formation.lieu_principal.adresse.numero": 30,
    "formation.lieu_principal.adresse.voie": 154,
    "formation.lieu_principal.adresse.complement": 173,
    "formation.lieu_principal.adresse.code_postal": 40,
    "formation.lieu_principal.adresse.commune": 183,
    "formation.diplome_vise": 51,
    "formation.intitule_precis": 232,
    "formation.code_diplome": 155,
    "formation.code_rncp": 172,
    "signature.fait_a": 175,
}


def generic_path(path: str) -> str:
    """The table's key of a dossier path: list indices written ``*``
    ("maitres.1.prenom" → "maitres.*.prenom")."""
    return ".".join("*" if part.isascii() and part.isdigit() else part for part in path.split("."))


def max_length(path: str) -> int:
    """The maximum length of the text at a dossier path ("maitres.1.prenom" included).

    KeyError for a path that holds no text: every text key of the format is in the table
    (``tests/test_text_limits.py``), so a miss is a programming error, never user input.
    """
    return MAX_LENGTH[generic_path(path)]


def too_long(path: str, text: str) -> bool:
    return len(text) > max_length(path)
