"""The apprentice's minimum pay, computed to the day: the CERFA's remuneration grid.

Law (Code du travail, partie réglementaire, apprentices' salary):

- D6222-26: the minimum is a percentage of the SMIC, by age bracket (under 18, 18-20,
  21-25, 26 and over) and year of execution of the contract (1st, 2nd, 3rd); from 21 it
  applies to the salaire minimum conventionnel (SMC) of the job when that is higher.
  D6222-27: the under-16s are paid as the 16-17-year-olds.
- D6222-31: the bracket changes on the first day of the month following the day the
  apprentice turns 18, 21 or 26; the years already performed still count.
- D6222-28-1: a contract shorter than the training cycle it joins (a duration reduced by
  the tripartite convention of L6222-7-1, a cycle begun as a stagiaire under L6222-12-1, a
  new contract after a rupture under R6222-23-1) is paid as if the apprentice had already
  performed the part of the cycle it does not cover. The form does not give the cycle's
  normal length; two of its answers tell how much was performed: the CFA start date
  before the contract (the cycle began earlier: its years count from then), and, for a
  reduced duration (dérogation 21), the year of this same diploma's cycle the apprentice
  last followed (« dernière classe » 11 = 1st year validated, so the contract starts with
  the 2nd). When neither tells, the grid cannot know and a warning asks
  (``contrat.remunerations.duree_reduite``).
- D6222-28: during an extension after an exam failure (avenant 33), the minimum is the
  one of the last year before the extension.
- R6222-48 (with R6222-46, R6222-47 and, for an RQTH obtained during the contract,
  R6222-49): when the apprenticeship of a disabled apprentice is extended by a year at
  most, the percentages of the last year of the contract's normal duration are raised by
  a uniform 15 points during the extension, in every age bracket (26 and over: 115 %).
  The form says it in two cases, which the grid applies: an avenant 34 (extension for an
  RQTH, from its effective date), and a contract of an apprentice with RQTH rights that
  runs into a 4th year (beyond the 3-year maximum, only the handicap allows it: R6222-46)
  — unless he is also a sportif de haut niveau, whose 4th year keeps the 3rd-year rates
  (R6222-60). The rates of the added year are at least those of its own year of execution
  (D6222-26 still applies). A lengthening within 3 years (dérogation 22) does not say how
  long it is: ``contrat.remunerations.majoration_handicap`` warns instead.
- D6222-29: a new contract after a completed one pays at least the previous contract's
  last rate (the rate received with the same employer, the minimum due with another one),
  when the age-based minimum is not higher. The CERFA does not carry that rate: the
  caller passes it when it knows it.
- D6222-32: an apprentice preparing a licence professionnelle gets at least the
  2nd-year rate.
- D6272-1: public employers (types 21 to 29) follow the same grid.

The CERFA holds one line per contract year, split in two when the bracket changes during
that year: at most 4 years and 8 lines. The government's generator splits a year wrongly in
two cases (reference-product §5.7), which this computation does not reproduce:

1. a contract starting on a birthday: the apprentice already has the new age on the first
   day, so the year is not split (two lines at the same rate would be noise);
2. a birthday in the last month of a contract year: the new rate starts on the first day of
   the next month, which is the first day of the next contract year, so the year that holds
   the birthday is not split, and the next year starts at the new bracket.

In general a line is cut only at a date where the rate or its base actually changes.

Amounts are rounded up to the cent: the legal minimum is a floor, and an amount rounded
down would be a fraction of a cent below it (43 % of 1 823,03 € is 783,9029 €: 783,91 €).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from rules.dates import (
    ONE_DAY,
    age_on,
    anniversary,
    first_of_next_month,
    format_fr,
    whole_months,
)
from rules.dossier import Apprenti, Dossier, Number, Remuneration, is_blank
from rules.smic import Smic, SmicUnknown, is_mayotte, smic_entry

CENT = Decimal("0.01")

# D6222-26: minimum % of the reference wage, by age bracket, for the 1st, 2nd and 3rd year.
# A 4th year exists only when the contract was extended (exam failure, handicap): it keeps
# the 3rd-year rates (D6222-28 for an exam failure).
RATES: tuple[tuple[int, int, int], ...] = (
    (27, 39, 55),  # moins de 18 ans (D6222-26 1° ; D6222-27 pour les moins de 16 ans)
    (43, 51, 67),  # 18 à 20 ans
    (53, 61, 78),  # 21 à 25 ans : SMIC, ou SMC s'il est plus élevé
    (100, 100, 100),  # 26 ans et plus : SMIC, ou SMC s'il est plus élevé
)
BRACKET_AGES = (18, 21, 26)  # D6222-31: the ages at which the bracket changes
BRACKET_LABELS = ("moins de 18 ans", "18 à 20 ans", "21 à 25 ans", "26 ans et plus")
SMC_BRACKET = 2  # from 21 years old the base is the SMC when it is higher (D6222-26 3°, 4°)
MAX_YEARS = 4  # the CERFA's grid: 4 years of 2 periods
MAX_LINES = 8
LICENCE_PROFESSIONNELLE = "62"  # code « diplôme visé » of a licence professionnelle
AVENANT_PROLONGATION_ECHEC = "33"  # type de contrat: extension after an exam failure
AVENANT_PROLONGATION_HANDICAP = "34"  # type de contrat: extension for an RQTH (R6222-49)
MAJORATION_HANDICAP = 15  # R6222-48: points added during a disabled apprentice's extension
DEROGATION_DUREE_REDUITE = "21"  # type de dérogation: reduced duration (L6222-7-1)
# « Dernière classe / année suivie » (notice): the years of that diploma's cycle already
# performed when the contract starts. Year n followed and validated: n years done; not
# validated: the apprentice takes year n again, n - 1 done.
CLASS_YEARS_DONE = {"11": 1, "12": 0, "21": 2, "22": 1, "31": 3, "32": 2}
FULL_TIME_MINUTES = 35 * 60


class GridError(ValueError):
    """The grid cannot be computed from these dates. The message is plain French."""


def bracket_of(age: int) -> int:
    """Index in ``RATES`` of an age in completed years."""
    return sum(1 for threshold in BRACKET_AGES if age >= threshold)


def ceil_cent(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_CEILING)


def floor_cent(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_FLOOR)


def exact_amount(taux: Number, base: Decimal, share: Decimal = Decimal(1)) -> Decimal:
    """``taux`` % of a monthly base, for ``share`` of a 35-hour week, not rounded."""
    return Decimal(str(taux)) * base * share / 100


def monthly_amount(taux: Number, base: Decimal, share: Decimal = Decimal(1)) -> Decimal:
    """``taux`` % of a monthly base, rounded up to the cent (see the module docstring)."""
    return ceil_cent(exact_amount(taux, base, share))


def full_time_share(total_minutes: int | None) -> Decimal:
    """Share of a 35-hour week that the weekly duration represents, at most 1.

    The SMIC is an hourly wage: a shorter week (possible for a disabled apprentice) lowers
    the monthly minimum in proportion. A longer week does not raise the *base* monthly
    salary (overtime is paid on top), so the share stops at 1. Unknown: full time.
    """
    if total_minutes is None or total_minutes <= 0 or total_minutes >= FULL_TIME_MINUTES:
        return Decimal(1)
    return Decimal(total_minutes) / Decimal(FULL_TIME_MINUTES)


# -- the grid ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AgeStep:
    """A birthday that changes the bracket: the apprentice reaches ``age`` on ``birthday``
    and the new minimum applies from ``effective`` (D6222-31)."""

    age: int
    birthday: datetime.date
    effective: datetime.date


@dataclass(frozen=True)
class GridLine:
    """One line of the CERFA's grid, at its legal minimum."""

    annee: int  # contract year, 1..4
    periode: int  # 1 or 2 within that year
    du: datetime.date
    au: datetime.date
    taux: Number  # minimum %
    reference: str  # "SMIC" or "SMC"
    base: Decimal  # monthly reference wage (35 h) on ``du``
    bracket: int  # index in RATES / BRACKET_LABELS
    rate_year: int  # the year of the D6222-26 table the rate comes from (1..3)
    motif: str  # why this rate, in French: "18 à 20 ans, 1re année d'exécution"

    @property
    def montant(self) -> Decimal:
        """Monthly gross amount for 35 h a week, to the cent (rounded up)."""
        return monthly_amount(self.taux, self.base)

    def to_remuneration(self) -> Remuneration:
        return Remuneration(
            annee=self.annee,
            periode=self.periode,
            du=self.du,
            au=self.au,
            taux=self.taux,
            reference=self.reference,
        )

    def overlaps(self, du: datetime.date, au: datetime.date) -> bool:
        return self.du <= au and du <= self.au


