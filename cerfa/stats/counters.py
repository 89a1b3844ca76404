"""Counting without slowing a page: a total in memory, written to the database in batches.

``count(name)`` adds to this process's pending total of today's counter: a lock and a
dictionary update, a few microseconds (``python -m cerfa.stats.bench``). A thread of the
process writes the pending totals every ``CERFA_STATS_FLUSH_SECONDS`` and once more when
the process stops normally (``atexit``: uvicorn stops on SIGINT and SIGTERM by ending the
interpreter). Each total is added to its row with one ``UPDATE … SET value = value + n``
(an ``F()`` expression), or the row is created: two processes writing the same counter at
once both count. A process that crashes (killed, out of memory) loses what it had not
written yet: at most ``CERFA_STATS_FLUSH_SECONDS`` of counts. (uvicorn ends a process on
SIGTERM by raising the signal again once it has shut down, which skips ``atexit``: the
ASGI application's lifespan shutdown writes the counts first, ``cerfa/stats/asgi.py``.) A database that does not
answer loses nothing at once: the totals wait for the next flush, within
``CERFA_STATS_MAX_PENDING`` counters; past that, the new ones are dropped and the number
dropped is logged (never a name the user typed: names are constants of the code).
"""

from __future__ import annotations

import atexit
import datetime
import logging
import os
import threading
import time

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from cerfa.stats.names import is_valid

logger = logging.getLogger("cerfa.stats")

_lock = threading.Lock()
_pending: dict[tuple[datetime.date, str], int] = {}
_dropped = 0
_flusher: _Flusher | None = None
_flusher_pid: int | None = None


def count(name: str, amount: int = 1) -> None:
    """Add ``amount`` to today's total of ``name`` (a constant: see cerfa/stats/names.py)."""
    global _dropped
    if not is_valid(name):
        raise ValueError(f"not a counter name: {name!r}")
    if amount < 1:
        raise ValueError("a count only grows")
    key = (_today(), name)
    with _lock:
        if key in _pending:
            _pending[key] += amount
        elif len(_pending) < settings.CERFA_STATS_MAX_PENDING:
            _pending[key] = amount
        else:
            _dropped += amount
    if _flusher_pid != os.getpid():
        _start_flusher()


_day: datetime.date | None = None
_day_until = 0.0


def _today() -> datetime.date:
    """Today in Europe/Paris, worked out at most once a second: the time zone's
    conversion is most of what a count would cost otherwise."""
    global _day, _day_until
    now = time.monotonic()
    if _day is None or now >= _day_until:
        _day, _day_until = timezone.localdate(), now + 1.0
    return _day


def pending() -> dict[tuple[datetime.date, str], int]:
    """A copy of what is waiting to be written (for tests and the bench)."""
    with _lock:
        return dict(_pending)


def discard() -> None:
    """Forget what is waiting (tests)."""
    global _dropped
    with _lock:
        _pending.clear()
        _dropped = 0


def flush() -> int:
    """Write the pending totals now; how many counters were written. Never raises for the
    database: a failure keeps the totals for the next flush, and is logged."""
    global _dropped
    with _lock:
        batch = dict(_pending)
        _pending.clear()
        dropped, _dropped = _dropped, 0
    if dropped:
        logger.warning("statistics: %d counts dropped (too many counters waiting)", dropped)
    if not batch:
        return 0
    try:
        _write(batch)
    except DatabaseError as exc:
        logger.warning(
            "statistics: %d counters not written yet (%s)", len(batch), type(exc).__name__
        )
        _restore(batch)
        return 0
    return len(batch)


def _write(batch: dict[tuple[datetime.date, str], int]) -> None:
    from cerfa.stats.models import DailyCount

    with transaction.atomic():
        for (day, name), amount in sorted(batch.items()):
            rows = DailyCount.objects.filter(day=day, name=name)
            if rows.update(value=F("value") + amount):
                continue
            try:
                # Another process may create the row between the update and this insert:
                # then the insert fails alone (its savepoint) and the update is done again.
                with transaction.atomic():
                    DailyCount.objects.create(day=day, name=name, value=amount)
            except IntegrityError:
                rows.update(value=F("value") + amount)


def _restore(batch: dict[tuple[datetime.date, str], int]) -> None:
    global _dropped
    with _lock:
        for key, amount in batch.items():
            if key in _pending:
                _pending[key] += amount
            elif len(_pending) < settings.CERFA_STATS_MAX_PENDING:
                _pending[key] = amount
            else:
                _dropped += amount


class _Flusher(threading.Thread):
    def __init__(self, seconds: int):
        super().__init__(name="cerfa-stats-flush", daemon=True)
        self.seconds = seconds
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(self.seconds):
            self.flush_and_close()

    def flush_and_close(self) -> None:
        try:
            flush()
        except Exception as exc:  # noqa: BLE001 - the thread must outlive any surprise
            logger.error("statistics: flush failed (%s)", type(exc).__name__)
        finally:
            # This thread's connection (Django keeps one per thread): closed when it is
            # past its CONN_MAX_AGE or unusable, so that a restarted database is reached.
            connection.close_if_unusable_or_obsolete()

    def stop(self) -> None:
        self.stopping.set()
        flush()
        connection.close()


def _start_flusher() -> None:
    """The writing thread of this process, started with its first count (after a fork
    too: a child process writes its own counts, not its parent's)."""
    global _flusher, _flusher_pid
    with _lock:
        if _flusher_pid == os.getpid():
            return
        if _flusher_pid is not None:
            _pending.clear()  # the parent's totals: the parent writes them
        _flusher_pid = os.getpid()
        seconds = settings.CERFA_STATS_FLUSH_SECONDS
        if seconds == 0:
            return
        _flusher = _Flusher(seconds)
        _flusher.start()
    atexit.register(_flusher.stop)


def flush_at_shutdown() -> None:
    """Write what is pending as the server stops (in a thread of its own: its database
    connection is closed after)."""
    try:
        flush()
    finally:
        connection.close()
