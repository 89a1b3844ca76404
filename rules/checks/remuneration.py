"""Money: the remuneration grid, the salaire à l'embauche, the SMC, the avantages en nature.

The legal minimum of every day of the contract comes from ``rules/remuneration.py`` (the
grid computed to the day); these rules compare what the dossier says with it. A user line
is compared with every day it covers, so a year left unsplit across a birthday, or split
too late, is caught on the days where its rate is too low.

Presence of the money boxes is checked here too (``presence.py`` leaves them to this
module); the SMIC / SMC code itself is checked with the other code tables
(``identifiers.py``).
"""

from __future__ import annotations

import dataclasses
import functools
import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from rules.codes import NIVEAU_DIPLOME_EUROPEEN, TYPE_EMPLOYEUR_EPIC, TYPES_EMPLOYEUR_PUBLIC
from rules.dates import ONE_DAY, anniversary, format_fr
from rules.dossier import Dossier
from rules.registry import Context, rule
from rules.remuneration import (
    AVENANT_PROLONGATION_ECHEC,
    CENT,
    DEROGATION_DUREE_REDUITE,
    MAJORATION_HANDICAP,
    MAX_LINES,
    MAX_YEARS,
    SMC_BRACKET,
    GridLine,
    base_shortfall,
    ceil_cent,
    class_years_done,
    compute_grid,
    contract_year,
    exact_amount,
    floor_cent,
    fr_euros,
    fr_taux,
    grid_for,
    has_rqth_rights,
    line1_amount,
    line_name,
    line_span,
    minimum_rate,
    monthly_amount,
    week_share,
    year_of,
    year_start,
)
from rules.smic import SmicUnknown, minimum_garanti_on, smic_entry

REF_GRILLE = "C. trav. art. D6222-26 à D6222-32"
REF_AVANTAGES = "C. trav. art. D6222-33"
AVANTAGES_FILE = Path(__file__).resolve().parent.parent / "data" / "avantages_nature.json"
DEROGATION_ALLONGEMENT = "22"  # type de dérogation: lengthened duration
DEROGATION_CUMUL = "50"  # type de dérogation: several dérogations at once
IDCC_HCR = "1979"  # convention collective des hôtels, cafés, restaurants
APE_HCR = ("55", "56")  # hébergement ; restauration


# -- presence and shape of the grid ------------------------------------------------------


@rule("contrat.remunerations.manquantes", "error", "C. trav. art. R6222-4 ; Cerfa 10103*14")
def lines_missing(d: Dossier, ctx: Context):
    """R6222-4: the contract sets the apprentice's wage for each year of the contract; the
    CERFA asks, for each period, its dates, its rate and its base (SMIC or SMC). A grid left
    empty, or a line with an empty box, cannot be checked against the minimum."""
    lines = d.contrat.remunerations
    if not lines:
        yield (
            "contrat.remunerations",
            (
                "La grille de rémunération est vide : indiquez, pour chaque année du contrat, les "
                "dates, le taux et la base (SMIC ou SMC). L'assistant peut la calculer pour vous à "
                "partir de la date de naissance et des dates du contrat."
            ),
        )
        return
    boxes = (
        ("du", "la date de début"),
        ("au", "la date de fin"),
        ("taux", "le taux"),
        ("reference", "la base (SMIC ou SMC)"),
    )
    for i, line in enumerate(lines):
        for key, label in boxes:
            value = getattr(line, key)
            if value is None or (isinstance(value, str) and not value.strip()):
                yield (
                    f"contrat.remunerations.{i}.{key}",
                    (f"Indiquez {label} de {line_name(i, line)}."),
                )


