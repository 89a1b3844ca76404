"""Dossiers for the rule tests: the example dossier, fresh each time, with tweaks.

    d = make({"contrat.date_fin": "2028-02-28", "apprenti.rqth": True})
    found = run("contrat.duree", d)

Paths are the dossier's dotted paths, list indices from 0; values are JSON values as the
dossier format writes them (dates as "YYYY-MM-DD"; ``datetime.date`` is accepted too).
A path ending on a list index equal to the list's length appends ("maitres.1": {...}).
"""

from __future__ import annotations

import copy
import datetime
import json
from typing import Any

from rules.dossier import Dossier
from rules.engine import load_rules
from rules.findings import Finding
from rules.registry import RULES, Context
from tests.helpers import EXAMPLE

_EXAMPLE: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))

# A fixed "today", before the example contract starts (2027-09-01): no test reads the clock.
TODAY = datetime.date(2027, 8, 25)

# A second maître, complete and valid, to add with {"maitres.1": MAITRE_2}.
MAITRE_2: dict[str, Any] = {
    "nom_naissance": "Garnier",
    "prenom": "Luc",
    "date_naissance": "1990-11-20",
    "courriel": "luc.garnier@elegance-coiffure-lyon.fr",
    "emploi_occupe": "Coiffeur",
    "diplome_plus_eleve": "Brevet professionnel Coiffure",
    "niveau_diplome": "4",
}

# A complete legal representative, for minors.
REPRESENTANT: dict[str, Any] = {
    "nom_naissance": "Moreau",
    "prenom": "Claire",
    "adresse": {
        "numero": "21",
        "voie": "rue Paul Bert",
        "complement": "",
        "code_postal": "69003",
        "commune": "Lyon",
    },
    "courriel": "claire.moreau@free.fr",
}


def example_data() -> dict[str, Any]:
    """A deep copy of the example dossier as a JSON dict."""
    return copy.deepcopy(_EXAMPLE)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``value`` at a dotted ``path`` of a JSON dict, creating objects on the way."""
    parts = path.split(".")
    node: Any = data
    for part, following in zip(parts, parts[1:], strict=False):
        if isinstance(node, list):
            node = node[int(part)]
            continue
        if node.get(part) is None:
            node[part] = [] if following.isdigit() else {}
        node = node[part]
    last = parts[-1]
    if isinstance(node, list):
        index = int(last)
        if index == len(node):
            node.append(_jsonable(value))
        else:
            node[index] = _jsonable(value)
    else:
        node[last] = _jsonable(value)


def make(changes: dict[str, Any] | None = None) -> Dossier:
    """A fresh valid dossier (the example), with ``changes`` applied in order."""
    data = example_data()
    for path, value in (changes or {}).items():
        set_path(data, path, value)
    return Dossier.from_dict(data)


def run(code: str, dossier: Dossier, today: datetime.date = TODAY) -> list[Finding]:
    """The findings of one rule on ``dossier``."""
    load_rules()
    return RULES[code].run(dossier, Context(today=today))


def only(found: list[Finding]) -> Finding:
    """The one finding of a rule that must report exactly one."""
    assert len(found) == 1, found
    return found[0]


def reference(code: str) -> str:
    load_rules()
    return RULES[code].reference


def level(code: str) -> str:
    load_rules()
    return RULES[code].level
