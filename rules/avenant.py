"""Avenants (types 31 to 38): what each one changes, and the pay grid from its date d'effet.

An avenant modifies a contract already registered: the CERFA is filled again with the
contract's values, the type de contrat is the avenant's code (31 to 38), the « numéro du
contrat sur lequel porte l'avenant » is the registration number of that contract and the
« date d'effet » says from when the change applies (Cerfa 10103*14, cadre « Le contrat »;
reference §1.11). Which parts of the form each type concerns follows the labels of the
notice (reference §1.11) and the articles each type applies:

- 31, L1224-1: the employer's legal situation changes (merger, sale, new company name or
  SIRET); the contract goes on with the new employer, in the same establishment;
- 32, L6222-5-1: in a seasonal contract (mode contractuel 4), the apprentice moves to the
  second employer: the employer and its maître d'apprentissage change;
- 33, L6222-11 and D6222-28: after an exam failure the contract is extended by one year at
  most; during the extension the pay is at least the rate of the contract's last year;
- 34, R6222-49 and R6222-48: an apprentice recognised as disabled during the contract may
  have it extended; the last year's rates are raised by 15 points during the extension;
- 35, L6222-22-1: a further diploma (or a changed one) is prepared within the contract;
- 36: other changes: a new maître d'apprentissage, the weekly working time, a reduced
  duration, the pay…;
- 37: the apprentice works in another establishment (place of execution);
- 38: the main place of the theoretical training changes.

The remuneration grid of an avenant (``regrid``): the lines wholly before the date d'effet
stay as the initial contract set them (they were performed and paid under it); from the
date d'effet on, the grid is recomputed at the legal minimum with the avenant's dates
(``rules/remuneration.py``, which applies D6222-28 from the date d'effet of an avenant 33
and R6222-48 from that of an avenant 34). The government generator's help for an avenant
33 says the same thing from the other side: the avenant adds at least one period, whose
rate is at least the last period's (reference §1.11 and §3.8). A rate the initial contract
set above the minimum for the same period is kept.
"""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass

from rules.codes import TYPE_CONTRAT
from rules.dossier import Dossier, Remuneration
from rules.remuneration import grid_for


@dataclass(frozen=True)
class AvenantType:
    code: str
    plain: str  # in plain words, for the choice
    # Dotted dossier paths (or their prefixes) the avenant changes.
    concerns: tuple[str, ...]
    # Whether the avenant usually changes the end of the contract (asked with it).
    changes_end: bool = False
    reference: str = ""

    @property
    def title(self) -> str:
        """The notice's label (rules/codes.py, the one list of the form's codes)."""
        return dict(TYPE_CONTRAT)[self.code]