@rule("contrat.remunerations.grille", "error", "Cerfa 10103*14, cadre « Rémunération »")
def grid_shape(d: Dossier, ctx: Context):
    """The CERFA's grid holds 4 contract years of 2 periods each (8 lines); each line is
    one period (1 or 2) of one year (1 to 4), and appears once. A line outside that frame
    has nowhere to go on the form."""
    lines = d.contrat.remunerations
    if len(lines) > MAX_LINES:
        yield (
            "contrat.remunerations",
            (
                f"La grille du CERFA compte au plus {MAX_LINES} périodes (4 années de 2 périodes) ; "
                f"ce dossier en a {len(lines)}. Regroupez les périodes qui ont le même taux dans "
                "une même année."
            ),
        )
    seen: dict[tuple[int, int], int] = {}
    for i, line in enumerate(lines):
        if line.annee is not None and not 1 <= line.annee <= MAX_YEARS:
            yield (
                f"contrat.remunerations.{i}.annee",
                (f"L'année {line.annee} n'existe pas sur le CERFA : indiquez une année de 1 à 4."),
            )
        if line.periode is not None and line.periode not in (1, 2):
            yield (
                f"contrat.remunerations.{i}.periode",
                (
                    f"La période {line.periode} n'existe pas sur le CERFA : chaque année a une "
                    "période 1 et, si le taux change en cours d'année, une période 2."
                ),
            )
        if line.annee is None or line.periode is None:
            continue
        key = (line.annee, line.periode)
        if key in seen:
            yield (
                f"contrat.remunerations.{i}.periode",
                (
                    f"La période {line.periode} de l'année {line.annee} figure deux fois (lignes "
                    f"n°{seen[key] + 1} et n°{i + 1}) : gardez-en une seule."
                ),
            )
        else:
            seen[key] = i
    for (annee, periode), i in seen.items():
        if periode == 2 and (annee, 1) not in seen:
            yield (
                f"contrat.remunerations.{i}.periode",
                (
                    f"L'année {annee} a une période 2 mais pas de période 1 : la première période "
                    "d'une année est la période 1."
                ),
            )


@rule(
    "contrat.remunerations.dates",
    "error",
    "C. trav. art. R6222-4 ; FAQ Atlas (dates de la rémunération)",
)
def lines_cover_contract(d: Dossier, ctx: Context):
    """The Atlas FAQ: the remuneration dates are those of the contract, from its first to its
    last day. R6222-4: a wage is set for every year. So the periods follow each other with
    no gap and no overlap, the first one starting on the start of execution and the last
    one ending on the end date."""
    start, end = d.contrat.date_debut_execution, d.contrat.date_fin
    lines = d.contrat.remunerations
    if not lines or any(line.du is None or line.au is None for line in lines):
        return  # the empty boxes are reported by contrat.remunerations.manquantes
    for i, line in enumerate(lines):
        if line.au < line.du:
            yield (
                (f"contrat.remunerations.{i}.du", f"contrat.remunerations.{i}.au"),
                (
                    f"{line_name(i, line).capitalize()} finit le {format_fr(line.au)}, avant de "
                    f"commencer ({format_fr(line.du)}) : corrigez ses dates."
                ),
            )
    if any(line.au < line.du for line in lines):
        return
    order = sorted(range(len(lines)), key=lambda j: lines[j].du)
    first, last = order[0], order[-1]
    if start is not None and lines[first].du != start:
        yield (
            f"contrat.remunerations.{first}.du",
            (
                f"La première période de rémunération commence le {format_fr(lines[first].du)} ; "
                f"elle doit commencer le jour du début d'exécution du contrat, le "
                f"{format_fr(start)}."
            ),
        )
    for before, after in zip(order, order[1:], strict=False):
        b, a = lines[before], lines[after]
        if a.du > b.au + ONE_DAY:
            yield (
                (f"contrat.remunerations.{before}.au", f"contrat.remunerations.{after}.du"),
                (
                    f"Aucune période ne couvre les jours du {format_fr(b.au + ONE_DAY)} au "
                    f"{format_fr(a.du - ONE_DAY)} : {line_name(after, a)} doit commencer le "
                    f"lendemain de la fin de la précédente, le {format_fr(b.au + ONE_DAY)}."
                ),
            )
        elif a.du <= b.au:
            yield (
                (f"contrat.remunerations.{before}.au", f"contrat.remunerations.{after}.du"),
                (
                    f"{line_name(after, a).capitalize()} commence le {format_fr(a.du)}, avant la fin "
                    f"de {line_name(before, b)} ({format_fr(b.au)}) : deux périodes ne peuvent pas "
                    "couvrir le même jour."
                ),
            )
    if end is not None and lines[last].au != end:
        yield (
            f"contrat.remunerations.{last}.au",
            (
                f"La dernière période de rémunération finit le {format_fr(lines[last].au)} ; elle "
                f"doit finir à la date de fin du contrat, le {format_fr(end)}."
            ),
        )