@dataclass(frozen=True)
class GridInputs:
    """Everything the grid depends on."""

    date_naissance: datetime.date
    date_debut: datetime.date  # début d'exécution du contrat
    date_fin: datetime.date
    smc: Decimal | None = None
    mayotte: bool = False
    licence_pro: bool = False
    # D6222-28-1: whole years of the training cycle already performed before this contract.
    annees_accomplies: int = 0
    # Only used in the sentences: the years done come from a reduced duration.
    duree_reduite: bool = False
    # D6222-28: first day of an extension after an exam failure (avenant 33).
    prolongation_depuis: datetime.date | None = None
    # R6222-48: first day of a disabled apprentice's extension (last year's rates + 15).
    majoration_handicap_depuis: datetime.date | None = None
    # D6222-29: the last rate of the previous contract, when the caller knows it.
    taux_precedent: Number | None = None
    # Only used in the sentences: when the years come from the training cycle's start.
    debut_cycle: datetime.date | None = None


@dataclass(frozen=True)
class Grid:
    inputs: GridInputs
    lines: tuple[GridLine, ...]
    # Birthdays (18, 21, 26) after the start and up to the end; the new rate of the last
    # one may start after the end (then no line changes).
    steps: tuple[AgeStep, ...]
    smic: Smic  # the SMIC in force on the first day of the contract

    @property
    def salaire_brut_embauche(self) -> Decimal:
        """Line 1's rate × its monthly base in force at the start, for 35 hours a week,
        rounded up to the cent (``complete`` adjusts it to a shorter week)."""
        return self.lines[0].montant

    def overlapping(self, du: datetime.date, au: datetime.date) -> list[GridLine]:
        return [line for line in self.lines if line.overlaps(du, au)]

    def line(self, annee: int | None, periode: int | None) -> GridLine | None:
        for line in self.lines:
            if line.annee == annee and line.periode == periode:
                return line
        return None


