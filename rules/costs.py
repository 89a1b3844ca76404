"""What the contract costs at least: the minimum gross pay of each pay period, in euros,
and over the whole contract.

One place for these amounts: the wizard's pay step and review page, the « points à
vérifier » PDF and ``cerfa complete --json`` all read them from here. The grid itself (the
periods, their rates, their base on their first day) is ``rules/remuneration.py``'s.

How each amount is computed:

- **A period's monthly minimum** is its rate × its base in force on its first day (the
  SMIC, or from 21 the SMC when it is higher: C. trav. art. D6222-26), for the contract's
  weekly hours: the SMIC is an hourly wage, so a week under 35 hours is paid in
  proportion (``remuneration.full_time_share``). Hours beyond 35 a week are overtime, paid on top
  with their majoration (C. trav. art. L3121-28, L3121-36): they are not counted here, as
  the CERFA's « salaire brut mensuel à l'embauche » does not count them. Rounded up to the
  cent, the minimum being a floor. Period 1's amount is therefore the salaire à l'embauche
  that ``rules/complete.py`` fills for a grid at the minimum.
- **A SMIC revaluation inside a period.** The apprentice's minimum is a percentage of the
  SMIC (D6222-26), not a sum fixed when the contract is signed: from the day a revaluation
  takes effect, the same percentage applies to the new SMIC. The SMIC is revalued every
  1 January (L3231-6) and, during the year, from the first day of the month after prices
  have risen by 2 % (L3231-5). So the amount shown for a period is the one of its first
  day (the CERFA's grid and salaire à l'embauche), and the period is cut at each
  revaluation that changes its amount: each piece is paid on the SMIC in force from its
  first day, and the total counts each piece at its own amount. A line on the SMC keeps
  the SMC given in the dossier (one amount for the whole contract) while it is higher than
  the SMIC, and follows the SMIC once a revaluation takes it above (D6222-26 3° and 4°).
- **Revaluations after the last known one** cannot be known: the amounts after it keep
  the last SMIC of ``rules/data/smic.json``, and a sentence says so.
- **The total over the contract**: each calendar month a piece covers entirely counts its
  monthly amount; a month it covers only in part (the first and last months of the
  contract, a contract year that starts in the middle of a month) counts the monthly
  amount × the days covered / the days of that month (prorata of calendar days), rounded
  up to the cent. The total is the sum of these.

Plain Python, no clock: the caller decides what « today » is.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rules.dates import ONE_DAY, format_fr
from rules.dossier import Dossier
from rules.remuneration import (
    FULL_TIME_MINUTES,
    Grid,
    GridLine,
    ceil_cent,
    exact_amount,
    fr_euros,
    fr_taux,
    full_time_share,
    grid_for,
)
from rules.smic import Smic, latest_revaluation, smic_entry

REFERENCE = "C. trav. art. D6222-26, L3231-5, L3231-6"
REVALUATION_SOURCE = "C. trav. art. D6222-26, L3231-5 et L3231-6"
OVERTIME_SOURCE = "C. trav. art. L3121-28 et L3121-36"


@dataclass(frozen=True)
class Piece:
    """Days of a period paid one monthly amount: the period's first day up to the day
    before a SMIC revaluation that changes it, then from that revaluation on."""

    du: datetime.date
    au: datetime.date
    reference: str  # "SMIC" or "SMC"
    base: Decimal  # monthly base for 35 hours a week, in force on ``du``
    smic: Smic  # the SMIC in force on ``du``
    mensuel: Decimal  # monthly minimum for the contract's week, rounded up to the cent
    total: Decimal  # gross pay of these days (see the module docstring)


@dataclass(frozen=True)
class PeriodCost:
    """One line of the grid with what it pays at least."""

    line: GridLine
    pieces: tuple[Piece, ...]  # more than one when a revaluation changes the amount

    @property
    def mensuel(self) -> Decimal:
        """The monthly minimum on the period's first day, for the contract's week."""
        return self.pieces[0].mensuel

    @property
    def total(self) -> Decimal:
        return sum((p.total for p in self.pieces), Decimal(0))

    @property
    def revaluations(self) -> tuple[Piece, ...]:
        """The pieces that start with a SMIC revaluation inside the period."""
        return self.pieces[1:]


@dataclass(frozen=True)
class Costs:
    grid: Grid
    weekly_minutes: int | None  # the contract's week; None when not given
    share: Decimal  # of a 35-hour week, at most 1
    periods: tuple[PeriodCost, ...]
    last_known: Smic  # the newest SMIC this service knows (for the contract's place)

    @property
    def total(self) -> Decimal:
        """Gross pay over the whole contract, at the legal minimum."""
        return sum((p.total for p in self.periods), Decimal(0))

    def sentences(self) -> list[str]:
        """What the amounts rest on, in French: the week, each revaluation inside a period,
        the SMIC after the last known one, the method of the total."""
        out = [self._week_sentence()]
        for period in self.periods:
            for piece in period.revaluations:
                out.append(_revaluation_sentence(period, piece))
        end = self.grid.inputs.date_fin
        if end >= datetime.date(self.last_known.since.year + 1, 1, 1):
            where = " à Mayotte" if self.last_known.mayotte else ""
            out.append(
                f"Le dernier SMIC connu{where} est celui du {format_fr(self.last_known.since)} "
                f"({fr_euros(self.last_known.monthly)} par mois pour 35 heures) : les montants "
                "des mois suivants le reprennent, les revalorisations à venir n'étant pas "
                "connues. Le SMIC est revalorisé au moins chaque 1er janvier "
                "(C. trav. art. L3231-6) et le minimum de l'apprenti augmente avec lui."
            )
        out.append(
            "Le total compte chaque mois complet au montant mensuel, et un mois commencé ou "
            "fini en cours de route au prorata de ses jours calendaires. Ce sont des minimums "
            "légaux : un taux plus élevé prévu au contrat ou par la convention collective "
            "donne un salaire plus élevé."
        )
        return out

    def _week_sentence(self) -> str:
        minutes = self.weekly_minutes
        if minutes is None or minutes <= 0:
            return (
                "La durée hebdomadaire du travail n'est pas indiquée : les montants sont "
                "calculés pour 35 heures par semaine."
            )
        if minutes < FULL_TIME_MINUTES:
            percent = f"{self.share * 100:.2f}".rstrip("0").rstrip(".").replace(".", ",")
            return (
                f"Montants calculés pour {fr_hours(minutes)} par semaine, soit {percent} % "
                "d'un temps plein de 35 heures : le SMIC est un salaire horaire."
            )
        text = "Montants calculés pour 35 heures par semaine."
        if minutes > FULL_TIME_MINUTES:
            text += (
                f" Au-delà, les heures supplémentaires de la semaine de {fr_hours(minutes)} "
                f"sont payées en plus, avec leur majoration ({OVERTIME_SOURCE}) : elles ne "
                "sont pas comptées ici."
            )
        return text

    def to_dict(self) -> dict[str, Any]:
        """The amounts as JSON data (``cerfa complete --json``): money as strings with two
        decimals, like the dossier's, dates as YYYY-MM-DD."""
        return {
            "duree_hebdo_minutes": self.weekly_minutes,
            "part_temps_plein": str(self.share),
            "periodes": [
                {
                    "annee": p.line.annee,
                    "periode": p.line.periode,
                    "du": p.line.du.isoformat(),
                    "au": p.line.au.isoformat(),
                    "taux_minimum": p.line.taux,
                    "reference": p.line.reference,
                    "motif": p.line.motif,
                    "salaire_brut_mensuel_minimum": _money(p.mensuel),
                    "total_brut_minimum": _money(p.total),
                    "tranches": [
                        {
                            "du": piece.du.isoformat(),
                            "au": piece.au.isoformat(),
                            "reference": piece.reference,
                            "base_mensuelle_35h": _money(piece.base),
                            "smic_en_vigueur_depuis": piece.smic.since.isoformat(),
                            "salaire_brut_mensuel_minimum": _money(piece.mensuel),
                            "total_brut_minimum": _money(piece.total),
                        }
                        for piece in p.pieces
                    ],
                }
                for p in self.periods
            ],
            "total_brut_minimum": _money(self.total),
            "smic_connu_jusqu_au": self.last_known.since.isoformat(),
            "notes": self.sentences(),
        }


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def fr_hours(minutes: int) -> str:
    """2100 → "35 heures", 1710 → "28 h 30"."""
    hours, rest = divmod(minutes, 60)
    return f"{hours} heures" if not rest else f"{hours} h {rest:02d}"


