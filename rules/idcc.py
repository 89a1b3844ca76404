"""The conventions collectives known without a network: ``rules/data/idcc.json``.

The file ships with the full list of IDCC (``complet`` true), each convention with its
legal state in the base KALI (``etat``: « VIGUEUR_ETEN », « ABROGE|VIGUEUR_ETEN »…) and
whether it is in force; its source and date are in the file (docs/tables.md).
``python manage.py cerfa_table_update idcc [SOURCE]`` rebuilds it from the DILA's official
list (base KALI, data.gouv.fr). A rule may say "IDCC inconnu" only when the list is
complete, and says the list's date: an IDCC created since is not in it.

Plain Python: no Django. The format check of an IDCC is ``rules.identifiers.check_idcc``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rules import codes
from rules.identifiers import compact

DATA_PATH = Path(__file__).resolve().parent / "data" / "idcc.json"

# The CERFA's own values (9999 no convention, 9998 not yet in force): always known.
SPECIAL = codes.codes(codes.IDCC_SPECIAUX)


@dataclass(frozen=True)
class Convention:
    idcc: str  # 4 digits
    titre: str
    en_vigueur: bool | None  # None: the legal state is not known
    etat: str = ""  # KALI legal state(s) of its texts, "|"-joined; "" when not known


@dataclass(frozen=True)
class IdccList:
    conventions: dict[str, Convention]
    complet: bool  # the whole official list, not a selection
    source: str
    date: str  # ISO date the list was written or rebuilt


def normalize(value: object) -> str | None:
    """The 4-digit form of an IDCC typed with or without its leading zeros ("16" → "0016");
    None when it is not 1 to 4 digits, or zero."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    number = compact(value)
    if not re.fullmatch(r"\d{1,4}", number, re.ASCII) or int(number) == 0:
        return None
    return number.zfill(4)


def in_force(etat: str) -> bool | None:
    """Whether a convention is in force from the KALI states of its texts (« ABROGE|
    VIGUEUR_ETEN »): yes when one of them is in force, extended or not; a state « différé »
    (VIGUEUR_DIFF) is not in force yet. None when no state is known."""
    states = [s for s in etat.split("|") if s]
    if not states:
        return None
    return any(s.startswith("VIGUEUR") and s != "VIGUEUR_DIFF" for s in states)


def is_statut(code: str) -> bool:
    """IDCC 5000 to 5999 are not conventions collectives but statuts and agreements the
    DARES numbers alike (5001 IEG, 5021 fonction publique territoriale…): lawful on the
    CERFA, and not all in the KALI list."""
    return len(code) == 4 and code.startswith("5")


def parse(text: str) -> IdccList:
    """Read the JSON text of an IDCC list; ValueError (one line, French) when malformed."""
    try:
        data = json.loads(text)
    except ValueError:
        raise ValueError("La liste des IDCC n'est pas un JSON lisible.") from None
    if not isinstance(data, dict) or not isinstance(data.get("conventions"), list):
        raise ValueError("La liste des IDCC doit contenir une liste « conventions ».")
    if not isinstance(data.get("complet"), bool):
        raise ValueError("La liste des IDCC doit dire si elle est complète (« complet »).")
    conventions: dict[str, Convention] = {}
    for entry in data["conventions"]:
        if not isinstance(entry, dict):
            raise ValueError("Chaque convention de la liste des IDCC doit être un objet.")
        idcc, titre, en_vigueur = entry.get("idcc"), entry.get("titre"), entry.get("en_vigueur")
        etat = entry.get("etat", "")
        if not isinstance(idcc, str) or not re.fullmatch(r"\d{4}", idcc, re.ASCII):
            raise ValueError(f"IDCC mal écrit dans la liste : {idcc!r} (4 chiffres attendus).")
        if not isinstance(titre, str) or not titre.strip():
            raise ValueError(f"La convention {idcc} de la liste n'a pas d'intitulé.")
        if en_vigueur is not None and not isinstance(en_vigueur, bool):
            raise ValueError(
                f"« en_vigueur » de la convention {idcc} doit valoir true, false ou null."
            )
        if not isinstance(etat, str):
            raise ValueError(f"« etat » de la convention {idcc} doit être un texte.")
        if idcc in conventions:
            raise ValueError(f"La convention {idcc} figure deux fois dans la liste.")
        conventions[idcc] = Convention(idcc, titre.strip(), en_vigueur, etat.strip())
    return IdccList(
        conventions, data["complet"], str(data.get("source", "")), str(data.get("date", ""))
    )


def dumps(idcc_list: IdccList, note: str) -> str:
    """The JSON text of a list, in the file's format (sorted by IDCC)."""
    data = {
        "_note": note,
        "source": idcc_list.source,
        "complet": idcc_list.complet,
        "date": idcc_list.date,
        "conventions": [
            {"idcc": c.idcc, "titre": c.titre, "en_vigueur": c.en_vigueur}
            | ({"etat": c.etat} if c.etat else {})
            for c in sorted(idcc_list.conventions.values(), key=lambda c: c.idcc)
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


@cache
def bundled() -> IdccList:
    """The list shipped in rules/data/idcc.json (read once per process)."""
    return parse(DATA_PATH.read_text(encoding="utf-8"))


def find(value: object, idcc_list: IdccList | None = None) -> Convention | None:
    """The convention of an IDCC in the list (the bundled one by default), or None. The two
    special values of the CERFA (9999 no convention, 9998 not yet in force) are always known."""
    code = normalize(value)
    if code is None:
        return None
    special = codes.label(codes.IDCC_SPECIAUX, code)
    if special:
        return Convention(code, special, None)
    return (idcc_list or bundled()).conventions.get(code)
