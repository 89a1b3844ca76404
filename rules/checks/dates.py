"""Dates and durations of the contract and of the training.

How the boundaries are computed (``rules/dates.py``):

- « no more than 3 months after the start » (L6222-12): the latest allowed day is the day
  with the same number three months later (``add_months``), or the last day of that month
  when it is shorter. Start 1 September 2027: 1 December 2027 is allowed, 2 December is not.
- « between 6 months and 3 years » (L6222-7-1): the contract includes its first and last
  days, so it lasts 6 months when it ends on the day before ``add_months(start, 6)``
  (``period_end``). Start 1 September 2027: the shortest contract ends on 29 February 2028
  (28 February is one day short), the longest (3 years) on 31 August 2030 (1 September 2030
  is one day too many). Start 29 February 2028: the longest ends on 28 February 2031, the
  day before the contract's third anniversary (1 March in a common year).
- « at the latest two months after the last exam » (FAQ Atlas): ``add_months(exams, 2)``,
  that day included.

Each boundary is tested on both sides. The reference generator counted whole months with
a floor (a contract one day short of 6 months read as 5 months, but so did one of 6 months
and 30 days at the top) and allowed 54 months: neither is copied.
"""

from __future__ import annotations

from rules.codes import (
    TYPE_CONTRAT_AVENANT,
    TYPE_CONTRAT_SUCCESSION,
    TYPES_EMPLOYEUR_PUBLIC_ADMINISTRATIF,
)
from rules.dates import add_jours_ouvrables, add_months, format_fr, next_period_start, period_end
from rules.dossier import Dossier
from rules.registry import Context, rule
from rules.remuneration import has_rqth_rights
from rules.timeline import FILING_DAYS

# « Situation avant ce contrat » 8: at the CFA without a contract after a rupture
# (L6222-18-2); the new contract then escapes the minimum durations (R6222-23-1).
AFTER_RUPTURE_AT_CFA = "8"


@rule("contrat.date_conclusion.apres_debut", "error", "C. trav. art. L6222-4 ; FAQ Atlas")
def conclusion_after_start(d: Dossier, ctx: Context):
    """The contract is signed at the latest on the first day of its execution (Atlas FAQ:
    « au plus tard le 1er jour où il commence »). An avenant is signed during the contract,
    so the rule applies to initial contracts and successions only (the reference generator
    applied it to avenants too, wrongly)."""
    c = d.contrat
    if c.type_contrat in TYPE_CONTRAT_AVENANT:
        return
    if c.date_conclusion and c.date_debut_execution and c.date_conclusion > c.date_debut_execution:
        yield (
            ("contrat.date_conclusion", "contrat.date_debut_execution"),
            (
                f"Le contrat serait signé le {format_fr(c.date_conclusion)}, après le début de son "
                f"exécution le {format_fr(c.date_debut_execution)} : il doit être signé au plus tard "
                "le premier jour. Corrigez l'une des deux dates."
            ),
        )


@rule(
    "contrat.date_debut_formation_pratique.hors_contrat",
    "error",
    "C. trav. art. L6222-12 ; FAQ Atlas",
)
def practical_training_outside(d: Dossier, ctx: Context):
    """The practical training at the employer is part of the contract: the start of
    execution is the first day of work, at the employer or at the CFA (Atlas FAQ), so the
    practical training cannot start before it, nor after the end of the contract."""
    c = d.contrat
    pratique = c.date_debut_formation_pratique
    if pratique is None:
        return
    if c.date_debut_execution and pratique < c.date_debut_execution:
        yield (
            ("contrat.date_debut_formation_pratique", "contrat.date_debut_execution"),
            (
                f"La formation pratique chez l'employeur commencerait le {format_fr(pratique)}, "
                f"avant le début du contrat ({format_fr(c.date_debut_execution)}). Si l'apprenti "
                "commence plus tôt, avancez la date de début d'exécution ; sinon, corrigez cette "
                "date."
            ),
        )
    elif c.date_fin and pratique > c.date_fin:
        yield (
            ("contrat.date_debut_formation_pratique", "contrat.date_fin"),
            (
                f"La formation pratique chez l'employeur commencerait le {format_fr(pratique)}, "
                f"après la fin du contrat ({format_fr(c.date_fin)}). Corrigez l'une des deux dates."
            ),
        )


