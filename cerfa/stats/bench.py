"""The statistics' cost for ``make bench`` (issue 15: « writes never slow a page »).

- ``count()`` per call, on the request path: a lock and a dictionary update, never the
  database (target: 20 µs, a hundredth of the cheapest page).
- Counting a CERFA download: its quality share and finding codes need the rules' findings
  (``engine.check``), the one real cost on the request path, against filling the CERFA
  itself (target: no more than the filling).
- Writing a batch of counters (the flushing thread, off the request path): 100 counters
  into a fresh SQLite file, in a process of its own so that no real statistics are
  touched; its share of one core at the default period.

    python -m cerfa.stats.bench
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLE = ROOT / "tests" / "fixtures" / "dossiers" / "exemple.json"
COUNT_US = 20.0
CALLS = 100_000
ROUNDS = 30
FLUSHED = 100

# Run in a process of its own, on a fresh SQLite file: 100 counters, written 10 times.
_FLUSH = """
import os, sys, time, django
from django.core.management import call_command
django.setup()
call_command("migrate", verbosity=0)
from cerfa.stats import counters
timings = []
for round in range(10):
    for i in range(%(n)d):
        counters.count(f"constat.bench.c{i}")
    start = time.perf_counter()
    counters.flush()
    timings.append((time.perf_counter() - start) * 1000)
timings.sort()
print(timings[len(timings) // 2])
"""


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cerfa.settings")
    import django

    django.setup()


def count_us(calls: int = CALLS) -> float:
    """Median of five runs, per call, with the flushing thread never started: what a
    request pays (the thread's writes are measured apart)."""
    from cerfa.stats import counters

    runs = []
    saved = counters._flusher_pid
    counters._flusher_pid = os.getpid()  # as after the first count: the thread's check only
    try:
        for _ in range(5):
            start = time.perf_counter()
            for _ in range(calls):
                counters.count("accueil")
            runs.append((time.perf_counter() - start) * 1e6 / calls)
    finally:
        counters.discard()
        counters._flusher_pid = saved
    return statistics.median(runs)


def _median_ms(fn, rounds: int = ROUNDS) -> float:
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def download_ms(rounds: int = ROUNDS) -> tuple[float, float]:
    """(counting a CERFA download, filling it), in ms, for the example dossier."""
    from cerfa.pdf.fill import fill_dossier
    from cerfa.stats import counters
    from cerfa.stats.quality import count_download
    from rules.dossier import Dossier

    dossier = Dossier.from_json(EXAMPLE.read_text(encoding="utf-8"))
    result = fill_dossier(dossier)  # warm: template, tables
    saved = counters._flusher_pid
    counters._flusher_pid = os.getpid()
    try:
        counting = _median_ms(lambda: count_download("pdf", dossier, result.problems), rounds)
    finally:
        counters.discard()
        counters._flusher_pid = saved
    return counting, _median_ms(lambda: fill_dossier(dossier), rounds)


def flush_ms(counters_written: int = FLUSHED) -> float:
    with tempfile.TemporaryDirectory(prefix="cerfa-stats-bench-") as folder:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CERFA_", "DATABASE_URL"))}
        env.update(CERFA_DATA_DIR=folder, CERFA_STATS_FLUSH_SECONDS="0")
        env["DJANGO_SETTINGS_MODULE"] = "cerfa.settings"
        out = subprocess.run(
            [sys.executable, "-c", _FLUSH % {"n": counters_written}],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout
    return float(out.strip().splitlines()[-1])


def bench_rows():
    """The rows of ``make bench`` (``cerfa.pdf.bench.Row``)."""
    _setup()
    from django.conf import settings

    from cerfa.pdf.bench import Row, ms

    per_call = count_us()
    counting, filling = download_ms()
    written = flush_ms()
    period = settings.CERFA_STATS_FLUSH_SECONDS or 10
    return [
        Row(
            "count() sur le chemin d'une page",
            f"{per_call:.2f} µs par appel",
            target=f"≤ {COUNT_US:.0f} µs",
            met=per_call <= COUNT_US,
        ),
        Row(
            "Compter un téléchargement du CERFA (qualité et constats)",
            ms(counting),
            against=f"remplir le CERFA {ms(filling)}, × {counting / filling:.2f}",
            target="≤ × 1",
            met=counting <= filling,
        ),
        Row(
            f"Écrire {FLUSHED} compteurs (fil d'écriture, SQLite, hors requête)",
            ms(written),
            against=f"toutes les {period} s : {written / (period * 10):.3f} % d'un cœur",
        ),
    ]


def main() -> int:
    from cerfa.pdf.bench import print_rows

    rows = bench_rows()
    print_rows("Statistiques (cerfa/stats/bench.py)", rows)
    return 1 if any(r.met is False for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
