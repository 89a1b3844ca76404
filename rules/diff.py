"""The differences between two dossiers, value by value: what an avenant changes.

Both dossiers are walked the same way (every value of the format, in its order); a value
that differs, or exists in one only (a maître or a remuneration line added or removed),
is one ``Change`` with its dotted path and both values (None where absent). Lists are
compared place by place, as the CERFA shows them: the first maître with the first, the
remuneration line n with line n. A text differing only by spaces around it is the same
value; an address block absent and an address left blank are the same too.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from rules.dossier import Dossier, is_blank


@dataclass(frozen=True)
class Change:
    path: str
    before: Any
    after: Any


def leaves(node: Any, path: str = "") -> dict[str, Any]:
    """Every value of a dossier (or part of one) by its dotted path, blanks as None."""
    out: dict[str, Any] = {}
    if dataclasses.is_dataclass(node):
        for f in dataclasses.fields(node):
            if f.name == "ignored_keys":
                continue
            out.update(leaves(getattr(node, f.name), _join(path, f.name)))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            out.update(leaves(item, _join(path, str(index))))
    elif not is_blank(node):
        out[path] = node.strip() if isinstance(node, str) else node
    return out


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def differences(before: Dossier, after: Dossier) -> list[Change]:
    """What changed from ``before`` to ``after``, in the order of the format."""
    old, new = leaves(before), leaves(after)
    # The after dossier's order, then what it no longer has.
    paths = list(new) + [path for path in old if path not in new]
    return [
        Change(path, old.get(path), new.get(path))
        for path in paths
        if old.get(path) != new.get(path)
    ]