def year_start(start: datetime.date, k: int) -> datetime.date:
    """First day of year ``k`` of a contract starting on ``start``: its (k-1)th
    anniversary, 1 March in a common year for a start on 29 February (``rules/dates.py``),
    so that no year is one day short and none is left with a single day."""
    return anniversary(start, k - 1)


def contract_year(
    start: datetime.date, end: datetime.date, k: int
) -> tuple[datetime.date, datetime.date]:
    """Year ``k`` of a contract runs from its (k-1)th anniversary to the day before its
    kth, and stops at the end date."""
    first = year_start(start, k)
    last = min(year_start(start, k + 1) - ONE_DAY, end)
    return first, last


def year_of(start: datetime.date, day: datetime.date) -> int:
    """The contract year (1, 2…) that holds ``day`` (``day`` on or after ``start``)."""
    k = 1
    while year_start(start, k + 1) <= day:
        k += 1
    return k


def _ordinal(n: int) -> str:
    return "1re" if n == 1 else f"{n}e"


def compute_grid(inputs: GridInputs) -> Grid:
    """The grid at the legal minimum, one line per contract year and bracket.

    Raises ``GridError`` when the dates make it impossible (end before start, birth after
    start, a contract of more than 4 years, a start before the 2019 grid).
    """
    birth, start, end = inputs.date_naissance, inputs.date_debut, inputs.date_fin
    if end < start:
        raise GridError(
            "La date de fin du contrat est avant sa date de début : corrigez les "
            "dates pour calculer la rémunération."
        )
    if birth >= start:
        raise GridError(
            "La date de naissance de l'apprenti n'est pas avant le début du "
            "contrat : corrigez-la pour calculer la rémunération."
        )
    if end >= year_start(start, MAX_YEARS + 1):
        raise GridError(
            "Le contrat dure plus de 4 ans : la grille de rémunération du CERFA "
            "ne compte que 4 années. Vérifiez les dates de début et de fin."
        )
    try:
        smic_at_start = smic_entry(start, inputs.mayotte)
    except SmicUnknown as exc:
        raise GridError(
            "Ce service calcule la rémunération des contrats commencés depuis le "
            "1er janvier 2019 (grille de l'article D6222-26)."
        ) from exc

    age_at_start = age_on(birth, start)
    # A birthday on the first day already counts: the bracket of the start is the age that
    # day, and only the birthdays strictly after it change the rate (defect 1 of §5.7).
    steps = tuple(
        AgeStep(age, anniversary(birth, age), first_of_next_month(anniversary(birth, age)))
        for age in BRACKET_AGES
        if age > age_at_start and anniversary(birth, age) <= end
    )
    base_bracket = bracket_of(age_at_start)

    frozen_year: int | None = None
    if inputs.prolongation_depuis is not None and start < inputs.prolongation_depuis <= end:
        frozen_year = year_of(start, inputs.prolongation_depuis - ONE_DAY)
    handicap = inputs.majoration_handicap_depuis
    handicap_year: int | None = None
    if handicap is not None and start < handicap <= end:
        handicap_year = year_of(start, handicap - ONE_DAY)

    lines: list[GridLine] = []
    k = 1
    while year_start(start, k) <= end:
        first, last = contract_year(start, end, k)
        # Cut the year where a bracket change takes effect strictly inside it. A change on
        # the year's first day needs no cut (defect 2 of §5.7); one after its last day
        # belongs to a later year. The changes are at least 3 years apart: at most one cut.
        cuts = [s.effective for s in steps if first < s.effective <= last]
        bounds = [first, *cuts, last + ONE_DAY]
        for du, next_du in zip(bounds, bounds[1:], strict=False):
            bracket = base_bracket + sum(1 for s in steps if s.effective <= du)
            line = _line_for(inputs, k, du, next_du - ONE_DAY, bracket, frozen_year, handicap_year)
            previous = lines[-1] if lines else None
            if (
                previous is not None
                and previous.annee == k
                and (previous.taux, previous.reference) == (line.taux, line.reference)
            ):
                # Same rate on the same base: one line (never two lines at one rate).
                lines[-1] = _replace_end(previous, line.au)
            else:
                lines.append(line)
        k += 1
    return Grid(inputs, tuple(lines), steps, smic_at_start)


