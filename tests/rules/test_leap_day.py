"""Contracts starting on 29 February (and around it): property tests over start dates.

A year of a contract starting on 29 February 2028 runs to 28 February 2029; the next one
starts on 1 March 2029 (``rules/dates.py``). Counting its anniversaries on 28 February
instead made the first year one day short, refused a three-year contract on its last
lawful day (28 February 2031) and gave it a one-day fourth year in the grid. These
properties hold for every start date, and the strategy draws 28 February, 29 February
and 1 March of leap and common years far more often than chance would.
"""

import calendar
import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.complete import complete
from rules.dates import (
    ONE_DAY,
    age_on,
    anniversary,
    next_period_start,
    period_end,
    whole_months,
)
from rules.engine import check
from rules.remuneration import GridInputs, compute_grid, contract_year, year_of

from .factories import TODAY, make, run

D = datetime.date


def _around_29_february(year: int) -> list[datetime.date]:
    days = [D(year, 2, 27), D(year, 2, 28), D(year, 3, 1)]
    if calendar.isleap(year):
        days.append(D(year, 2, 29))
    return days


LEAP_DAYS = [D(y, 2, 29) for y in (2020, 2024, 2028, 2032, 2036)]
AROUND = [day for y in range(2019, 2040) for day in _around_29_february(y)]
MONTH_ENDS = [D(y, m, calendar.monthrange(y, m)[1]) for y in (2027, 2028) for m in range(1, 13)]

starts = st.one_of(
    st.sampled_from(LEAP_DAYS),
    st.sampled_from(AROUND),
    st.sampled_from(MONTH_ENDS),
    st.dates(D(2019, 1, 1), D(2040, 12, 31)),
)
# Apprentices aged 15 to 40 at the start, born on any day, leap days included.
births = st.one_of(
    st.sampled_from(LEAP_DAYS[:1] + [D(2008, 2, 29), D(2004, 2, 29)]),
    st.dates(D(1990, 1, 1), D(2012, 12, 31)),
)


def last_day(start: datetime.date, months: int) -> datetime.date:
    """An independent statement of a period's last day: the day a delay of ``months``
    months counted from the eve of its first day expires (C. proc. civ. art. 641: the day
    with the same number, or the last day of the month when there is none); a period
    starting on the 1st ends on the last day of a month."""
    if start.day == 1:
        index = start.year * 12 + start.month - 1 + months - 1
        year, month = divmod(index, 12)
        return D(year, month + 1, calendar.monthrange(year, month + 1)[1])
    eve = start - ONE_DAY
    index = eve.year * 12 + eve.month - 1 + months
    year, month = divmod(index, 12)
    return D(year, month + 1, min(eve.day, calendar.monthrange(year, month + 1)[1]))


def test_the_leap_day_cases_by_hand():
    start = D(2028, 2, 29)
    assert contract_year(start, D(2031, 2, 28), 1) == (D(2028, 2, 29), D(2029, 2, 28))
    assert contract_year(start, D(2031, 2, 28), 2) == (D(2029, 3, 1), D(2030, 2, 28))
    assert contract_year(start, D(2031, 2, 28), 3) == (D(2030, 3, 1), D(2031, 2, 28))
    assert period_end(start, 36) == D(2031, 2, 28)
    # Four years on, 2032 is a leap year: the fourth year ends on 28 February 2032 and a
    # fifth would start on 29 February 2032.
    assert anniversary(start, 4) == D(2032, 2, 29)
    # A month-end start: six months from 31 August end on the last day of February.
    assert period_end(D(2027, 8, 31), 6) == D(2028, 2, 29)
    assert period_end(D(2026, 8, 31), 6) == D(2027, 2, 28)


@given(starts, st.integers(1, 60))
def test_a_period_ends_where_a_delay_from_its_eve_expires(start, months):
    assert period_end(start, months) == last_day(start, months)


@given(starts, st.integers(1, 48))
def test_a_period_is_followed_by_its_next_start(start, months):
    following = next_period_start(start, months)
    assert following > start
    assert period_end(start, months) == following - ONE_DAY
    # One more month always moves the next start forward: periods never shrink.
    assert next_period_start(start, months + 1) > following
    # Same day number, or the 1st of the next month when that day does not exist.
    assert following.day in (start.day, 1)