def _revaluation_sentence(period: PeriodCost, piece: Piece) -> str:
    line = period.line
    where = " à Mayotte" if piece.smic.mayotte else ""
    return (
        f"Le SMIC{where} est revalorisé le {format_fr(piece.smic.since)}, pendant la période "
        f"du {format_fr(line.du)} au {format_fr(line.au)} : son montant mensuel "
        f"({fr_euros(period.mensuel)}) est calculé sur le {line.reference} en vigueur le "
        f"premier jour ({fr_euros(line.base)}), puis le minimum passe à "
        f"{fr_euros(piece.mensuel)} à partir du {format_fr(piece.du)} "
        f"({fr_taux(line.taux)} % de {fr_euros(piece.base)}, {piece.reference} revalorisé). "
        "Le salaire minimum de l'apprenti est un pourcentage du SMIC : il suit chaque "
        f"revalorisation dès sa date d'effet ({REVALUATION_SOURCE}). Le total en tient compte."
    )


# -- computing ---------------------------------------------------------------------------


def compute_costs(grid: Grid, weekly_minutes: int | None) -> Costs:
    """The minimum gross pay of each line of ``grid`` for a week of ``weekly_minutes``."""
    share = full_time_share(weekly_minutes)
    periods = tuple(PeriodCost(line, _pieces(grid, line, share)) for line in grid.lines)
    last_known = smic_entry(latest_revaluation(), grid.inputs.mayotte)
    return Costs(grid, weekly_minutes, share, periods, last_known)


