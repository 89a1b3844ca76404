"""Addresses from public sources, split into the dossier's ``Adresse`` fields.

The dossier has ``numero`` ("12", "12 bis"), ``voie`` ("RUE DES LILAS"), ``complement``,
``code_postal`` and ``commune``. SIRENE gives the parts separately, with the street type
as an INSEE code ("AV", "BD"…) and the repetition index as one letter ("B" for bis);
other sources give only a line ("12 BIS RUE DES LILAS 69002 LYON"), which is split here
as well as it can be. The user always sees the result and can correct it.
"""

from __future__ import annotations

import re

# INSEE street-type codes of SIRENE (typeVoieEtablissement) and the words they stand for.
# A code not listed is kept as it is: it is then usually already a word.
TYPES_VOIE = {
    "ALL": "ALLÉE",
    "AV": "AVENUE",
    "BD": "BOULEVARD",
    "CAR": "CARREFOUR",
    "CHE": "CHEMIN",
    "CHS": "CHAUSSÉE",
    "CITE": "CITÉ",
    "COR": "CORNICHE",
    "CRS": "COURS",
    "DOM": "DOMAINE",
    "DSC": "DESCENTE",
    "ECA": "ÉCART",
    "ESP": "ESPLANADE",
    "FG": "FAUBOURG",
    "GR": "GRANDE RUE",
    "HAM": "HAMEAU",
    "HLE": "HALLE",
    "IMP": "IMPASSE",
    "LD": "LIEU-DIT",
    "LOT": "LOTISSEMENT",
    "MAR": "MARCHÉ",
    "MTE": "MONTÉE",
    "PAS": "PASSAGE",
    "PL": "PLACE",
    "PLN": "PLAINE",
    "PLT": "PLATEAU",
    "PRO": "PROMENADE",
    "PRV": "PARVIS",
    "QUA": "QUARTIER",
    "QUAI": "QUAI",
    "RES": "RÉSIDENCE",
    "RLE": "RUELLE",
    "ROC": "ROCADE",
    "RPT": "ROND-POINT",
    "RTE": "ROUTE",
    "RUE": "RUE",
    "SEN": "SENTIER",
    "SQ": "SQUARE",
    "TPL": "TERRE-PLEIN",
    "TRA": "TRAVERSE",
    "VLA": "VILLA",
    "VLGE": "VILLAGE",
}

# SIRENE's repetition index (indiceRepetitionEtablissement): B, T, Q, C, or a letter.
INDICES_REPETITION = {"B": "bis", "T": "ter", "Q": "quater", "C": "quinquies"}
_INDICE_WORDS = ("BIS", "TER", "QUATER", "QUINQUIES")

# Words that start a street name once the street type is written out; used to find where
# the number is in a one-line address.
_VOIE_WORDS = (
    frozenset(TYPES_VOIE)
    | frozenset(word for label in TYPES_VOIE.values() for word in [label.split()[0]])
    | frozenset({"ALLEE", "CHAUSSEE", "CITE", "ECART", "MARCHE", "MONTEE", "RESIDENCE", "VOIE"})
)


def _clean(value: object) -> str:
    """A string from the source, without surrounding spaces; "" for None or a non-string.
    SIRENE writes "[NON-DIFFUSIBLE]" where a person asked not to be published: dropped."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        return ""
    text = " ".join(str(value).split())
    return "" if "NON-DIFFUSIBLE" in text.upper() else text


def numero_with_indice(numero: object, indice: object) -> str:
    number = _clean(numero)
    letter = _clean(indice).upper()
    if not number:
        return ""
    if not letter:
        return number
    return f"{number} {INDICES_REPETITION.get(letter, letter)}"


def voie_from_parts(type_voie: object, libelle_voie: object) -> str:
    code = _clean(type_voie).upper()
    label = _clean(libelle_voie)
    words = [TYPES_VOIE.get(code, code), label]
    return " ".join(word for word in words if word)


def adresse_from_sirene(source: dict) -> dict[str, str]:
    """An ``Adresse`` from a SIRENE establishment with its address parts separated."""
    return _drop_empty(
        {
            "numero": numero_with_indice(
                source.get("numero_voie"), source.get("indice_repetition")
            ),
            "voie": voie_from_parts(source.get("type_voie"), source.get("libelle_voie")),
            "complement": _clean(source.get("complement_adresse")),
            "code_postal": _clean(source.get("code_postal")),
            "commune": _clean(source.get("libelle_commune")),
        }
    )


def adresse_from_line(line: object, code_postal: object, commune: object) -> dict[str, str]:
    """An ``Adresse`` from a one-line address ("[complement] 12 BIS RUE X 69002 LYON") and the
    postal code and commune given beside it."""
    cp, town = _clean(code_postal), _clean(commune)
    text = _clean(line)
    # The line ends with the postal code and commune (or a CEDEX line): cut from the postal
    # code on when it is there.
    if cp:
        cut = re.search(rf"(^|\s){re.escape(cp)}(\s|$)", text)
        if cut:
            text = text[: cut.start()].strip()
    elif town and text.upper().endswith(town.upper()):
        text = text[: -len(town)].strip()
    numero, voie, complement = split_street_line(text)
    return _drop_empty(
        {
            "numero": numero,
            "voie": voie,
            "complement": complement,
            "code_postal": cp,
            "commune": town,
        }
    )


def split_street_line(text: str) -> tuple[str, str, str]:
    """(numero, voie, complement) of "[complement] 12 [BIS] RUE DES LILAS". The number is the
    first one followed (after its index) by a street word; else a number opening the line."""
    tokens = text.split()
    for i, token in enumerate(tokens):
        if not (token.isascii() and token.isdigit()):
            continue
        j = i + 1
        indice = ""
        if j < len(tokens) and _is_indice(tokens[j], tokens[j + 1 :]):
            indice = tokens[j]
            j += 1
        if j < len(tokens) and (tokens[j].upper().strip(",") in _VOIE_WORDS or i == 0):
            numero = token + (f" {_indice_word(indice)}" if indice else "")
            return numero, " ".join(tokens[j:]).strip(" ,"), " ".join(tokens[:i]).strip(" ,")
    return "", text.strip(" ,"), ""


def _is_indice(token: str, rest: list[str]) -> bool:
    word = token.upper().strip(",")
    if word in _INDICE_WORDS:
        return True
    # A single letter is an index only when a street name follows it ("12 B RUE X").
    return len(word) == 1 and word.isalpha() and bool(rest)


def _indice_word(token: str) -> str:
    word = token.upper().strip(",")
    if word in _INDICE_WORDS:
        return word.lower()
    return INDICES_REPETITION.get(word, word)


def _drop_empty(adresse: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in adresse.items() if value}
