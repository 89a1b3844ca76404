"""The NAF sub-classes (code APE), offline: INSEE's NAF rév. 2 and NAF 2025 lists.

``rules/data/naf_rev2.tsv`` and ``rules/data/naf_2025.tsv`` hold one code and its label a
line (code without its dot: « 1071C »). NAF rév. 2 (décret n°2007-1888) is the
nomenclature of the répertoire SIRENE since 2008; NAF 2025, INSEE's version of the NACE
rév. 2.1 (règlement (CE) n°1893/2006 as amended), replaces it, so an employer's code may be
in either while SIRENE moves over. A code can
only be in one: rév. 2 codes never end in the letters NAF 2025 uses and conversely.
Sources and dates in the headers (``info()``); ``manage.py cerfa_table_update naf-rev2 |
naf-2025 SOURCE`` rebuilds them from INSEE's lists (docs/tables.md).

Plain Python: no Django. Read once per process, on first use.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from rules import tabledata
from rules.identifiers import compact

REV2, NAF2025 = "NAF rév. 2", "NAF 2025"
PATHS = {
    REV2: tabledata.DATA_DIR / "naf_rev2.tsv",
    NAF2025: tabledata.DATA_DIR / "naf_2025.tsv",
}

_CODE = re.compile(r"(\d{2})\.?(\d{2})([A-Z])", re.ASCII)


@dataclass(frozen=True)
class Nomenclature:
    name: str  # REV2 or NAF2025
    meta: dict[str, str]
    labels: dict[str, str]  # code without its dot → label


def normalize(value: object) -> str | None:
    """« 10.71C », « 1071c », « 10 71 C » → « 1071C »; None when it is not a NAF sub-class
    code."""
    if not isinstance(value, str):
        return None
    match = _CODE.fullmatch(compact(value).upper())
    return "".join(match.groups()) if match else None


def load(name: str, path: Path) -> Nomenclature:
    table = tabledata.read(path)
    labels = {}
    for line in table.lines:
        code, _, label = line.partition("\t")
        labels[code] = label
    return Nomenclature(name, table.meta, labels)


@functools.cache
def bundled() -> tuple[Nomenclature, ...]:
    """Both nomenclatures shipped in rules/data, rév. 2 first (read once per process)."""
    return tuple(load(name, path) for name, path in PATHS.items())


def revisions(code: object) -> tuple[str, ...]:
    """The nomenclatures that have the code: (REV2,), (NAF2025,) or () when neither."""
    key = normalize(code)
    if key is None:
        return ()
    return tuple(n.name for n in bundled() if key in n.labels)


def naf_label(code: object) -> str | None:
    """The INSEE label of a sub-class code, from the first nomenclature that has it."""
    key = normalize(code)
    if key is None:
        return None
    for nomenclature in bundled():
        label = nomenclature.labels.get(key)
        if label is not None:
            return label
    return None


def info() -> dict[str, dict[str, str]]:
    """Each nomenclature's header (source, date, licence), by name."""
    return {n.name: dict(n.meta) for n in bundled()}
