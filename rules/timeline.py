"""The contract at a glance: its dates in order, and its pay periods with their reasons.

What the wizard draws (``cerfa/wizard/timeline.py``) and ``cerfa complete --json`` gives
as data. Each milestone is a day the dossier gives or one computed from it by law:

- the conclusion (signature), the start of execution, the start of practical training in
  the company, the start of training at the CFA, the last exam, the end: as written;
- for an avenant, the day it takes effect;
- the end of the trial period, **an estimate**: the contract can be broken freely during
  the first 45 days, consecutive or not, of practical training in the company (C. trav.
  art. L6222-18). The days at the CFA do not count, and the form does not give the CFA's
  calendar: the estimate is the earliest possible day, the 45th day from the start of
  practical training (from the start of execution when that is not given). Not shown for
  an avenant, which opens no new trial period;
- the filing deadline: the employer sends the contract to its OPCO (a public
  administrative employer, to the State services) within 5 jours ouvrables of its start
  (D6224-1, D6275-1), computed as the rule ``contrat.transmission.delai`` computes it
  (``rules/dates.add_jours_ouvrables``). Not shown for an avenant, like that rule.

The pay periods are the grid's lines (``rules/remuneration.py``) with their minimum amounts
(``rules/costs.py``), each with why its rate is what it is: the age bracket and the year of
the contract (D6222-26), the birthday that opened it (D6222-31), the SMC from 21.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from rules.codes import TYPE_CONTRAT_AVENANT, TYPES_EMPLOYEUR_PUBLIC_ADMINISTRATIF
from rules.costs import Costs, PeriodCost, compute_costs
from rules.dates import add_jours_ouvrables, format_fr
from rules.dossier import Dossier
from rules.remuneration import Grid, GridLine, try_grid

TRIAL_DAYS = 45  # L6222-18: the first 45 days of practical training in the company
FILING_DAYS = 5  # D6224-1: 5 jours ouvrables after the start of execution

# The order of milestones that fall on the same day (the one the contract lives by first).
KINDS = (
    "conclusion",
    "debut",
    "formation_pratique",
    "cfa",
    "avenant",
    "transmission",
    "fin_essai",
    "epreuves",
    "fin",
)


@dataclass(frozen=True)
class Milestone:
    kind: str  # one of KINDS
    day: datetime.date
    label: str  # short French label: « Début du contrat »
    detail: str  # one French sentence: what it is, and its source
    estimate: bool = False


@dataclass(frozen=True)
class Period:
    """A pay period of the grid, with what it costs and why its rate is what it is."""

    cost: PeriodCost
    reason: str  # French

    @property
    def line(self) -> GridLine:
        return self.cost.line

    @property
    def name(self) -> str:
        """« Année 1, période 2 » (« Année 1 » when the year has one period)."""
        return period_name(self.line)


@dataclass(frozen=True)
class Timeline:
    start: datetime.date  # the contract's first and last days
    end: datetime.date
    milestones: tuple[Milestone, ...]  # in date order
    periods: tuple[Period, ...]  # empty while the grid cannot be computed
    costs: Costs | None
    grid_problem: str  # why there are no periods (French), or ""

    @property
    def first(self) -> datetime.date:
        """The first day drawn: the contract's start, or an earlier milestone."""
        return min([self.start, *(m.day for m in self.milestones)])

    @property
    def last(self) -> datetime.date:
        return max([self.end, *(m.day for m in self.milestones)])

    def to_dict(self) -> dict[str, Any]:
        """The milestones as JSON data (``cerfa complete --json``)."""
        return {
            "jalons": [
                {
                    "type": m.kind,
                    "date": m.day.isoformat(),
                    "libelle": m.label,
                    "detail": m.detail,
                    "estimation": m.estimate,
                }
                for m in self.milestones
            ]
        }

    def amounts_dict(self) -> dict[str, Any] | None:
        """The amounts as JSON data (``Costs.to_dict``), each period with why its rate is
        what it is; None without a grid."""
        if self.costs is None:
            return None
        data = self.costs.to_dict()
        for item, period in zip(data["periodes"], self.periods, strict=True):
            item["raison"] = period.reason
        return data


def period_name(line: GridLine) -> str:
    return f"Année {line.annee}" + (f", période {line.periode}" if line.periode == 2 else "")


