"""rules/smic.py and rules/data/smic.json: the SMIC in force on a day, métropole or Mayotte.

Expected values are those of the project's reference (cerfa-10103-14-codes-and-rules.md §4),
typed here by hand.
"""

import datetime
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from rules import smic
from rules.smic import (
    SmicUnknown,
    is_mayotte,
    latest_revaluation,
    minimum_garanti_on,
    smic_entry,
    smic_on,
)

D = datetime.date


@pytest.mark.parametrize(
    ("day", "hourly", "monthly"),
    [
        (D(2019, 1, 1), "10.03", "1521.22"),
        (D(2021, 9, 30), "10.25", "1554.58"),
        (D(2021, 10, 1), "10.48", "1589.47"),
        (D(2022, 5, 1), "10.85", "1645.58"),
        (D(2023, 4, 30), "11.27", "1709.28"),
        (D(2024, 10, 31), "11.65", "1766.92"),
        (D(2024, 11, 1), "11.88", "1801.80"),
        # No revaluation in 2025: the 1 November 2024 value holds until the end of 2025.
        (D(2025, 12, 31), "11.88", "1801.80"),
        (D(2026, 1, 1), "12.02", "1823.03"),
    ],
)
def test_metropole(day, hourly, monthly):
    assert smic_on(day) == (Decimal(hourly), Decimal(monthly))


@pytest.mark.parametrize(
    ("day", "hourly", "monthly"),
    [
        (D(2019, 6, 1), "7.57", "1148.12"),
        (D(2022, 8, 1), "8.35", "1266.42"),
        (D(2025, 6, 1), "8.98", "1361.97"),
        (D(2026, 1, 1), "9.33", "1415.05"),
    ],
)
def test_mayotte(day, hourly, monthly):
    assert smic_on(day, mayotte=True) == (Decimal(hourly), Decimal(monthly))


def test_a_day_after_the_last_revaluation_gets_the_last_value():
    assert latest_revaluation() == D(2026, 1, 1)
    assert smic_on(D(2029, 6, 15)) == (Decimal("12.02"), Decimal("1823.03"))
    entry = smic_entry(D(2029, 6, 15), mayotte=True)
    assert (entry.since, entry.monthly, entry.mayotte) == (D(2026, 1, 1), Decimal("1415.05"), True)


def test_before_2019_is_unknown():
    with pytest.raises(SmicUnknown, match="01/01/2019"):
        smic_on(D(2018, 12, 31))


def test_minimum_garanti():
    assert minimum_garanti_on(D(2025, 7, 1)) == Decimal("4.22")
    assert minimum_garanti_on(D(2026, 1, 1)) == Decimal("4.25")


def test_every_monthly_value_is_hourly_times_35_times_52_over_12():
    # The official convention, rounded to the cent; it caught two Mayotte values of the
    # reference generator (2021) that did not follow it.
    data = json.loads(smic.DATA_FILE.read_text(encoding="utf-8"))["smic"]
    for row in data:
        for hourly, monthly in (("horaire", "mensuel"), ("mayotte_horaire", "mayotte_mensuel")):
            expected = (Decimal(row[hourly]) * 35 * 52 / 12).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
            assert Decimal(row[monthly]) == expected, (row["depuis"], monthly)


def test_dates_are_in_order_and_start_in_2019():
    days = [row["depuis"] for row in json.loads(smic.DATA_FILE.read_text("utf-8"))["smic"]]
    assert days[0] == "2019-01-01"
    assert days == sorted(set(days))


def test_the_file_is_read_once_per_process(monkeypatch):
    reads = []
    original = Path.read_text

    def counting(self, *args, **kwargs):
        if self == smic.DATA_FILE:
            reads.append(self)
        return original(self, *args, **kwargs)

    smic._table.cache_clear()
    monkeypatch.setattr(Path, "read_text", counting)
    for month in range(1, 13):
        smic_on(D(2024, month, 1))
        smic_on(D(2024, month, 1), mayotte=True)
    assert len(reads) == 1


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("97600", True),
        ("97680", True),
        (" 97615 ", True),
        ("97400", False),
        ("69002", False),
        ("976", False),
        ("", False),
        (None, False),
    ],
)
def test_is_mayotte(code, expected):
    assert is_mayotte(code) is expected
