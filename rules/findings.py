"""The one result type of every check: a finding.

The wizard shows findings next to their fields, the review page lists them, ``cerfa check``
prints them. Shape fixed by dossier format v1 (``docs/format-dossier.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warning", "info"]
LEVELS: tuple[Level, ...] = ("error", "warning", "info")
LEVEL_LABELS = {"error": "Erreur", "warning": "Attention", "info": "Information"}


@dataclass(frozen=True)
class Finding:
    level: Level
    code: str  # stable identifier of the rule, e.g. "apprenti.nir.cle"
    fields: tuple[str, ...]  # dotted dossier paths, list indices from 0: "maitres.1.prenom"
    message: str  # plain French: what is wrong and what to do
    reference: str = ""  # legal or official source, e.g. "C. trav. art. L6222-1"

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"unknown level {self.level!r}")

    def to_dict(self) -> dict[str, object]:
        return {
            "level": self.level,
            "code": self.code,
            "fields": list(self.fields),
            "message": self.message,
            "reference": self.reference,
        }

    def as_line(self) -> str:
        where = ", ".join(self.fields)
        ref = f" [{self.reference}]" if self.reference else ""
        return f"{LEVEL_LABELS[self.level]} ({self.code}) {where} : {self.message}{ref}"


def has_error(findings: list[Finding]) -> bool:
    return any(f.level == "error" for f in findings)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Errors first, then warnings, then information; stable within a level."""
    return sorted(findings, key=lambda f: LEVELS.index(f.level))