def _ordinal(n: int) -> str:
    return "1re" if n == 1 else f"{n}e"


def timeline_for(d: Dossier) -> Timeline | None:
    """The dossier's timeline; None while its start or end is missing, or they are in the
    wrong order (the step that asks for them says so)."""
    c, f = d.contrat, d.formation
    start, end = c.date_debut_execution, c.date_fin
    if start is None or end is None or end < start:
        return None
    avenant = c.type_contrat in TYPE_CONTRAT_AVENANT
    found: list[Milestone] = []

    def add(kind, day, label, detail, estimate=False):
        if day is not None:
            found.append(Milestone(kind, day, label, detail, estimate))

    if avenant:
        add(
            "conclusion",
            c.date_conclusion,
            "Signature de l'avenant",
            "Date de conclusion de l'avenant.",
        )
    else:
        add(
            "conclusion",
            c.date_conclusion,
            "Signature du contrat",
            "Date de conclusion du contrat, au plus tard le premier jour de son exécution.",
        )
    add("debut", start, "Début du contrat", "Premier jour d'exécution du contrat.")
    add(
        "formation_pratique",
        c.date_debut_formation_pratique,
        "Début de la formation pratique chez l'employeur",
        "Premier jour de l'apprenti dans l'entreprise.",
    )
    add(
        "cfa",
        f.date_debut_cfa,
        "Début de la formation au CFA",
        "Premier jour du cycle de formation au CFA.",
    )
    if avenant:
        add(
            "avenant",
            c.date_effet_avenant,
            "Prise d'effet de l'avenant",
            "Date à partir de laquelle l'avenant modifie le contrat.",
        )
    else:
        public = d.employeur.type_employeur in TYPES_EMPLOYEUR_PUBLIC_ADMINISTRATIF
        to = "aux services de l'État (DDETS)" if public else "à l'OPCO"
        source = "C. trav. art. D6275-1" if public else "C. trav. art. D6224-1"
        add(
            "transmission",
            add_jours_ouvrables(start, FILING_DAYS),
            f"Date limite d'envoi du contrat {to}",
            f"{FILING_DAYS} jours ouvrables après le début du contrat ({source}).",
        )
        practice = c.date_debut_formation_pratique or start
        trial_end = practice + datetime.timedelta(days=TRIAL_DAYS - 1)
        if trial_end <= end:
            add(
                "fin_essai",
                trial_end,
                "Fin de la période d'essai (estimation)",
                f"Estimation, au plus tôt : le contrat peut être rompu librement pendant les "
                f"{TRIAL_DAYS} premiers jours, consécutifs ou non, de formation pratique en "
                "entreprise (C. trav. art. L6222-18). Les jours au CFA ne comptent pas : la "
                "période d'essai finit plus tard si l'apprenti y va pendant ces semaines.",
                estimate=True,
            )
    add(
        "epreuves",
        f.date_fin_epreuves,
        "Dernière épreuve de l'examen",
        "Date prévue de fin des épreuves ou examens.",
    )
    add("fin", end, "Fin du contrat", "Dernier jour du contrat.")
    milestones = tuple(sorted(found, key=lambda m: (m.day, KINDS.index(m.kind))))

    grid, problem = try_grid(d)
    if grid is None:
        return Timeline(start, end, milestones, (), None, problem)
    costs = compute_costs(grid, c.duree_hebdo.total_minutes)
    periods = tuple(Period(cost, _reason(grid, cost.line)) for cost in costs.periods)
    return Timeline(start, end, milestones, periods, costs, "")


def _reason(grid: Grid, line: GridLine) -> str:
    """Why a line's rate is what it is: its age bracket and contract year (D6222-26), the
    birthday that opened it (D6222-31), its base."""
    text = line.motif[0].upper() + line.motif[1:]
    for step in grid.steps:
        if step.effective == line.du:
            text = (
                f"{step.age} ans le {format_fr(step.birthday)}, nouveau taux le 1er du mois "
                f"suivant (C. trav. art. D6222-31) : {line.motif}"
            )
    if line.reference == "SMC":
        text += (
            " ; base : le salaire minimum conventionnel, plus élevé que le SMIC "
            "(C. trav. art. D6222-26)"
        )
    elif line.bracket >= 2 and grid.inputs.smc is None:
        text += " ; base : le SMIC, aucun salaire minimum conventionnel n'étant indiqué"
    return text + "."