def _replace_end(line: GridLine, au: datetime.date) -> GridLine:
    return GridLine(
        line.annee,
        line.periode,
        line.du,
        au,
        line.taux,
        line.reference,
        line.base,
        line.bracket,
        line.rate_year,
        line.motif,
    )


def _shifted(inputs: GridInputs, year: int) -> int:
    """The year of the D6222-26 table a contract year is paid at: the years of the cycle
    already done added (D6222-28-1), at least the 2nd for a licence professionnelle
    (D6222-32)."""
    year += inputs.annees_accomplies
    if inputs.licence_pro and year < 2:
        year = 2
    return year


def _done_note(inputs: GridInputs) -> str:
    done = inputs.annees_accomplies
    if inputs.duree_reduite:
        plural = "s" if done > 1 else ""
        return f"durée réduite, {done} année{plural} du cycle déjà accomplie{plural}"
    since = f" le {format_fr(inputs.debut_cycle)}" if inputs.debut_cycle else " plus tôt"
    return f"cycle de formation commencé{since}"


def _line_for(
    inputs: GridInputs,
    k: int,
    du: datetime.date,
    au: datetime.date,
    bracket: int,
    frozen_year: int | None,
    handicap_year: int | None = None,
) -> GridLine:
    year = k
    notes = []
    if (
        frozen_year is not None
        and inputs.prolongation_depuis is not None
        and du >= inputs.prolongation_depuis
    ):
        year = frozen_year  # D6222-28: the extension keeps the last year's rate
        notes.append("prolongation après un échec à l'examen")
    if inputs.annees_accomplies:
        notes.append(_done_note(inputs))
    raw = year + inputs.annees_accomplies
    year = _shifted(inputs, year)
    if year != raw:
        notes.append("licence professionnelle")
    rate_year = min(year, 3)  # a 4th year keeps the 3rd-year rates
    motif = f"{BRACKET_LABELS[bracket]}, {_ordinal(k)} année du contrat"
    if rate_year != k:
        motif += f", payée au taux de {_ordinal(rate_year)} année"
    if notes:
        motif += " (" + ", ".join(notes) + ")"
    taux: Number = RATES[bracket][rate_year - 1]
    depuis = inputs.majoration_handicap_depuis
    if handicap_year is not None and depuis is not None and du >= depuis:
        # R6222-48: the last year's percentages, in today's bracket, + 15 points.
        last = min(_shifted(inputs, handicap_year), 3)
        raised = RATES[bracket][last - 1] + MAJORATION_HANDICAP
        if raised > taux:
            taux = raised
            motif += (
                f" ; année ajoutée en raison du handicap : taux de la {_ordinal(last)} année "
                f"majoré de {MAJORATION_HANDICAP} points"
            )
    if inputs.taux_precedent is not None and inputs.taux_precedent > taux:
        taux = inputs.taux_precedent  # D6222-29
        motif += " ; au moins le taux du contrat précédent"

    smic = smic_entry(du, inputs.mayotte)
    if bracket >= SMC_BRACKET and inputs.smc is not None and inputs.smc > smic.monthly:
        reference, base = "SMC", inputs.smc
    else:
        reference, base = "SMIC", smic.monthly
    # The CERFA numbers the periods of a year 1 and 2; a year's first line is period 1.
    periode = 1 if du == contract_year(inputs.date_debut, inputs.date_fin, k)[0] else 2
    return GridLine(k, periode, du, au, taux, reference, base, bracket, rate_year, motif)


