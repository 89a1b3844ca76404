"""« Réglementation » and « Le saviez-vous ? » beside each field.

The rule in plain words and the tip are written once, on the field (``fields.py``: ``rule``
and ``tip``); the sources are those the registry's rules carry (``rules/registry.py``) for
the field's dossier path, so a legal reference is never typed a second time here.
"""

from __future__ import annotations

import re
from functools import cache

from rules.engine import load_rules
from rules.registry import RULES

_INDEX = re.compile(r"\.(\d+|\*)(?=\.|$)")


def generic(path: str) -> str:
    """A dossier path without its list positions: ``maitres.0.courriel`` → ``maitres.courriel``."""
    return _INDEX.sub("", path)


@cache
def references(path: str) -> tuple[str, ...]:
    """The distinct sources of the rules that check a dossier path (by their codes, which
    start with the path they check), in the registry's order."""
    load_rules()
    wanted = generic(path)
    out: list[str] = []
    for code, registered in RULES.items():
        if code == wanted or code.startswith(wanted + ".") or code.startswith(wanted + "_"):
            for source in registered.reference.split(" ; "):
                source = source.strip()
                if source and source not in out:
                    out.append(source)
    return tuple(out)


def help_for(path: str, field) -> dict | None:
    """What the field's help panels show, or None when there is nothing to show."""
    rule = getattr(field, "rule", "")
    tip = getattr(field, "tip", "")
    refs = references(path)
    if not (rule or tip or refs):
        return None
    return {"rule": rule, "tip": tip, "references": refs}
