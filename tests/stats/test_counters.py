"""The counters themselves: names, buffering, batched writes that add up."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import DatabaseError, connection

from cerfa.stats import count, counters
from cerfa.stats.models import DailyCount
from cerfa.stats.names import batch_bucket
from tests.stats.conftest import totals

# Every test here may write: marked, so that tests/postgres.py runs them on PostgreSQL too.
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name", ["", "Accueil", "accueil.", "a b", "constat.<script>", "x" * 101, "é.t"]
)
def test_only_code_constants_are_counter_names(name):
    with pytest.raises(ValueError):
        count(name)
    assert counters.pending() == {}


def test_a_count_waits_in_memory_until_flushed(django_assert_num_queries):
    with django_assert_num_queries(0):
        count("accueil")
        count("accueil")
        count("telechargement.pdf", 3)
    assert DailyCount.objects.count() == 0
    assert totals() == {"accueil": 2, "telechargement.pdf": 3}
    assert counters.pending() == {}
    count("accueil")
    assert totals() == {"accueil": 3, "telechargement.pdf": 3}
    (row,) = DailyCount.objects.filter(name="accueil")
    assert row.day == datetime.date.today() and row.value == 3


def test_counts_only_grow():
    with pytest.raises(ValueError):
        count("accueil", 0)


def test_a_database_that_does_not_answer_keeps_the_counts_for_later(monkeypatch, caplog):
    def broken(batch):
        raise DatabaseError("down")

    count("accueil", 2)
    monkeypatch.setattr(counters, "_write", broken)
    assert counters.flush() == 0
    assert "1 counters not written yet (DatabaseError)" in caplog.text
    monkeypatch.undo()
    assert totals() == {"accueil": 2}


def test_pending_counters_are_bounded(settings, caplog):
    settings.CERFA_STATS_MAX_PENDING = 2
    count("accueil")
    count("contrat.commence")
    count("contrat.repris", 5)  # a third counter: no room, dropped
    count("accueil")  # already there: still counted
    assert totals() == {"accueil": 2, "contrat.commence": 1}
    assert "5 counts dropped" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_two_processes_flushing_the_same_counter_at_once_both_count():
    """Two writers, each with its own connection, add to the same new row at once: the
    F() update or the insert that loses its race (then updates): 2, never 1."""
    barrier = threading.Barrier(2)
    errors = []

    def writer():
        try:
            barrier.wait(5)
            counters._write({(datetime.date(2026, 1, 5), "telechargement.pdf"): 1})
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    for _ in range(5):
        threads = [threading.Thread(target=writer) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
    assert errors == []
    assert DailyCount.objects.get(name="telechargement.pdf").value == 10


@pytest.mark.django_db(transaction=True)
def test_counts_from_many_threads_are_all_written_once():
    def many():
        for _ in range(200):
            count("telechargement.json")
        counters.flush()
        connection.close()

    threads = [threading.Thread(target=many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert totals() == {"telechargement.json": 800}


def test_the_flushing_thread_writes_on_its_timer(settings, monkeypatch):
    written = []
    monkeypatch.setattr(counters, "_write", lambda batch: written.append(dict(batch)))
    flusher = counters._Flusher(1)
    count("accueil")
    flusher.start()
    try:
        for _ in range(50):
            if written:
                break
            threading.Event().wait(0.1)
    finally:
        flusher.stopping.set()
        flusher.join(5)
    assert [list(batch.values()) for batch in written] == [[1]]


@pytest.mark.parametrize(
    ("size", "bucket"),
    [(1, "1"), (2, "2-10"), (10, "2-10"), (11, "11-50"), (200, "51-200"), (2000, "201-2000")],
)
def test_batch_sizes_fall_in_one_bucket(size, bucket):
    assert batch_bucket(size) == bucket
    assert batch_bucket(2001) == "2001-plus"
    with pytest.raises(ValueError):
        batch_bucket(0)