# -- a written line against the grid -------------------------------------------------------


def line_span(grid: Grid, line: Remuneration) -> tuple[datetime.date, datetime.date] | None:
    """The days of the contract a written line covers: its dates, kept inside the contract;
    without dates, those of the computed line of the same year and period."""
    start, end = grid.inputs.date_debut, grid.inputs.date_fin
    if line.du is not None and line.au is not None:
        du, au = max(line.du, start), min(line.au, end)
        return (du, au) if du <= au else None
    same = grid.line(line.annee, line.periode)
    return (same.du, same.au) if same else None


def minimum_rate(grid: Grid, line: Remuneration) -> tuple[Number, list[GridLine]] | None:
    """The lowest rate a written line may carry (the highest minimum of the days it covers)
    and the computed lines it covers; None when its days are unknown."""
    span = line_span(grid, line)
    if span is None:
        return None
    covered = grid.overlapping(*span)
    return max(g.taux for g in covered), covered


def base_shortfall(grid: Grid, line: Remuneration) -> GridLine | None:
    """The first computed line for which the base written on ``line`` (SMIC or SMC) gives
    less than the legal amount, even with its rate raised to the minimum: the SMIC written
    where a higher SMC is due from 21 years old, or an SMC lower than the SMIC. None when
    the base is right, or when it cannot be judged (no rate, no SMC amount)."""
    smc = grid.inputs.smc
    if line.taux is None or line.reference not in ("SMIC", "SMC"):
        return None
    if line.reference == "SMC" and smc is None:
        return None
    span = line_span(grid, line)
    if span is None:
        return None
    for g in grid.overlapping(*span):
        smic = smic_entry(max(span[0], g.du), grid.inputs.mayotte)
        written = smc if line.reference == "SMC" and smc is not None else smic.monthly
        rate = max(Decimal(str(line.taux)), Decimal(str(g.taux)))
        if rate * written < Decimal(str(g.taux)) * g.base:
            return g
    return None


