"""Checks on the file itself rather than on the contract."""

from rules.dossier import Dossier
from rules.handover import KEY as HANDOVER_KEY
from rules.registry import Context, rule


@rule("format.cle_inconnue", "warning", "Format de dossier cerfa-fa13/1")
def unknown_keys(d: Dossier, ctx: Context):
    """Unknown keys are ignored on import (dossier format v1); say so, a typo loses a value."""
    for path in d.ignored_keys:
        if path == HANDOVER_KEY or path.startswith(HANDOVER_KEY + "."):
            continue  # the project's own extension of the format (rules/handover.py)
        yield (
            path,
            (
                f"La clé « {path} » n'existe pas dans le format du dossier : "
                "sa valeur a été ignorée. Vérifiez l'orthographe de la clé."
            ),
        )