@rule("contrat.remunerations.annees", "warning", "C. trav. art. R6222-4, D6222-26")
def lines_in_their_year(d: Dossier, ctx: Context):
    """The rate depends on the year of execution (D6222-26) and the contract sets the wage
    year by year (R6222-4): year k runs from the start + (k-1) years to the day before the
    start + k years. A line numbered with another year, or running over into the next
    year, hides which rate applies."""
    start, end = d.contrat.date_debut_execution, d.contrat.date_fin
    if start is None or end is None or end < start:
        return
    for i, line in enumerate(d.contrat.remunerations):
        if line.du is None or not start <= line.du <= end:
            continue
        k = year_of(start, line.du)
        first, last = contract_year(start, end, k)
        if line.annee is not None and line.annee != k:
            yield (
                f"contrat.remunerations.{i}.annee",
                (
                    f"{line_name(i, line).capitalize()} commence le {format_fr(line.du)}, qui tombe "
                    f"dans l'année {k} du contrat (du {format_fr(first)} au {format_fr(last)}) : "
                    f"indiquez l'année {k}."
                ),
            )
        if line.au is not None and line.au > last:
            yield (
                f"contrat.remunerations.{i}.au",
                (
                    f"{line_name(i, line).capitalize()} continue après la fin de l'année {k} du "
                    f"contrat ({format_fr(last)}) : arrêtez-la ce jour-là et indiquez la suite "
                    f"dans l'année {k + 1}, dont le taux minimum est différent."
                ),
            )


# -- rates and base ----------------------------------------------------------------------


@rule("contrat.remunerations.taux_minimum", "error", REF_GRILLE + ", R6222-48")
def rate_below_minimum(d: Dossier, ctx: Context):
    """Each line's rate is at least the legal minimum of every day it covers: D6222-26 (age
    bracket × year of execution), D6222-31 (new bracket on the first day of the month after
    the 18th, 21st and 26th birthdays), D6222-28-1 (cycle begun before the contract, or
    duration reduced with years of this diploma's cycle already followed), D6222-28
    (extension after an exam failure), D6222-32 (licence professionnelle), R6222-48 (a
    disabled apprentice's added year, + 15 points). The OPCO checks it (D6224-2 4°). A
    higher rate is always allowed."""
    grid = grid_for(d)
    if grid is None:
        return
    for i, line in enumerate(d.contrat.remunerations):
        if line.taux is None:
            continue
        found = minimum_rate(grid, line)
        span = line_span(grid, line)
        if found is None or span is None or line.taux >= found[0]:
            continue
        needed, covered = found
        g = next(x for x in covered if x.taux > line.taux)
        part_du, part_au = max(span[0], g.du), min(span[1], g.au)
        text = (
            f"Le taux de {fr_taux(line.taux)} % de {line_name(i, line)} est inférieur au "
            f"minimum légal : du {format_fr(part_du)} au {format_fr(part_au)}, "
            f"l'apprenti ({g.motif}) doit percevoir au moins {fr_taux(g.taux)} % du "
            f"{g.reference}."
        )
        step = next((s for s in grid.steps if s.effective == g.du and span[0] < g.du), None)
        if step is not None:
            text += (
                f" Il a {step.age} ans le {format_fr(step.birthday)} et le minimum "
                f"augmente le {format_fr(step.effective)} : arrêtez cette période le "
                f"{format_fr(step.effective - ONE_DAY)} et ouvrez une période 2 à "
                f"{fr_taux(g.taux)} % à partir du {format_fr(step.effective)}, ou portez "
                f"ce taux à {fr_taux(needed)} %."
            )
        else:
            text += f" Portez-le à {fr_taux(needed)} % au moins."
        yield f"contrat.remunerations.{i}.taux", text


@rule("contrat.remunerations.base", "error", "C. trav. art. D6222-26 3° et 4°")
def base_below_legal(d: Dossier, ctx: Context):
    """From 21 years old the percentage applies to the salaire minimum conventionnel of the
    job when it is higher than the SMIC (D6222-26 3° and 4°, new bracket from the first day
    of the month after the 21st birthday, D6222-31); an SMC lower than the SMIC never
    serves as the base, the SMIC being the floor. Reported when the base written on a line
    gives less than the legal minimum, whatever its rate."""
    grid = grid_for(d)
    if grid is None:
        return
    for i, line in enumerate(d.contrat.remunerations):
        g = base_shortfall(grid, line)
        span = line_span(grid, line)
        if g is None or span is None:
            continue
        day = max(span[0], g.du)
        smic = smic_entry(day, grid.inputs.mayotte).monthly
        field = f"contrat.remunerations.{i}.reference"
        if g.reference == "SMC":
            yield (
                field,
                (
                    f"Du {format_fr(day)} au {format_fr(min(span[1], g.au))}, l'apprenti a 21 ans "
                    f"ou plus et le salaire minimum conventionnel ({fr_euros(g.base)}) dépasse le "
                    f"SMIC ({fr_euros(smic)}) : le taux de {line_name(i, line)} s'applique au SMC. "
                    "Choisissez « SMC » comme base."
                ),
            )
        else:
            yield (
                (field, "contrat.smc"),
                (
                    f"Le SMC indiqué ({fr_euros(grid.inputs.smc or Decimal(0))}) est inférieur au "
                    f"SMIC ({fr_euros(smic)}) : le SMIC reste le minimum. Choisissez « SMIC » comme "
                    f"base de {line_name(i, line)}, ou corrigez le montant du SMC."
                ),
            )