@rule("contrat.date_debut_formation_pratique.delai", "error", "C. trav. art. L6222-12 ; FAQ Atlas")
def practical_training_delay(d: Dossier, ctx: Context):
    """L6222-12: the period at the employer starts no more than three months after the start
    of execution of the contract. An avenant keeps the contract's start of execution while
    it runs for months already: the delay was checked on the initial contract."""
    c = d.contrat
    if (
        c.date_debut_formation_pratique is None
        or c.date_debut_execution is None
        or c.type_contrat in TYPE_CONTRAT_AVENANT
    ):
        return
    latest = add_months(c.date_debut_execution, 3)
    if c.date_debut_formation_pratique > latest:
        yield (
            ("contrat.date_debut_formation_pratique", "contrat.date_debut_execution"),
            (
                f"La formation pratique chez l'employeur commencerait le "
                f"{format_fr(c.date_debut_formation_pratique)}, plus de 3 mois après le début du "
                f"contrat : elle doit commencer au plus tard le {format_fr(latest)}."
            ),
        )


@rule("formation.date_debut_cfa.delai", "error", "C. trav. art. L6222-12 ; FAQ Atlas")
def cfa_training_delay(d: Dossier, ctx: Context):
    """L6222-12: the training at the CFA starts no more than three months after the start of
    execution of the contract. Not for an avenant: it keeps the contract's start of
    execution, and its training may start long after it (avenant 35, a further diploma
    prepared during the contract; 38, a new main training place)."""
    cfa = d.formation.date_debut_cfa
    start = d.contrat.date_debut_execution
    if cfa is None or start is None or d.contrat.type_contrat in TYPE_CONTRAT_AVENANT:
        return
    latest = add_months(start, 3)
    if cfa > latest:
        yield (
            ("formation.date_debut_cfa", "contrat.date_debut_execution"),
            (
                f"La formation en CFA commencerait le {format_fr(cfa)}, plus de 3 mois après le "
                f"début du contrat : elle doit commencer au plus tard le {format_fr(latest)}."
            ),
        )


@rule("formation.date_debut_cfa.avant_contrat", "warning", "C. trav. art. L6222-12-1 ; FAQ Atlas")
def cfa_before_contract(d: Dossier, ctx: Context):
    """The training may begin before the contract: under the status of stagiaire de la
    formation professionnelle for three months at most (L6222-12-1, situation 7), after a
    broken contract (situation 8), or in a previous contract (situation 4, types 21-23).
    The Atlas FAQ asks then for the date the cycle really began and the matching
    situation. Otherwise an earlier date is probably a mistake. The DGEFP does not treat
    it as a ground for refusal, hence a warning."""
    c, f = d.contrat, d.formation
    cfa, start = f.date_debut_cfa, c.date_debut_execution
    if cfa is None or start is None or cfa >= start or c.type_contrat in TYPE_CONTRAT_AVENANT:
        return
    situation = d.apprenti.situation_avant_contrat
    fields = (
        "formation.date_debut_cfa",
        "contrat.date_debut_execution",
        "apprenti.situation_avant_contrat",
    )
    if situation == "7":
        # Three months of stagiaire status at most: the contract starts, at the latest, on
        # the day after that period (a period starting on 30 November ends on the last day
        # of February, so the contract may start on 1 March).
        latest = next_period_start(cfa, 3)
        if start > latest:
            yield (
                fields,
                (
                    f"La formation en CFA a commencé le {format_fr(cfa)} sous statut de stagiaire : "
                    "ce statut dure 3 mois au plus, le contrat aurait dû commencer au plus tard le "
                    f"{format_fr(latest)}. Vérifiez les dates avec le CFA."
                ),
            )
    elif situation not in ("4", "8") and c.type_contrat not in TYPE_CONTRAT_SUCCESSION:
        yield (
            fields,
            (
                f"La formation en CFA commence le {format_fr(cfa)}, avant le contrat "
                f"({format_fr(start)}). Si l'apprenti suivait déjà la formation comme stagiaire, "
                "choisissez la situation avant contrat 7 (ou 8 après la rupture d'un contrat) ; "
                "sinon, corrigez la date."
            ),
        )


def _max_years(d: Dossier) -> tuple[int, str]:
    """Longest contract allowed, in years, and why when it is more than 3."""
    if has_rqth_rights(d.apprenti):
        return 4, "pour un apprenti reconnu travailleur handicapé ou ayant des droits attachés"
    if d.apprenti.sportif_haut_niveau:
        return 4, "pour un sportif de haut niveau"
    if d.contrat.type_contrat == "33":
        return 4, "avec la prolongation d'un an après un échec à l'examen"
    if d.contrat.type_contrat == "34":
        return 4, "avec la prolongation pour un apprenti reconnu travailleur handicapé"
    return 3, ""


