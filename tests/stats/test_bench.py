"""The statistics' bench measures what it says, checked without judging any timing."""

from __future__ import annotations

import datetime

from cerfa.stats import bench, counters


def test_count_is_measured_without_leaving_counts_behind():
    assert bench.count_us(calls=100) > 0
    assert counters.pending() == {}


def test_counting_a_download_is_measured_against_filling_it():
    counting, filling = bench.download_ms(rounds=2)
    assert counting > 0 and filling > 0
    assert counters.pending() == {}


def test_writing_counters_is_measured_in_a_process_and_database_of_its_own(tmp_path):
    assert bench.flush_ms(counters_written=3) > 0


def test_the_day_is_worked_out_again_after_a_second(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(counters.time, "monotonic", lambda: clock[0])
    days = iter([datetime.date(2026, 12, 1), datetime.date(2026, 12, 2)])
    monkeypatch.setattr(counters.timezone, "localdate", lambda: next(days))
    monkeypatch.setattr(counters, "_day", None)
    assert counters._today() == datetime.date(2026, 12, 1)
    clock[0] += 0.5
    assert counters._today() == datetime.date(2026, 12, 1)  # within the second: kept
    clock[0] += 0.6
    assert counters._today() == datetime.date(2026, 12, 2)