@rule("contrat.smc.manquant", "warning", "C. trav. art. D6222-26 3° et 4° ; Cerfa 10103*14")
def smc_amount_missing(d: Dossier, ctx: Context):
    """A line based on the SMC needs the SMC's amount (the CERFA's SMC box) to be checked
    and to compute the salaire à l'embauche."""
    if d.contrat.smc is not None:
        return
    fields = [
        f"contrat.remunerations.{i}.reference"
        for i, line in enumerate(d.contrat.remunerations)
        if line.reference == "SMC"
    ]
    if fields:
        yield (
            ("contrat.smc", *fields),
            (
                "Une période de rémunération a pour base le SMC, mais le montant du SMC n'est pas "
                "indiqué : indiquez le salaire minimum conventionnel mensuel de l'emploi (grille "
                "des salaires de la convention collective)."
            ),
        )


@rule("contrat.smc.a_verifier", "info", "C. trav. art. D6222-26 3° et 4°")
def smc_to_check(d: Dossier, ctx: Context):
    """From 21 years old the base is the SMC when it is higher than the SMIC (D6222-26 3°
    and 4°). When the apprentice reaches that bracket during the contract, the employer
    applies a collective agreement, and no SMC is given, the user is reminded to look it
    up: nothing on the form says whether it is higher."""
    if d.contrat.smc is not None or d.employeur.code_idcc in (None, "", "9999"):
        return
    grid = grid_for(d)
    if grid is None:
        return
    adult = next((g for g in grid.lines if g.bracket >= SMC_BRACKET), None)
    if adult is not None:
        yield (
            "contrat.smc",
            (
                f"À partir du {format_fr(adult.du)}, l'apprenti est dans la tranche des 21 ans et "
                "plus : si le salaire minimum conventionnel de son emploi (convention collective "
                f"{d.employeur.code_idcc}) dépasse le SMIC, c'est lui qui sert de base. Indiquez "
                "alors son montant mensuel dans la case SMC."
            ),
        )


# -- salaire brut à l'embauche -----------------------------------------------------------


@dataclass(frozen=True)
class _Hiring:
    """The starting salary that the law requires, and the one line 1 announces."""

    first: GridLine  # the grid's first line, at the legal minimum
    minimum: Decimal  # exact, before rounding
    line1: Decimal | None  # exact, from line 1's rate and base; None when not readable
    share: Decimal  # part of a 35-hour week


def _hiring(d: Dossier) -> _Hiring | None:
    grid = grid_for(d)
    if grid is None:
        return None
    share = week_share(d)
    first = grid.lines[0]
    minimum = exact_amount(first.taux, first.base, share)
    return _Hiring(first, minimum, line1_amount(d, grid), share)


def _hours_phrase(share: Decimal) -> str:
    return "pour 35 heures par semaine" if share == 1 else "pour la durée hebdomadaire indiquée"


@rule("contrat.salaire_brut_embauche.manquant", "error", "Cerfa 10103*14 ; C. trav. art. R6222-4")
def salary_missing(d: Dossier, ctx: Context):
    """The CERFA asks for the gross monthly salary at hiring (R6222-4: the contract sets the
    wage). When the grid can be computed, the message gives the legal minimum."""
    if d.contrat.salaire_brut_embauche is not None:
        return
    grid = grid_for(d)
    hint = ""
    if grid is not None:
        share = week_share(d)
        first = grid.lines[0]
        amount = monthly_amount(first.taux, first.base, share)
        hint = (
            f" Au minimum légal : {fr_taux(first.taux)} % du {first.reference}, soit "
            f"{fr_euros(amount)} {_hours_phrase(share)}."
        )
    yield "contrat.salaire_brut_embauche", ("Indiquez le salaire brut mensuel à l'embauche." + hint)