def line_name(i: int, line: Remuneration) -> str:
    """How a message names the written line ``i``: « la période 2 de l'année 1 », or « la
    ligne de rémunération n°3 » while its year or period is not given."""
    if line.annee is not None and line.periode is not None:
        return f"la période {line.periode} de l'année {line.annee}"
    return f"la ligne de rémunération n°{i + 1}"


# -- from a dossier ----------------------------------------------------------------------


def grid_inputs(d: Dossier) -> GridInputs | None:
    """The grid's inputs read from a dossier; None while a date it needs is missing."""
    birth = d.apprenti.date_naissance
    start = d.contrat.date_debut_execution
    end = d.contrat.date_fin
    if birth is None or start is None or end is None:
        return None
    cycle = d.formation.date_debut_cfa
    done = 0
    if cycle is not None and cycle < start:
        # Atlas FAQ: the CFA start date is the start of the training cycle, even when it
        # began under another status or another contract. Whole years only.
        done = whole_months(cycle, start - ONE_DAY) // 12
    reduced = 0
    if d.contrat.type_derogation == DEROGATION_DUREE_REDUITE:
        reduced = class_years_done(d)
    prolongation = None
    if d.contrat.type_contrat == AVENANT_PROLONGATION_ECHEC:
        prolongation = d.contrat.date_effet_avenant
    return GridInputs(
        date_naissance=birth,
        date_debut=start,
        date_fin=end,
        smc=d.contrat.smc,
        mayotte=is_mayotte(d.employeur.adresse.code_postal),
        licence_pro=d.formation.diplome_vise == LICENCE_PROFESSIONNELLE,
        annees_accomplies=max(done, reduced),
        duree_reduite=reduced > done,
        prolongation_depuis=prolongation,
        majoration_handicap_depuis=handicap_extension_start(d),
        debut_cycle=cycle if done >= reduced and done else None,
    )


def has_rqth_rights(apprenti: Apprenti) -> bool:
    """RQTH, or one of the rights attached to it that the form asks about since 10103*13
    (« équivalence jeunes », « extension BOE »): they lift the age limit (L6222-2 3°),
    allow a 4-year contract (R6222-46) and its 15-point majoration (R6222-48), per loi
    n° 2023-1196 art. 10. Used by the age and duration rules too (``rules/checks``)."""
    return bool(apprenti.rqth or apprenti.equivalence_jeunes or apprenti.extension_boe)


def handicap_extension_start(d: Dossier) -> datetime.date | None:
    """First day of the year the form shows was added for a disabled apprentice
    (R6222-48), or None: an avenant 34's effective date; else, for an apprentice with RQTH
    rights who is not also a sportif de haut niveau, the start of a 4th contract year."""
    c = d.contrat
    if c.type_contrat == AVENANT_PROLONGATION_HANDICAP:
        return c.date_effet_avenant
    start, end = c.date_debut_execution, c.date_fin
    if (
        start is None
        or end is None
        or c.type_contrat == AVENANT_PROLONGATION_ECHEC
        or not has_rqth_rights(d.apprenti)
        or d.apprenti.sportif_haut_niveau
    ):
        return None
    fourth = year_start(start, MAX_YEARS)
    return fourth if fourth <= end else None


def class_years_done(d: Dossier) -> int:
    """Years of the cycle of the diploma prepared that the apprentice has already
    performed, by « dernière classe / année suivie », when the last diploma prepared is the
    one this contract prepares; 0 otherwise (D6222-28-1 counts them for a contract that
    joins the cycle after its start)."""
    vise = d.formation.diplome_vise
    if is_blank(vise) or d.apprenti.dernier_diplome_prepare != vise:
        return 0
    return CLASS_YEARS_DONE.get(d.apprenti.derniere_classe or "", 0)


