"""The steps of the wizard, in the order of the CERFA, and when each one is asked.

The first step, « Le contrat en bref », gathers the few answers that decide the rest: the
privé/public box (which employer types, the unemployment-insurance question), the type of
contract (a previous contract number, an effective date), and the dates (whether the
apprentice is a minor at conclusion, hence the legal representative step; the frame of the
remuneration grid). Asking them first means no step ever has to change after it was shown.

A step's condition reads only the dossier built from the steps *before* it
(``convert.build``), never the wizard's own form list: that is what keeps formtools from
recursing into its conditions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cerfa.wizard import forms
from rules.checks.presence import adult_at_conclusion
from rules.dossier import Dossier


@dataclass(frozen=True)
class Step:
    name: str  # the URL segment
    form: type[forms.StepForm]
    condition: Callable[[Dossier], bool] | None = None

    @property
    def title(self) -> str:
        return self.form.title


def needs_representant(d: Dossier) -> bool:
    """Ask for the legal representative unless the rules know the apprentice is of age on
    the date of conclusion (shown while a date is missing)."""
    return not adult_at_conclusion(d)


def needs_lieu(d: Dossier) -> bool:
    """The main training place is asked only when the CFA responsable is not it."""
    return d.formation.cfa_est_lieu_principal is False


REVIEW = "recapitulatif"

STEPS: tuple[Step, ...] = (
    Step("contrat-en-bref", forms.EnBrefForm),
    Step("employeur", forms.EmployeurForm),
    Step("apprenti", forms.ApprentiForm),
    Step("representant-legal", forms.RepresentantForm, needs_representant),
    Step("maitres", forms.MaitresForm),
    Step("contrat", forms.ContratForm),
    Step("remuneration", forms.RemunerationForm),
    Step("formation", forms.FormationForm),
    Step("lieu-de-formation", forms.LieuForm, needs_lieu),
    Step("signature", forms.SignatureForm),
    Step(REVIEW, forms.RecapitulatifForm),
)

BY_NAME = {step.name: step for step in STEPS}