@rule("contrat.salaire_brut_embauche.minimum", "error", REF_GRILLE)
def salary_below_minimum(d: Dossier, ctx: Context):
    """The starting salary is at least the first period's minimum rate × the monthly SMIC
    (or SMC) in force on the first day (D6222-26, D6222-31), in proportion for a week
    shorter than 35 hours (the SMIC is hourly). A difference below one cent is rounding."""
    salary = d.contrat.salaire_brut_embauche
    hiring = _hiring(d) if salary is not None else None
    if hiring is None or salary >= floor_cent(hiring.minimum):
        return
    first = hiring.first
    needed = ceil_cent(hiring.minimum)
    yield (
        "contrat.salaire_brut_embauche",
        (
            f"Le salaire brut mensuel à l'embauche ({fr_euros(salary)}) est inférieur au minimum "
            f"légal : {fr_taux(first.taux)} % du {first.reference} ({fr_euros(first.base)}) "
            f"{_hours_phrase(hiring.share)}, soit {fr_euros(needed)}. Indiquez au moins ce "
            "montant."
        ),
    )


@rule("contrat.salaire_brut_embauche.ligne1", "warning", "C. trav. art. R6222-4")
def salary_matches_line1(d: Dossier, ctx: Context):
    """The salary at hiring is the first period's rate applied to its base (R6222-4: the
    contract sets the wage): a different amount means one of the two boxes is wrong. Not
    repeated when the salary is already below the legal minimum. Above 35 hours a week the
    salary may include overtime, so only a lower amount is reported then."""
    salary = d.contrat.salaire_brut_embauche
    hiring = _hiring(d) if salary is not None else None
    if hiring is None or hiring.line1 is None or salary < floor_cent(hiring.minimum):
        return
    line = d.contrat.remunerations[0]
    expected = ceil_cent(hiring.line1)
    week = d.contrat.duree_hebdo.total_minutes
    longer_week = week is not None and week > 35 * 60
    below = salary < floor_cent(hiring.line1)
    above = salary > expected and not longer_week
    if below or above:
        yield (
            ("contrat.salaire_brut_embauche", "contrat.remunerations.0.taux"),
            (
                f"Le salaire brut mensuel à l'embauche ({fr_euros(salary)}) ne correspond pas à "
                f"{line_name(0, line)} : {fr_taux(line.taux)} % du {line.reference} font "
                f"{fr_euros(expected)} {_hours_phrase(hiring.share)}. Mettez le salaire et le "
                "taux en accord."
            ),
        )


# -- contract types with their own pay rules ---------------------------------------------


@rule("contrat.remunerations.succession", "info", "C. trav. art. D6222-29")
def succession_reminder(d: Dossier, ctx: Context):
    """D6222-29: after a previous contract that led to the diploma, the new one pays at least
    the previous contract's last-year rate (as received, with the same employer; as due,
    with another one), unless the age-based minimum is higher. The CERFA does not carry
    that rate, so the user is asked to compare."""
    kind = d.contrat.type_contrat
    if kind == "21":
        what = "au taux que l'apprenti percevait lors de la dernière année de son contrat précédent"
    elif kind == "22":
        what = (
            "au taux minimum auquel l'apprenti avait droit lors de la dernière année de son "
            "contrat précédent"
        )
    else:
        return
    yield (
        "contrat.remunerations",
        (
            f"Ce contrat suit un contrat terminé : si le précédent a mené au diplôme, chaque taux "
            f"doit être au moins égal {what}, sauf si le minimum selon l'âge est plus élevé. "
            "Vérifiez la grille avec ce taux."
        ),
    )