def try_grid(d: Dossier) -> tuple[Grid | None, str]:
    """The dossier's grid, or None and why not (French; empty while dates are missing)."""
    inputs = grid_inputs(d)
    if inputs is None:
        return None, ""
    try:
        return compute_grid(inputs), ""
    except GridError as exc:
        return None, str(exc)


def grid_for(d: Dossier) -> Grid | None:
    """The dossier's grid at the legal minimum, or None when it cannot be computed."""
    return try_grid(d)[0]


def week_share(d: Dossier) -> Decimal:
    """The dossier's weekly duration as a share of 35 hours (``full_time_share``)."""
    return full_time_share(d.contrat.duree_hebdo.total_minutes)


def line1_amount(d: Dossier, grid: Grid) -> Decimal | None:
    """What the written line 1 pays a month at hiring, not rounded: its rate × its base in
    force on the first day (the SMIC then, or the SMC given), for the weekly duration. The
    salaire brut à l'embauche is this amount (R6222-4: the contract sets the wage). None
    while line 1 has no rate or base, or is based on an SMC whose amount is not given."""
    if not d.contrat.remunerations:
        return None
    first = d.contrat.remunerations[0]
    if first.taux is None or first.reference not in ("SMIC", "SMC"):
        return None
    base = d.contrat.smc if first.reference == "SMC" else grid.smic.monthly
    if base is None:
        return None
    return exact_amount(first.taux, base, week_share(d))


# -- words -------------------------------------------------------------------------------


def fr_taux(taux: Number) -> str:
    """43 → "43", 43.5 → "43,5"."""
    if float(taux).is_integer():
        return str(int(taux))
    return f"{taux}".replace(".", ",")


def fr_euros(amount: Decimal) -> str:
    """1823.03 → "1 823,03 €"."""
    whole, cents = f"{amount:.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return " ".join(groups) + "," + cents + " €"


def split_sentences(grid: Grid) -> list[str]:
    """One sentence per birthday that changes the bracket during the contract, for the
    wizard: « Votre apprenti aura 18 ans le 15/03/2028 : le taux minimum passe à 43 % du
    SMIC à partir du 01/04/2028. »"""
    sentences = []
    for step in grid.steps:
        head = f"Votre apprenti aura {step.age} ans le {format_fr(step.birthday)}"
        if step.effective > grid.inputs.date_fin:
            sentences.append(
                f"{head} : le nouveau taux ne s'appliquerait qu'à partir du "
                f"{format_fr(step.effective)}, après la fin du contrat ; la grille ne change "
                "donc pas."
            )
            continue
        after = _line_on(grid, step.effective)
        before = _line_on(grid, step.effective - ONE_DAY)
        rate = f"{fr_taux(after.taux)} % du {after.reference}"
        if (before.taux, before.reference) == (after.taux, after.reference):
            sentences.append(f"{head} : le taux minimum reste à {rate}.")
            continue
        tail = ""
        if after.du == step.effective and after.periode == 1:
            tail = f", premier jour de la {_ordinal(after.annee)} année du contrat"
        sentences.append(
            f"{head} : le taux minimum passe à {rate} à partir du "
            f"{format_fr(step.effective)}{tail}."
        )
    return sentences


def _line_on(grid: Grid, day: datetime.date) -> GridLine:
    return next(line for line in grid.lines if line.du <= day <= line.au)


def basis_sentence(grid: Grid) -> str:
    """Which SMIC (and SMC) the amounts use, in one French sentence."""
    smic = grid.smic
    where = " à Mayotte" if smic.mayotte else ""
    text = (
        f"Montants calculés sur le SMIC en vigueur{where} le "
        f"{format_fr(grid.inputs.date_debut)} (depuis le {format_fr(smic.since)}) : "
        f"{fr_euros(smic.monthly)} brut par mois pour 35 heures par semaine."
    )
    if any(line.reference == "SMC" for line in grid.lines):
        text += (
            f" À partir de 21 ans, le salaire minimum conventionnel "
            f"({fr_euros(grid.inputs.smc or Decimal(0))}), plus élevé, sert de base."
        )
    return text
