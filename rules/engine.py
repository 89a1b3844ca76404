"""Run every rule on a dossier: the one entry point of the wizard, review page and CLI."""

from __future__ import annotations

import datetime
import importlib
import pkgutil
import threading

import rules.checks
from rules.dossier import Dossier
from rules.findings import Finding, sort_findings
from rules.registry import RULES, Context

_loaded = False
_loading = threading.Lock()


def load_rules() -> None:
    """Import every module of rules/checks so that their rules register themselves."""
    global _loaded
    if _loaded:
        return
    with _loading:  # the server's threads: one loads, the others wait for the order
        if _loaded:
            return
        for module in pkgutil.iter_modules(rules.checks.__path__):
            importlib.import_module(f"rules.checks.{module.name}")
        # One order whatever was imported first (the wizard imports a module of checks for
        # its conditions, the timeline another): by module, then as each module defines its
        # rules. The findings of a level, and a field's sources, are listed in this order.
        ordered = sorted(RULES.items(), key=lambda item: item[1].check.__module__)
        RULES.clear()
        RULES.update(ordered)
        _loaded = True


def check(dossier: Dossier, today: datetime.date | None = None) -> list[Finding]:
    """Every finding of every rule, errors first."""
    load_rules()
    ctx = Context(today=today or datetime.date.today())
    found: list[Finding] = []
    for r in RULES.values():
        found.extend(r.run(dossier, ctx))
    return sort_findings(found)