@rule(
    "contrat.duree",
    "error",
    "C. trav. art. L6222-7-1, R6222-6, R6222-23-1, R6222-46, R6222-60, L6222-11",
)
def contract_duration(d: Dossier, ctx: Context):
    """L6222-7-1 and R6222-6: the contract (or the apprenticeship period of a CDI) lasts from
    6 months to 3 years, even when a tripartite convention shortens or lengthens it. Four
    years are allowed for a disabled apprentice (R6222-46; the rights attached to the RQTH
    are treated alike, loi n° 2023-1196), a sportif de haut niveau (R6222-60), and after a
    prolongation of one year for an exam failure (L6222-11, avenant 33) or an RQTH
    obtained during the contract (R6222-50, avenant 34). R6222-23-1 lifts the 6-month
    minimum for a new contract after a rupture while the apprentice went on at the CFA
    (L6222-18-2: situation avant contrat 8), so that he can finish his cycle."""
    start, end = d.contrat.date_debut_execution, d.contrat.date_fin
    if start is None or end is None:
        return
    fields = ("contrat.date_debut_execution", "contrat.date_fin")
    if end < start:
        yield (
            fields,
            (
                f"La date de fin ({format_fr(end)}) est avant la date de début d'exécution "
                f"({format_fr(start)}). Corrigez l'une des deux dates."
            ),
        )
        return
    shortest = period_end(start, 6)
    if end < shortest and d.apprenti.situation_avant_contrat != AFTER_RUPTURE_AT_CFA:
        yield (
            fields,
            (
                "Le contrat dure moins de 6 mois, la durée minimale d'un contrat d'apprentissage : "
                f"commençant le {format_fr(start)}, il doit finir au plus tôt le "
                f"{format_fr(shortest)}."
            ),
        )
        return
    years, why = _max_years(d)
    longest = period_end(start, 12 * years)
    if end > longest:
        if years == 3:
            extra = (
                " La limite est de 4 ans pour un apprenti reconnu travailleur handicapé (ou "
                "ayant des droits attachés), un sportif de haut niveau, ou après une "
                "prolongation pour échec à l'examen."
            )
        else:
            extra = f" (4 ans {why})."
        yield (
            fields,
            (
                f"Le contrat dure plus de {years} ans : commençant le {format_fr(start)}, il doit "
                f"finir au plus tard le {format_fr(longest)}"
                + ("." + extra if years == 3 else extra)
            ),
        )


@rule("contrat.date_fin.avant_epreuves", "error", "FAQ Atlas ; C. trav. art. L6222-7-1")
def end_before_exams(d: Dossier, ctx: Context):
    """Atlas FAQ: the contract ends at the earliest on the last day of the last test needed
    for the diploma (its duration is that of the training cycle, exams included,
    L6222-7-1)."""
    end, exams = d.contrat.date_fin, d.formation.date_fin_epreuves
    if end and exams and end < exams:
        yield (
            ("contrat.date_fin", "formation.date_fin_epreuves"),
            (
                f"Le contrat finirait le {format_fr(end)}, avant la fin prévue des épreuves "
                f"({format_fr(exams)}) : il doit couvrir toutes les épreuves du diplôme. Reportez la "
                f"fin au {format_fr(exams)} au plus tôt."
            ),
        )


@rule("contrat.date_fin.apres_epreuves", "warning", "FAQ Atlas")
def end_long_after_exams(d: Dossier, ctx: Context):
    """Atlas FAQ: the contract ends at the latest two months after the last test of the
    cycle, or on the eve of the next training cycle. The second case cannot be read from
    the form (and the Code itself sets no such ceiling), so a later end is a warning. The
    reference generator said two months but tested three."""
    end, exams = d.contrat.date_fin, d.formation.date_fin_epreuves
    if end is None or exams is None:
        return
    latest = add_months(exams, 2)
    if end > latest:
        yield (
            ("contrat.date_fin", "formation.date_fin_epreuves"),
            (
                f"Le contrat finirait le {format_fr(end)}, plus de 2 mois après la fin prévue des "
                f"épreuves ({format_fr(exams)}) : il finit au plus tard le {format_fr(latest)}, ou "
                "la veille du début du cycle de formation suivant si l'apprenti en commence un. "
                "Vérifiez la date de fin."
            ),
        )


