"""All the findings on a dossier: the rules, plus what the PDF cannot show.

The one function the wizard, the review page and ``cerfa check`` call.
"""

from __future__ import annotations

import datetime

from cerfa.pdf.fill import Template, fit_problems
from cerfa.pdf.template import TemplateError
from rules import engine
from rules.dossier import Dossier
from rules.findings import Finding, sort_findings


def findings_for(dossier: Dossier, today: datetime.date | None = None) -> list[Finding]:
    found = engine.check(dossier, today=today)
    try:
        found.extend(fit_problems(dossier, Template.get()))
    except TemplateError:
        # Without the template the rules still run; only the box widths are unknown.
        found.append(
            Finding(
                "info",
                "pdf.modele_absent",
                (),
                "Le modèle PDF officiel n'est pas installé : la longueur des textes par rapport "
                "aux cases du formulaire n'a pas été vérifiée (lancez « make install »).",
                "",
            )
        )
    return sort_findings(found)