TYPES: tuple[AvenantType, ...] = (
    AvenantType(
        "31",
        "L'employeur change de forme juridique (fusion, rachat, nouvelle raison sociale ou "
        "nouveau SIRET) : l'apprenti reste dans le même établissement, son contrat continue "
        "avec le nouvel employeur.",
        ("employeur",),
        reference="C. trav. art. L1224-1",
    ),
    AvenantType(
        "32",
        "Contrat saisonnier : l'apprenti passe chez le second employeur, avec son propre "
        "maître d'apprentissage.",
        ("employeur", "maitres", "attestation_maitre_eligibilite"),
        reference="C. trav. art. L6222-5-1",
    ),
    AvenantType(
        "33",
        "L'apprenti a échoué à l'examen : le contrat est prolongé d'un an au plus, jusqu'à la "
        "prochaine session. Nouvelle date de fin, nouvelles dates d'examen et rémunération de "
        "la prolongation, au moins celle de la dernière année.",
        (
            "contrat.date_fin",
            "contrat.remunerations",
            "formation.date_fin_epreuves",
            "formation.duree_heures",
        ),
        changes_end=True,
        reference="C. trav. art. L6222-11, D6222-28",
    ),
    AvenantType(
        "34",
        "L'apprenti a été reconnu travailleur handicapé pendant le contrat : le contrat est "
        "prolongé d'un an au plus, et la rémunération de la prolongation majorée de 15 points.",
        (
            "apprenti.rqth",
            "apprenti.equivalence_jeunes",
            "apprenti.extension_boe",
            "contrat.date_fin",
            "contrat.remunerations",
            "formation.date_fin_epreuves",
            "formation.duree_heures",
        ),
        changes_end=True,
        reference="C. trav. art. R6222-48 à R6222-50",
    ),
    AvenantType(
        "35",
        "L'apprenti prépare un autre diplôme, ou un diplôme de plus, dans le même contrat : "
        "la formation, ses dates et sa durée changent, parfois la fin du contrat.",
        ("formation", "contrat.date_fin", "contrat.remunerations"),
        changes_end=True,
        reference="C. trav. art. L6222-22-1",
    ),
    AvenantType(
        "36",
        "Autre changement : un nouveau maître d'apprentissage, une autre durée de travail par "
        "semaine, un contrat raccourci, une autre rémunération…",
        (
            "maitres",
            "attestation_maitre_eligibilite",
            "contrat.duree_hebdo",
            "contrat.date_fin",
            "contrat.remunerations",
            "contrat.smc",
            "contrat.avantages_nature",
        ),
        changes_end=True,
    ),
    AvenantType(
        "37",
        "L'apprenti travaille dans un autre établissement de l'employeur (autre adresse, autre "
        "SIRET d'établissement).",
        ("employeur.siret", "employeur.adresse", "employeur.telephone", "employeur.courriel"),
    ),
    AvenantType(
        "38",
        "Les cours ont lieu principalement dans un autre lieu que le CFA indiqué au contrat.",
        ("formation.cfa_est_lieu_principal", "formation.lieu_principal"),
    ),
)

BY_CODE = {t.code: t for t in TYPES}


def concerns(code: str, path: str) -> bool:
    """Whether the avenant of this type changes a dossier path (or something under it)."""
    kind = BY_CODE.get(code)
    if kind is None:
        return False
    return any(path == p or path.startswith(p + ".") for p in kind.concerns)


def opened(
    initial: Dossier,
    code: str,
    numero: str,
    date_effet: datetime.date,
    date_fin: datetime.date | None = None,
) -> Dossier:
    """The avenant's dossier: the initial contract's values, with the avenant's code, the
    number of the contract it modifies, its date d'effet, a new end date if given, and the
    pay grid recomputed from the date d'effet when the type concerns the pay."""
    if code not in BY_CODE:
        raise ValueError(f"not an avenant type: {code!r}")
    out = copy.deepcopy(initial)
    out.ignored_keys = []
    c = out.contrat
    c.type_contrat = code
    c.numero_contrat_precedent = numero
    c.date_effet_avenant = date_effet
    if date_fin is not None:
        c.date_fin = date_fin
    if concerns(code, "contrat.remunerations"):
        c.remunerations = regrid(initial, out)
    return out


def _slot(line: Remuneration) -> tuple[int, int] | None:
    if line.annee is None or line.periode is None:
        return None
    return line.annee, line.periode


def regrid(initial: Dossier, avenant: Dossier) -> list[Remuneration]:
    """The avenant's remuneration lines: the initial lines wholly before the date d'effet,
    then the grid recomputed for the avenant from there on (see the module docstring).

    Without a date d'effet or while the grid cannot be computed (a date missing), the
    initial lines are returned unchanged.
    """
    effet = avenant.contrat.date_effet_avenant
    grid = grid_for(avenant)
    before = [copy.deepcopy(line) for line in initial.contrat.remunerations]
    if effet is None or grid is None:
        return before
    kept = [line for line in before if line.au is not None and line.au < effet]
    taken = {_slot(line) for line in kept}
    by_slot = {_slot(line): line for line in before if _slot(line) is not None}
    out = list(kept)
    for computed in grid.lines:
        if computed.au < effet or (computed.annee, computed.periode) in taken:
            continue
        line = computed.to_remuneration()
        same = by_slot.get((computed.annee, computed.periode))
        if (
            same is not None
            and same.du == line.du
            and same.au == line.au
            and same.taux is not None
            and same.taux > line.taux
        ):
            line.taux = same.taux  # the contract paid more than the minimum: kept
        out.append(line)
    out.sort(key=lambda line: _slot(line) or (9, 9))
    return out