@rule("contrat.remunerations.cycle_commence", "warning", "C. trav. art. D6222-28-1 ; FAQ Atlas")
def cycle_begun_before_contract(d: Dossier, ctx: Context):
    """D6222-28-1: when the training cycle began before the contract (the CFA start date,
    FAQ Atlas), the years of the cycle already done count for the rate. The grid counts
    whole years done at the start; but when the cycle's anniversary falls inside a contract
    year, the apprentice enters the next year of the cycle — and may be due the next
    rate — before the contract's own anniversary. The CERFA's two periods a year cannot
    always hold that cut, so the user is warned, with the date, rather than left with a
    grid that may pay too little for part of the year."""
    cycle = d.formation.date_debut_cfa
    start, end = d.contrat.date_debut_execution, d.contrat.date_fin
    if cycle is None or start is None or end is None or cycle >= start:
        return
    contract_anniversaries = {anniversary(start, k) for k in range(1, MAX_YEARS + 1)}
    for k in range(1, MAX_YEARS + 2):
        turn = anniversary(cycle, k)
        if turn <= start:
            continue
        if turn > end:
            return
        if turn not in contract_anniversaries:
            yield (
                "contrat.remunerations",
                (
                    f"La formation a commencé le {format_fr(cycle)}, avant le contrat : le "
                    f"{format_fr(turn)}, l'apprenti entre dans sa {k + 1}e année de formation, "
                    "avant la date anniversaire du contrat. Le taux minimum de l'année "
                    "suivante peut être dû dès cette date : vérifiez la grille avec le CFA ou "
                    "l'OPCO, et coupez l'année à cette date si besoin."
                ),
            )
        return


@rule("contrat.remunerations.duree_reduite", "warning", "C. trav. art. D6222-28-1, L6222-7-1")
def reduced_duration(d: Dossier, ctx: Context):
    """D6222-28-1: when the contract is shorter than the training cycle (a duration reduced
    by the tripartite convention of L6222-7-1, dérogation 21), the apprentice is deemed to
    have performed the part of the cycle it does not cover, and is paid accordingly. The
    grid counts those years when the form tells them (a CFA start before the contract; with
    dérogation 21, the « dernière classe » of this same diploma's cycle). When it does not,
    the cycle's normal length is not on the form, so a warning gives the rate due for a
    cycle one year longer than the contract, when a line is below it: (1) a reduction
    declared (dérogation 21, or 50 which may include it) with no year counted; (2) no
    reduction declared, but years of this diploma's cycle already followed (the contract
    may join the cycle midway, and dérogation 21 then belongs on the form)."""
    kind = d.contrat.type_derogation
    followed = class_years_done(d)
    if kind not in (DEROGATION_DUREE_REDUITE, DEROGATION_CUMUL) and not followed:
        return  # the cheap test first: most contracts stop here, before any grid
    grid = grid_for(d)
    if grid is None:
        return
    if kind in (DEROGATION_DUREE_REDUITE, DEROGATION_CUMUL) and not grid.inputs.annees_accomplies:
        assumed = 1
    elif (
        kind not in (DEROGATION_DUREE_REDUITE, DEROGATION_CUMUL)
        and followed > grid.inputs.annees_accomplies
    ):
        assumed = followed
    else:
        return
    deemed = compute_grid(
        dataclasses.replace(
            grid.inputs, annees_accomplies=assumed, duree_reduite=True, debut_cycle=None
        )
    )
    written = d.contrat.remunerations
    low = [
        f"contrat.remunerations.{i}.taux"
        for i, line in enumerate(written)
        if line.taux is not None
        and (found := minimum_rate(deemed, line)) is not None
        and line.taux < found[0]
    ]
    if written and not low:
        return
    first = deemed.lines[0]
    due = (
        f"au moins {fr_taux(first.taux)} % du {first.reference} dès le "
        f"{format_fr(first.du)} (taux de {first.rate_year}e année)"
    )
    fields = tuple(low) or ("contrat.remunerations",)
    if assumed == followed and kind not in (DEROGATION_DUREE_REDUITE, DEROGATION_CUMUL):
        years = f"{followed} année{'s' if followed > 1 else ''}"
        yield (
            (*fields, "apprenti.derniere_classe", "contrat.type_derogation"),
            (
                f"L'apprenti a déjà suivi {years} du cycle de ce diplôme : si ce contrat en "
                "couvre la suite, sa durée est réduite et l'apprenti est réputé avoir accompli "
                f"ces {years}. Il est alors payé {due}. Choisissez dans ce cas la dérogation "
                "21 (réduction de durée) : la grille en tiendra compte."
            ),
        )
        return
    intro = (
        "La durée du contrat est réduite"
        if kind == DEROGATION_DUREE_REDUITE
        else "Si la durée du contrat est réduite (cumul de dérogations)"
    )
    yield (
        (*fields, "contrat.type_derogation"),
        (
            f"{intro} : l'apprenti est réputé avoir déjà accompli la partie du cycle de "
            "formation que le contrat ne couvre pas, et son salaire minimum en tient compte. "
            f"Pour un cycle d'un an plus long que le contrat, il est payé {due}. Si "
            "l'apprenti a déjà suivi des années de ce diplôme, indiquez-le dans « Dernière "
            "classe / année suivie » (ce diplôme étant le dernier préparé) : la grille en "
            "tiendra compte. Sinon, vérifiez la grille avec le CFA selon la durée normale du "
            "cycle."
        ),
    )


