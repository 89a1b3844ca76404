"""The rule registry: one rule = one stable code, one level, one legal reference.

A rule is a function ``(dossier, ctx) -> iterable of (fields, message)``: it yields one
item per problem it sees, with the dotted dossier paths concerned (a str or a tuple of str)
and the French message. The registry turns each item into a ``Finding`` carrying the
rule's code, level and reference, so that these three are declared once, next to the
code, and an architecture test can check that every rule has them and has tests.

    @rule("apprenti.nir.cle", "error", "C. séc. soc. art. R114-7 ; notice 51649#09")
    def nir_key(d: Dossier, ctx: Context):
        \"\"\"Why, and the source, in plain words.\"\"\"
        if ...:
            yield "apprenti.nir", "La clé du NIR ne correspond pas : vérifiez les 15 chiffres."
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rules.dossier import Dossier
from rules.findings import Finding, Level

Problem = tuple[str | tuple[str, ...], str]


@dataclass(frozen=True)
class Context:
    """What a rule may know besides the dossier."""

    today: datetime.date = field(default_factory=datetime.date.today)


@dataclass(frozen=True)
class Rule:
    code: str
    level: Level
    reference: str
    check: Callable[[Dossier, Context], Iterable[Problem]]

    def run(self, dossier: Dossier, ctx: Context) -> list[Finding]:
        found = []
        for fields, message in self.check(dossier, ctx) or ():
            paths = (fields,) if isinstance(fields, str) else tuple(fields)
            found.append(Finding(self.level, self.code, paths, message, self.reference))
        return found


RULES: dict[str, Rule] = {}


def rule(code: str, level: Level, reference: str):
    """Register a rule under a unique code."""

    def register(fn: Callable[[Dossier, Context], Iterable[Problem]]):
        if code in RULES:
            raise ValueError(f"rule code {code!r} registered twice")
        RULES[code] = Rule(code, level, reference, fn)
        return fn

    return register