def costs_for(d: Dossier) -> Costs | None:
    """The dossier's minimum costs, or None while its grid cannot be computed."""
    grid = grid_for(d)
    if grid is None:
        return None
    return compute_costs(grid, d.contrat.duree_hebdo.total_minutes)


def _pieces(grid: Grid, line: GridLine, share: Decimal) -> tuple[Piece, ...]:
    mayotte = grid.inputs.mayotte
    smc = grid.inputs.smc
    first = smic_entry(line.du, mayotte)
    # The first piece is the CERFA's line as it is: its base on its first day.
    starts: list[tuple[datetime.date, str, Decimal, Smic]] = [
        (line.du, line.reference, line.base, first)
    ]
    for smic in _revaluations_inside(line.du, line.au, mayotte):
        if line.reference == "SMC" and smc is not None and smc > smic.monthly:
            reference, base = "SMC", smc  # the SMC, still higher, stays the base
        else:
            reference, base = "SMIC", smic.monthly
        if exact_amount(line.taux, base, share) != exact_amount(line.taux, starts[-1][2], share):
            starts.append((smic.since, reference, base, smic))
    pieces = []
    for i, (du, reference, base, smic) in enumerate(starts):
        au = starts[i + 1][0] - ONE_DAY if i + 1 < len(starts) else line.au
        mensuel = ceil_cent(exact_amount(line.taux, base, share))
        pieces.append(Piece(du, au, reference, base, smic, mensuel, gross(mensuel, du, au)))
    return tuple(pieces)


def _revaluations_inside(du: datetime.date, au: datetime.date, mayotte: bool) -> list[Smic]:
    """The SMIC values that take effect after ``du`` and on or before ``au``, oldest first."""
    found = []
    day = au
    while True:
        smic = smic_entry(day, mayotte)
        if smic.since <= du:
            break
        found.append(smic)
        day = smic.since - ONE_DAY
    return found[::-1]


def gross(mensuel: Decimal, du: datetime.date, au: datetime.date) -> Decimal:
    """Gross pay from ``du`` to ``au`` (both included) at ``mensuel`` a month: whole
    calendar months at the monthly amount, a month covered in part at its prorata of
    calendar days, rounded up to the cent."""
    total = Decimal(0)
    day = du
    while day <= au:
        days_in_month = calendar.monthrange(day.year, day.month)[1]
        last = min(au, day.replace(day=days_in_month))
        days = (last - day).days + 1
        if days == days_in_month:
            total += mensuel
        else:
            total += ceil_cent(mensuel * days / days_in_month)
        day = last + ONE_DAY
    return total
