"""Hand-over between the CFA and the employer: who prepared which values of a dossier.

A CFA often fills its part of the contract (the training, the CFA, the dates) and hands
the file to the employer, who fills the rest; or the other way round. Nothing is kept on
the server in between: the file carries what each one prepared, in one top-level key that
dossier format v1 leaves to the project (« the project must accept exactly this shape; it
may accept more, never less »; spec/dossier-format-v1.md):

    "preparation": [
      {"par": "cfa", "champs": ["formation.cfa.denomination", "contrat.date_fin", …]}
    ]

one entry per hand-over, in order, each naming who prepared (``"cfa"`` or
``"employeur"``) and the dotted paths of the values they filled that no earlier entry
lists. The paths are the format's own; they hold no personal data. A reader that does
not know the key ignores it (format v1: unknown keys are ignored, with a warning); this
project reads it back to show, on each step, what was prepared and what remains.

Bounds, each with its French message: at most ``MAX_ENTRIES`` entries, ``MAX_PATHS``
paths an entry, ``MAX_PATH_LENGTH`` characters a path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rules.diff import leaves
from rules.dossier import Dossier

KEY = "preparation"
ROLES = {"cfa": "le CFA", "employeur": "l'employeur"}
OTHER = {"cfa": "employeur", "employeur": "cfa"}
MAX_ENTRIES = 10
MAX_PATHS = 400
MAX_PATH_LENGTH = 80
_PATH = re.compile(r"[a-z_]+(\.([a-z_]+|\d{1,2}))*", re.ASCII)


class HandoverError(ValueError):
    """The file's « preparation » cannot be read. The message is plain French."""


@dataclass(frozen=True)
class Contribution:
    by: str  # a key of ROLES
    paths: tuple[str, ...]


def parse(value: Any) -> list[Contribution]:
    """The ``"preparation"`` value of a file (None or absent: no hand-over)."""
    if value is None:
        return []
    where = f"« {KEY} »"
    if not isinstance(value, list):
        raise HandoverError(f"{where} doit être une liste d'étapes de préparation.")
    if len(value) > MAX_ENTRIES:
        raise HandoverError(f"{where} compte plus de {MAX_ENTRIES} étapes de préparation.")
    out = []
    for number, entry in enumerate(value, start=1):
        if not isinstance(entry, dict) or entry.get("par") not in ROLES:
            raise HandoverError(
                f"{where}, étape {number} : « par » doit valoir « cfa » ou « employeur »."
            )
        paths = entry.get("champs") or []
        if not isinstance(paths, list) or len(paths) > MAX_PATHS:
            raise HandoverError(
                f"{where}, étape {number} : « champs » doit être une liste d'au plus "
                f"{MAX_PATHS} chemins."
            )
        for path in paths:
            if (
                not isinstance(path, str)
                or len(path) > MAX_PATH_LENGTH
                or not _PATH.fullmatch(path)
            ):
                raise HandoverError(
                    f"{where}, étape {number} : un chemin de champ est illisible "
                    "(attendu comme « formation.cfa.siret »)."
                )
        out.append(Contribution(entry["par"], tuple(dict.fromkeys(paths))))
    return out


def dump(contributions: list[Contribution]) -> list[dict]:
    return [{"par": c.by, "champs": list(c.paths)} for c in contributions]


def filled(dossier: Dossier) -> list[str]:
    """The paths of every value the dossier holds (a « non » answered counts)."""
    return list(leaves(dossier))


def record(dossier: Dossier, by: str, previous: list[Contribution]) -> list[Contribution]:
    """The hand-over entries of a file ``by`` gives away now: the earlier entries (what
    each one prepared, still filled), then the values ``by`` filled that they do not list."""
    if by not in ROLES:
        raise ValueError(f"unknown role {by!r}")
    now = set(filled(dossier))
    out: list[Contribution] = []
    seen: set[str] = set()
    for entry in previous:
        paths = tuple(p for p in entry.paths if p in now and p not in seen)
        seen.update(paths)
        if paths:
            out.append(Contribution(entry.by, paths))
    mine = tuple(p for p in filled(dossier) if p not in seen)
    if mine:
        if out and out[-1].by == by:
            out[-1] = Contribution(by, out[-1].paths + mine)
        else:
            out.append(Contribution(by, mine))
    if len(out) > MAX_ENTRIES:
        # Handed back and forth more than ``parse`` reads: one entry per role, in the order
        # they first came, says the same of each value (who prepared it).
        merged: dict[str, tuple[str, ...]] = {}
        for entry in out:
            merged[entry.by] = merged.get(entry.by, ()) + entry.paths
        out = [Contribution(role, paths) for role, paths in merged.items()]
    return out


def prepared_by(contributions: list[Contribution]) -> dict[str, str]:
    """Who prepared each path, by path."""
    out: dict[str, str] = {}
    for entry in contributions:
        for path in entry.paths:
            out.setdefault(path, entry.by)
    return out
