"""Calendar arithmetic for the rules: ages, months, durations, working days.

The Code du travail counts the apprentice's age in years *révolus* (completed) and most
of its delays in calendar months. These helpers fix, once, what those words mean here, so
that every rule computes the same boundary the same way:

- **Age** (``age_on``): completed years. A person turns one year older on the day whose
  month and day equal those of the birth date. Someone born on 29 February turns one
  year older on 1 March in a common year: they have not completed the year on
  28 February (the 29th does not exist, so the anniversary has not been reached).
- **"n months after D"** (``add_months``): the day of month n after D with the same day
  number; when that month is too short, its last day (the rule of the Code de procédure
  civile, art. 641, for delays counted in months). 31 August + 6 months = 28 February
  (29 in a leap year).
- **"A period of n months starting on D"** (``period_end``): the period includes its first
  day and is followed, on ``next_period_start(D, n)``, by the day with the same number n
  months later; when that month is too short (a period starting on the 29th, 30th or 31st),
  by the first day of the month after it, so that the period ends on the last day of the
  short month. A contract of exactly 6 months starting on 1 September 2027 ends on
  29 February 2028; one starting on 1 March 2028 ends on 31 August 2028; one year starting
  on 29 February 2028 ends on 28 February 2029 and the next one starts on 1 March 2029
  (never on 28 February, which would make the first year one day short and, three years
  on, leave a one-day fourth year). A contract "lasts at least n months" when its last day
  is on or after ``period_end(start, n)``, and "at most n months" when its last day is on
  or before that same day. Contract years and birthdays follow the same rule
  (``anniversary``): a 29 February comes back on 1 March in a common year.

Plain Python: no Django, no clock (the caller passes "today").
"""

from __future__ import annotations

import calendar
import datetime

ONE_DAY = datetime.timedelta(days=1)


def age_on(birth: datetime.date, day: datetime.date) -> int:
    """Completed years (« ans révolus ») of someone born on ``birth``, on ``day``.

    Negative when ``day`` is before the birth (the caller decides what that means).
    """
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day number ``months`` calendar months later (or earlier when negative),
    or the last day of that month when it is too short."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def add_years(day: datetime.date, years: int) -> datetime.date:
    """``add_months`` by whole years, for a delay: 29 February + 1 year = 28 February (the
    delay expires on the last day of the month). A period's years use ``anniversary``."""
    return add_months(day, 12 * years)


def first_of_next_month(day: datetime.date) -> datetime.date:
    """The first day of the month after ``day``'s (« le premier jour du mois suivant »,
    D6222-31: when a new age bracket's pay starts)."""
    return add_months(day.replace(day=1), 1)


def next_period_start(start: datetime.date, months: int) -> datetime.date:
    """The first day after a period of ``months`` months whose first day is ``start``: the
    same day number ``months`` months later or, when that month is too short, the first
    day of the month after it (29 February + 12 months = 1 March in a common year)."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if start.day > calendar.monthrange(year, month)[1]:
        return first_of_next_month(datetime.date(year, month, 1))
    return datetime.date(year, month, start.day)


def period_end(start: datetime.date, months: int) -> datetime.date:
    """Last day of a period of ``months`` months whose first day is ``start``."""
    return next_period_start(start, months) - ONE_DAY


def anniversary(birth: datetime.date, age: int) -> datetime.date:
    """The day someone born on ``birth`` reaches ``age`` completed years.

    For a birth on 29 February and a common target year, that is 1 March (see the module
    docstring), so that ``age_on(birth, anniversary(birth, n)) == n`` always holds and the
    day before gives ``n - 1``. The same day starts a contract's year ``n + 1``.
    """
    return next_period_start(birth, 12 * age)


def whole_months(start: datetime.date, end_inclusive: datetime.date) -> int:
    """Number of complete months in the period from ``start`` to ``end_inclusive``
    (both days included); 0 when the period is shorter than a month or empty."""
    if end_inclusive < start:
        return 0
    # The month difference, plus one, is never below the answer (a period ending on the
    # last day of a month holds that month): step back until the period fits.
    months = (end_inclusive.year - start.year) * 12 + (end_inclusive.month - start.month) + 1
    while months > 0 and period_end(start, months) > end_inclusive:
        months -= 1
    return months


def days_inclusive(start: datetime.date, end_inclusive: datetime.date) -> int:
    """Number of days from ``start`` to ``end_inclusive``, both included (0 if reversed)."""
    return max((end_inclusive - start).days + 1, 0)


# -- jours ouvrables -------------------------------------------------------------------


def easter_sunday(year: int) -> datetime.date:
    """Easter Sunday of the Gregorian calendar (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def jours_feries(year: int) -> frozenset[datetime.date]:
    """The eleven public holidays of C. trav. art. L3133-1 for ``year``.

    Alsace-Moselle adds Good Friday and 26 December (C. trav. art. L3134-13); they are not
    included, so a deadline computed here is never later than the local one.
    """
    easter = easter_sunday(year)
    return frozenset(
        {
            datetime.date(year, 1, 1),
            easter + datetime.timedelta(days=1),  # lundi de Pâques
            datetime.date(year, 5, 1),
            datetime.date(year, 5, 8),
            easter + datetime.timedelta(days=39),  # Ascension
            easter + datetime.timedelta(days=50),  # lundi de Pentecôte
            datetime.date(year, 7, 14),
            datetime.date(year, 8, 15),
            datetime.date(year, 11, 1),
            datetime.date(year, 11, 11),
            datetime.date(year, 12, 25),
        }
    )


def is_jour_ouvrable(day: datetime.date) -> bool:
    """Every day but Sunday and the public holidays (the French « jour ouvrable »)."""
    return day.weekday() != 6 and day not in jours_feries(day.year)


def add_jours_ouvrables(day: datetime.date, count: int) -> datetime.date:
    """The ``count``-th jour ouvrable after ``day`` (``day`` itself is not counted)."""
    current = day
    remaining = count
    while remaining > 0:
        current += ONE_DAY
        if is_jour_ouvrable(current):
            remaining -= 1
    return current


def format_fr(day: datetime.date) -> str:
    """A date as the CERFA writes it: DD/MM/YYYY."""
    return day.strftime("%d/%m/%Y")