@given(starts, st.integers(1, 48))
def test_whole_months_counts_a_period_of_n_months_exactly(start, months):
    end = last_day(start, months)
    assert whole_months(start, end) == months
    assert whole_months(start, end - ONE_DAY) == months - 1


@given(starts, st.integers(1, 5))
def test_every_contract_year_is_a_whole_year(start, years):
    end = last_day(start, 12 * years)
    spans = [contract_year(start, end, k) for k in range(1, years + 1)]
    assert spans[0][0] == start and spans[-1][1] == end
    for (_first, last), (nxt, _) in zip(spans, spans[1:], strict=False):
        assert nxt == last + ONE_DAY
    for first, last in spans:
        assert (last - first).days + 1 in (365, 366)
        assert year_of(start, first) == year_of(start, last)
    # The day after the end would open a new year: no year is left with a single day.
    assert year_of(start, end + ONE_DAY) == years + 1


@given(births, st.integers(1, 60))
def test_age_turns_on_the_anniversary_only(birth, age):
    day = anniversary(birth, age)
    assert age_on(birth, day) == age
    assert age_on(birth, day - ONE_DAY) == age - 1


@given(births, starts, st.integers(1, 4), st.integers(0, 40))
def test_the_grid_has_one_line_per_year_and_period_and_covers_every_day(
    birth, start, years, shorter
):
    end = last_day(start, 12 * years) - datetime.timedelta(days=shorter)
    if not D(2019, 1, 1) <= start or age_on(birth, start) < 15 or end < start:
        return
    grid = compute_grid(GridInputs(birth, start, end))
    lines = grid.lines
    assert lines[0].du == start and lines[-1].au == end
    for before, after in zip(lines, lines[1:], strict=False):
        assert after.du == before.au + ONE_DAY
    assert len({(g.annee, g.periode) for g in lines}) == len(lines)
    # A contract that stops short of its last anniversary has no extra year, and every
    # year but the last is whole.
    assert max(g.annee for g in lines) == years
    for k in range(1, years):
        first, last = contract_year(start, end, k)
        assert (last - first).days + 1 in (365, 366)


@given(
    st.sampled_from(LEAP_DAYS[1:]) | st.sampled_from(AROUND[20:]), st.sampled_from([6, 12, 24, 36])
)
def test_contract_duration_boundaries_on_both_sides(start, months):
    base = {
        "contrat.date_conclusion": start - datetime.timedelta(days=5),
        "contrat.date_debut_execution": start,
        "contrat.date_debut_formation_pratique": start,
        "formation.date_debut_cfa": start,
    }
    longest = last_day(start, 36)
    shortest = last_day(start, 6)
    assert run("contrat.duree", make({**base, "contrat.date_fin": longest})) == []
    assert run("contrat.duree", make({**base, "contrat.date_fin": shortest})) == []
    assert len(run("contrat.duree", make({**base, "contrat.date_fin": longest + ONE_DAY}))) == 1
    assert len(run("contrat.duree", make({**base, "contrat.date_fin": shortest - ONE_DAY}))) == 1
    end = last_day(start, months)
    assert run("contrat.duree", make({**base, "contrat.date_fin": end})) == []


@settings(max_examples=25, deadline=None)
@given(
    st.sampled_from(LEAP_DAYS[2:5]) | st.sampled_from(_around_29_february(2029)),
    st.sampled_from([12, 24, 36]),
)
def test_a_lawful_contract_around_29_february_gets_no_error(start, months):
    """The whole rule set, after ``complete`` fills the grid: no error, whatever the leap
    day does to the anniversaries, on the last lawful day of the contract."""
    end = last_day(start, months)
    changes = {
        "contrat.remunerations": [],
        "contrat.salaire_brut_embauche": None,
        "contrat.date_conclusion": start - datetime.timedelta(days=5),
        "contrat.date_debut_execution": start,
        "contrat.date_debut_formation_pratique": start,
        "formation.date_debut_cfa": start,
        "formation.date_fin_epreuves": end - datetime.timedelta(days=20),
        "contrat.date_fin": end,
        "formation.duree_heures": 450 * months // 12 + 1,
    }
    dossier, _ = complete(make(changes))
    today = min(TODAY, start - datetime.timedelta(days=1))
    errors = [f.as_line() for f in check(dossier, today=today) if f.level == "error"]
    assert errors == []
    assert len({line.annee for line in dossier.contrat.remunerations}) == months // 12