@rule(
    "contrat.remunerations.majoration_handicap",
    "warning",
    "C. trav. art. R6222-46, R6222-47, R6222-48, R6222-60",
)
def disability_extension(d: Dossier, ctx: Context):
    """R6222-47 and R6222-48: when a disabled apprentice's training is spread over its
    normal duration plus one year at most, the percentages of the last year of the normal
    duration are raised by a uniform 15 points during the extension. The grid applies it
    where the form shows the extension (an avenant 34; a 4th contract year, beyond the
    3-year maximum, for an apprentice with RQTH rights: ``rules/remuneration.py``). Two
    cases remain uncertain, and are warned about when a written line pays less than that:
    a lengthening within 3 years (dérogation 22), which does not say how long it is, and
    a 4th year of an apprentice who is also a sportif de haut niveau, whose 4th year may
    instead keep the 3rd-year rates (R6222-60)."""
    a = d.apprenti
    if not has_rqth_rights(a):
        return
    grid = grid_for(d)
    if grid is None or grid.inputs.majoration_handicap_depuis:
        return
    start, end = grid.inputs.date_debut, grid.inputs.date_fin
    last = year_of(start, end)
    if last < 2 or d.contrat.type_contrat == AVENANT_PROLONGATION_ECHEC:
        return
    lengthened = d.contrat.type_derogation == DEROGATION_ALLONGEMENT
    if not (lengthened or (last == MAX_YEARS and a.sportif_haut_niveau)):
        return
    added = year_start(start, last)
    presumed = compute_grid(dataclasses.replace(grid.inputs, majoration_handicap_depuis=added))
    raised = [g for g in presumed.lines if g.du >= added]
    written = d.contrat.remunerations
    low = [
        f"contrat.remunerations.{i}.taux"
        for i, line in enumerate(written)
        if line.taux is not None
        and (span := line_span(presumed, line)) is not None
        and span[1] >= added
        and line.taux < max(g.taux for g in presumed.overlapping(max(span[0], added), span[1]))
    ]
    if written and not low:
        return
    rates = " puis ".join(
        f"{fr_taux(g.taux)} % du {g.reference} du {format_fr(g.du)} au {format_fr(g.au)}"
        for g in raised
    )
    why = (
        "en raison du handicap de l'apprenti (et non de son activité de sportif de haut niveau)"
        if a.sportif_haut_niveau
        else "en raison du handicap de l'apprenti"
    )
    yield (
        tuple(low) or ("contrat.remunerations",),
        (
            f"Si le contrat est allongé {why}, l'année ajoutée se paie aux taux de la "
            f"dernière année de la durée normale majorés de {MAJORATION_HANDICAP} points : "
            f"{rates} au moins. Si l'allongement est plus court qu'un an, seule la période "
            "ajoutée est concernée : vérifiez la grille avec le CFA."
        ),
    )


@rule("contrat.remunerations.employeur_public", "info", "C. trav. art. D6272-1 et D6272-2")
def public_employer_option(d: Dossier, ctx: Context):
    """Public non-industrial and non-commercial employers apply the private grid (D6272-1);
    D6272-2 (décret n° 2020-478) lets them add 10 points when the apprentice prepares a
    diploma of level 4 and 20 points from level 5. An option, never a minimum: said once,
    as information, with the majoration that fits the diploma prepared."""
    e = d.employeur
    if e.prive_public != "public" and e.type_employeur not in TYPES_EMPLOYEUR_PUBLIC:
        return
    if e.type_employeur == TYPE_EMPLOYEUR_EPIC or not d.contrat.remunerations:
        return  # an EPIC employs under private law
    niveau = NIVEAU_DIPLOME_EUROPEEN.get(d.formation.diplome_vise or "")
    if niveau == 4:
        option = (
            "L'apprenti prépare un diplôme de niveau 4 (baccalauréat) : vous pouvez les majorer "
            "de 10 points."
        )
    elif niveau is not None and niveau >= 5:
        option = (
            f"L'apprenti prépare un diplôme de niveau {niveau} : vous pouvez les majorer de 20 "
            "points."
        )
    elif niveau is not None or d.formation.diplome_vise:
        return  # below level 4 there is no majoration to offer
    else:
        option = (
            "Vous pouvez les majorer de 10 points si l'apprenti prépare un diplôme de niveau 4 "
            "(baccalauréat), de 20 points s'il prépare un diplôme de niveau 5 ou plus."
        )
    yield "contrat.remunerations", f"Employeur public : ces taux sont des minimums. {option}"