@rule("formation.date_fin_epreuves.ordre", "error", "C. trav. art. L6222-7-1")
def exams_order(d: Dossier, ctx: Context):
    """The contract leads to the exams of the cycle (L6222-7-1): the last exam comes after
    the start of the CFA training and after the start of the contract."""
    exams = d.formation.date_fin_epreuves
    if exams is None:
        return
    cfa, start = d.formation.date_debut_cfa, d.contrat.date_debut_execution
    if cfa and exams <= cfa:
        yield (
            ("formation.date_fin_epreuves", "formation.date_debut_cfa"),
            (
                f"La fin des épreuves ({format_fr(exams)}) n'est pas après le début de la formation "
                f"en CFA ({format_fr(cfa)}). Corrigez l'une des deux dates."
            ),
        )
    elif start and exams < start:
        yield (
            ("formation.date_fin_epreuves", "contrat.date_debut_execution"),
            (
                f"La fin des épreuves ({format_fr(exams)}) est avant le début du contrat "
                f"({format_fr(start)}) : le contrat prépare des épreuves à venir. Corrigez l'une des "
                "deux dates."
            ),
        )


@rule(
    "contrat.date_effet_avenant.hors_contrat",
    "error",
    "Cerfa 10103*14, cadre « Le contrat » (si avenant, date d'effet)",
)
def avenant_date_inside(d: Dossier, ctx: Context):
    """An avenant modifies a running contract: its effective date lies between the start
    of execution and the end of the contract (as amended)."""
    c = d.contrat
    effet = c.date_effet_avenant
    if c.type_contrat not in TYPE_CONTRAT_AVENANT or effet is None:
        return
    if c.date_debut_execution and effet < c.date_debut_execution:
        yield (
            ("contrat.date_effet_avenant", "contrat.date_debut_execution"),
            (
                f"L'avenant prendrait effet le {format_fr(effet)}, avant le début du contrat "
                f"({format_fr(c.date_debut_execution)}). Indiquez la date d'effet réelle, "
                "pendant le contrat."
            ),
        )
    elif c.date_fin and effet > c.date_fin:
        yield (
            ("contrat.date_effet_avenant", "contrat.date_fin"),
            (
                f"L'avenant prendrait effet le {format_fr(effet)}, après la fin du contrat "
                f"({format_fr(c.date_fin)}). Indiquez la date d'effet réelle, pendant le contrat."
            ),
        )


@rule("date_naissance.future", "error", "Cerfa 10103*14 (dates de naissance)")
def birth_in_future(d: Dossier, ctx: Context):
    """A birth date after today is a typing mistake (apprentice and maîtres)."""
    people = [("apprenti.date_naissance", d.apprenti.date_naissance, "de l'apprenti")]
    people += [
        (f"maitres.{i}.date_naissance", m.date_naissance, f"du maître d'apprentissage n°{i + 1}")
        for i, m in enumerate(d.maitres)
    ]
    for path, born, whose in people:
        if born is not None and born > ctx.today:
            yield (
                path,
                (
                    f"La date de naissance {whose} ({format_fr(born)}) est dans le futur. Corrigez-la."
                ),
            )


@rule("contrat.transmission.delai", "warning", "C. trav. art. D6224-1, D6275-1")
def filing_deadline(d: Dossier, ctx: Context):
    """D6224-1: the employer sends the contract to its OPCO within five jours ouvrables
    after the start of execution; D6275-1: a public non-industrial employer, to the State
    services, in the same delay. Lateness does not cancel the contract (OCAPIAT FAQ), so
    this is a warning, computed on today's date."""
    c = d.contrat
    if c.date_debut_execution is None or c.type_contrat in TYPE_CONTRAT_AVENANT:
        return
    deadline = add_jours_ouvrables(c.date_debut_execution, FILING_DAYS)
    if ctx.today > deadline:
        public = d.employeur.type_employeur in TYPES_EMPLOYEUR_PUBLIC_ADMINISTRATIF
        to = "aux services de l'État (DDETS)" if public else "à l'OPCO de l'employeur"
        yield (
            "contrat.date_debut_execution",
            (
                f"Le contrat a commencé le {format_fr(c.date_debut_execution)} : il devait être "
                f"transmis {to} au plus tard le {format_fr(deadline)} ({FILING_DAYS} jours ouvrables). "
                "Transmettez-le sans attendre."
            ),
        )
