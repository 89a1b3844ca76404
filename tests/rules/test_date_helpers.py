"""rules/dates.py: ages, months and working days, with their boundaries on both sides."""

import datetime

import pytest

from rules.dates import (
    add_jours_ouvrables,
    add_months,
    add_years,
    age_on,
    anniversary,
    days_inclusive,
    easter_sunday,
    first_of_next_month,
    is_jour_ouvrable,
    jours_feries,
    period_end,
    whole_months,
)

D = datetime.date


class TestAgeOn:
    def test_day_before_birthday(self):
        assert age_on(D(2008, 5, 14), D(2026, 5, 13)) == 17

    def test_on_birthday(self):
        assert age_on(D(2008, 5, 14), D(2026, 5, 14)) == 18

    def test_born_29_february_common_year(self):
        born = D(2008, 2, 29)
        assert age_on(born, D(2026, 2, 28)) == 17
        assert age_on(born, D(2026, 3, 1)) == 18

    def test_born_29_february_leap_year(self):
        born = D(2008, 2, 29)
        assert age_on(born, D(2028, 2, 28)) == 19
        assert age_on(born, D(2028, 2, 29)) == 20

    def test_before_birth_is_negative(self):
        assert age_on(D(2030, 1, 1), D(2029, 12, 31)) == -1


class TestAnniversary:
    @pytest.mark.parametrize("born", [D(2008, 5, 14), D(2008, 2, 29), D(2000, 12, 31)])
    @pytest.mark.parametrize("age", [15, 16, 18, 30, 36])
    def test_consistent_with_age_on(self, born, age):
        day = anniversary(born, age)
        assert age_on(born, day) == age
        assert age_on(born, day - datetime.timedelta(days=1)) == age - 1

    def test_29_february_in_common_year_is_1_march(self):
        assert anniversary(D(2008, 2, 29), 18) == D(2026, 3, 1)


class TestAddMonths:
    def test_same_day_number(self):
        assert add_months(D(2027, 9, 1), 3) == D(2027, 12, 1)

    def test_crosses_year(self):
        assert add_months(D(2027, 11, 15), 3) == D(2028, 2, 15)

    def test_short_month_takes_last_day(self):
        assert add_months(D(2027, 8, 31), 6) == D(2028, 2, 29)
        assert add_months(D(2026, 8, 31), 6) == D(2027, 2, 28)
        assert add_months(D(2027, 1, 31), 3) == D(2027, 4, 30)

    def test_negative(self):
        assert add_months(D(2027, 9, 1), -3) == D(2027, 6, 1)
        assert add_months(D(2027, 3, 31), -1) == D(2027, 2, 28)

    def test_add_years_from_29_february(self):
        assert add_years(D(2028, 2, 29), 1) == D(2029, 2, 28)
        assert add_years(D(2028, 2, 29), 4) == D(2032, 2, 29)


class TestPeriodEnd:
    def test_six_months_from_1_september_2027_ends_29_february_2028(self):
        assert period_end(D(2027, 9, 1), 6) == D(2028, 2, 29)

    def test_three_years(self):
        assert period_end(D(2027, 9, 1), 36) == D(2030, 8, 31)

    def test_from_1_march(self):
        assert period_end(D(2028, 3, 1), 6) == D(2028, 8, 31)


class TestWholeMonths:
    def test_exactly_six_months(self):
        assert whole_months(D(2027, 9, 1), D(2028, 2, 29)) == 6

    def test_one_day_short(self):
        assert whole_months(D(2027, 9, 1), D(2028, 2, 28)) == 5

    def test_mid_month(self):
        assert whole_months(D(2027, 9, 15), D(2028, 3, 14)) == 6
        assert whole_months(D(2027, 9, 15), D(2028, 3, 13)) == 5

    def test_reversed_or_short(self):
        assert whole_months(D(2027, 9, 15), D(2027, 9, 1)) == 0
        assert whole_months(D(2027, 9, 1), D(2027, 9, 29)) == 0

    def test_days_inclusive(self):
        assert days_inclusive(D(2027, 9, 1), D(2027, 9, 1)) == 1
        assert days_inclusive(D(2027, 9, 1), D(2028, 8, 31)) == 366
        assert days_inclusive(D(2027, 9, 2), D(2027, 9, 1)) == 0


class TestJoursOuvrables:
    @pytest.mark.parametrize(
        ("year", "easter"),
        [
            (2024, D(2024, 3, 31)),
            (2025, D(2025, 4, 20)),
            (2026, D(2026, 4, 5)),
            (2027, D(2027, 3, 28)),
            (2038, D(2038, 4, 25)),
        ],
    )
    def test_easter(self, year, easter):
        assert easter_sunday(year) == easter

    def test_eleven_holidays(self):
        holidays = jours_feries(2027)
        assert len(holidays) == 11
        assert D(2027, 3, 29) in holidays  # lundi de Pâques
        assert D(2027, 5, 6) in holidays  # Ascension
        assert D(2027, 5, 17) in holidays  # lundi de Pentecôte

    def test_saturday_counts_sunday_does_not(self):
        assert is_jour_ouvrable(D(2027, 9, 4))  # a Saturday
        assert not is_jour_ouvrable(D(2027, 9, 5))  # a Sunday
        assert not is_jour_ouvrable(D(2027, 11, 11))

    def test_five_jours_ouvrables(self):
        # Wednesday 1 September 2027: Thu 2, Fri 3, Sat 4, (Sun 5), Mon 6, Tue 7.
        assert add_jours_ouvrables(D(2027, 9, 1), 5) == D(2027, 9, 7)

    def test_skips_holidays(self):
        # Monday 8 November 2027: Tue 9, Wed 10, (Thu 11 holiday), Fri 12, Sat 13, Mon 15.
        assert add_jours_ouvrables(D(2027, 11, 8), 5) == D(2027, 11, 15)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2028, 3, 15), D(2028, 4, 1)),
        (D(2028, 3, 1), D(2028, 4, 1)),
        (D(2028, 1, 31), D(2028, 2, 1)),
        (D(2027, 12, 31), D(2028, 1, 1)),
    ],
)
def test_first_of_next_month(day, expected):
    assert first_of_next_month(day) == expected


def test_format_fr():
    from rules.dates import format_fr

    assert format_fr(D(2027, 9, 1)) == "01/09/2027"