# -- avantages en nature -----------------------------------------------------------------


@functools.cache
def _forfaits() -> dict:
    return json.loads(AVANTAGES_FILE.read_text(encoding="utf-8"))


def _latest(rows: list[dict], year: int) -> dict | None:
    known = [row for row in rows if row["annee"] <= year]
    return max(known, key=lambda row: row["annee"]) if known else None


def _three_quarters(amount: Decimal) -> Decimal:
    return (amount * 3 / 4).quantize(CENT, rounding=ROUND_HALF_UP)


def _is_hcr(d: Dossier) -> bool:
    ape = (d.employeur.code_ape or "").strip()
    return d.employeur.code_idcc == IDCC_HCR or ape[:2] in APE_HCR


@rule("contrat.avantages_nature.nourriture", "warning", REF_AVANTAGES)
def food_deduction(d: Dossier, ctx: Context):
    """D6222-33: a benefit in kind may be deducted from the apprentice's wage up to 75 % of
    its social-security valuation: the URSSAF flat rate per meal of the year, or one minimum
    garanti per meal in hotels, cafés and restaurants (IDCC 1979, APE 55 and 56). A warning:
    the flat rate of a year not yet published is the last one known, and a collective
    agreement may set another valuation."""
    value = d.contrat.avantages_nature.nourriture_par_repas
    start = d.contrat.date_debut_execution
    if value is None or start is None:
        return
    if _is_hcr(d):
        try:
            forfait = minimum_garanti_on(start)
        except SmicUnknown:
            return
        what = (
            f"d'un minimum garanti ({fr_euros(forfait)}), la valeur d'un repas dans "
            "l'hôtellerie-restauration"
        )
    else:
        row = _latest(_forfaits()["repas"], start.year)
        if row is None:
            return
        forfait = Decimal(row["montant"])
        what = f"du forfait URSSAF {row['annee']} ({fr_euros(forfait)} par repas)"
    cap = _three_quarters(forfait)
    if value > cap:
        yield (
            "contrat.avantages_nature.nourriture_par_repas",
            (
                f"La retenue pour la nourriture ({fr_euros(value)} par repas) dépasse la limite "
                f"de l'apprenti : 75 % {what}, soit {fr_euros(cap)}. Ramenez-la à "
                f"{fr_euros(cap)} au plus."
            ),
        )


@rule("contrat.avantages_nature.logement", "warning", REF_AVANTAGES)
def housing_deduction(d: Dossier, ctx: Context):
    """D6222-33: housing may be deducted up to 75 % of its URSSAF flat valuation, which
    depends on the pay bracket and on the number of main rooms. Apprentices are almost all
    in the first bracket (pay under half the monthly social-security ceiling); the number
    of rooms is not on the form, so the one-room limit is used and the message gives the
    per-room one. A warning for that reason."""
    value = d.contrat.avantages_nature.logement_par_mois
    start = d.contrat.date_debut_execution
    if value is None or start is None:
        return
    row = _latest(_forfaits()["logement"], start.year)
    if row is None:
        return
    pay = d.contrat.salaire_brut_embauche
    if pay is None:
        grid = grid_for(d)
        pay = grid.salaire_brut_embauche if grid is not None else None
    if pay is None or pay >= Decimal(row["remuneration_inferieure_a"]):
        return
    one_room = _three_quarters(Decimal(row["une_piece"]))
    per_room = _three_quarters(Decimal(row["par_piece"]))
    if value > one_room:
        yield (
            "contrat.avantages_nature.logement_par_mois",
            (
                f"La retenue pour le logement ({fr_euros(value)} par mois) dépasse la limite de "
                f"l'apprenti pour un logement d'une pièce : 75 % du forfait URSSAF {row['annee']}, "
                f"soit {fr_euros(one_room)}. Pour un logement de plusieurs pièces principales, la "
                f"limite est de {fr_euros(per_room)} par pièce : vérifiez le montant."
            ),
        )
