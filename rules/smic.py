"""The SMIC in force on a given day, in metropolitan France (and the DOM) or in Mayotte.

The values live in ``rules/data/smic.json`` with their effective dates (2019 onwards: the
apprentice grid of C. trav. art. D6222-26 applies to contracts concluded from 1 January
2019). The file is read once per process, on first use.

Mayotte has its own, lower SMIC (C. trav. art. L3423-1 ff.); every other overseas
département uses the national one. The value that applies to an apprenticeship contract is
the one of the place where the contract is performed: the employer's establishment, whose
address the CERFA carries.

A day after the last known revaluation gets the last known value: it is the best available
figure, and the wizard says on which SMIC its amounts are based.
"""

from __future__ import annotations

import datetime
import functools
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "smic.json"

# Official monthly convention: 35 hours a week × 52 weeks / 12 months.
HOURS_PER_MONTH = Decimal(35 * 52) / Decimal(12)


@dataclass(frozen=True)
class Smic:
    """One SMIC value: hourly and monthly gross (35 h a week), and since when."""

    since: datetime.date
    hourly: Decimal
    monthly: Decimal
    mayotte: bool


class SmicUnknown(LookupError):
    """No SMIC value is known for that day (before the first entry of the data file)."""


@dataclass(frozen=True)
class _Entry:
    since: datetime.date
    hourly: Decimal
    monthly: Decimal
    minimum_garanti: Decimal
    mayotte_hourly: Decimal
    mayotte_monthly: Decimal


@functools.cache
def _table() -> tuple[_Entry, ...]:
    """The data file, parsed once per process, oldest first."""
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    entries = tuple(
        _Entry(
            since=datetime.date.fromisoformat(item["depuis"]),
            hourly=Decimal(item["horaire"]),
            monthly=Decimal(item["mensuel"]),
            minimum_garanti=Decimal(item["minimum_garanti"]),
            mayotte_hourly=Decimal(item["mayotte_horaire"]),
            mayotte_monthly=Decimal(item["mayotte_mensuel"]),
        )
        for item in raw["smic"]
    )
    if list(entries) != sorted(entries, key=lambda e: e.since):
        raise ValueError(f"{DATA_FILE}: the entries must be in date order")
    return entries


def _entry_on(day: datetime.date) -> _Entry:
    table = _table()
    if day < table[0].since:
        raise SmicUnknown(f"Aucune valeur du SMIC n'est connue avant le {table[0].since:%d/%m/%Y}.")
    found = table[0]
    for entry in table:
        if entry.since <= day:
            found = entry
        else:
            break
    return found


def smic_entry(day: datetime.date, mayotte: bool = False) -> Smic:
    """The SMIC in force on ``day``, with its effective date."""
    entry = _entry_on(day)
    if mayotte:
        return Smic(entry.since, entry.mayotte_hourly, entry.mayotte_monthly, True)
    return Smic(entry.since, entry.hourly, entry.monthly, False)


def smic_on(day: datetime.date, mayotte: bool = False) -> tuple[Decimal, Decimal]:
    """(hourly, monthly for 35 h a week) gross SMIC in force on ``day``."""
    smic = smic_entry(day, mayotte)
    return smic.hourly, smic.monthly


def minimum_garanti_on(day: datetime.date) -> Decimal:
    """The minimum garanti (MG) in force on ``day``: one meal's value in hotels, cafés and
    restaurants (C. séc. soc. and arrêté du 10 décembre 2002, art. 3)."""
    return _entry_on(day).minimum_garanti


def latest_revaluation() -> datetime.date:
    """Effective date of the newest value of the data file."""
    return _table()[-1].since


def is_mayotte(code_postal: str | None) -> bool:
    """True when a postal code is in Mayotte (976xx)."""
    if not code_postal:
        return False
    code = code_postal.strip()
    return len(code) == 5 and code.isascii() and code.isdigit() and code.startswith("976")
