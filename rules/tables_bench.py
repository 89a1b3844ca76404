"""Timings of the reference tables of rules/data, for ``make bench``.

What is measured, and the targets (``cerfa check`` on one file has 250 ms from the
process's start, so the tables it reads must cost little):

- each table's reading, once per process (postal codes: at most 30 ms);
- one lookup in each (a dict access: a few microseconds);
- ``rules.engine.check`` per dossier with every table loaded (at most 3 ms).

    python -m rules.tables_bench

``bench_rows()`` gives the same as (label, value) pairs for the bench's report.
"""

from __future__ import annotations

import datetime
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rules import communes, diplomes, engine, naf, opco
from rules import idcc as idcc_list
from rules.dossier import Dossier

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "dossiers"
POSTAL_LOAD_TARGET_MS = 30.0
CHECK_TARGET_MS = 3.0
TODAY = datetime.date(2027, 8, 20)  # before the fixtures' contracts start

# name → the cached loader of the bundled table.
LOADERS: dict[str, Callable] = {
    "codes postaux (La Poste)": communes.bundled,
    "kit code diplôme ↔ RNCP": diplomes.bundled,
    "NAF rév. 2 et NAF 2025": naf.bundled,
    "IDCC → OPCO (2019)": opco.bundled,
    "IDCC (KALI)": idcc_list.bundled,
}


def _median_ms(fn: Callable[[], object], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def load_timings(repeat: int = 5) -> dict[str, float]:
    """Milliseconds to read each table (median of ``repeat`` readings, cache emptied before
    each), the tables loaded again afterwards."""
    found = {}
    for name, loader in LOADERS.items():

        def cold(loader=loader):
            loader.cache_clear()
            loader()

        found[name] = _median_ms(cold, repeat)
    return found


def lookup_timings(count: int = 2000) -> dict[str, float]:
    """Microseconds per lookup, on a spread of keys (each table already loaded)."""
    postcodes = communes.bundled().postcodes()[:: max(1, len(communes.bundled()) // count)]
    cfds = diplomes.bundled().codes()[:: max(1, len(diplomes.bundled()) // count)]
    calls = {
        "communes_for": lambda: [communes.communes_for(p) for p in postcodes],
        "commune_matches": lambda: [
            communes.commune_matches(p, "Saint-Étienne") for p in postcodes
        ],
        "diplomes.by_code": lambda: [diplomes.by_code(c) for c in cfds],
        "naf_label": lambda: [naf.naf_label(c) for c in ("1071C", "1071H", "9602A", "0000Z")],
        "opco_for": lambda: [opco.opco_for(c) for c in ("1486", "0843", "3248", "9999")],
    }
    sizes = {"communes_for": len(postcodes), "commune_matches": len(postcodes)}
    sizes["diplomes.by_code"] = len(cfds)
    found = {}
    for name, call in calls.items():
        call()  # the first call parses what it reads: measured apart, in load_timings
        found[name] = _median_ms(call, 5) * 1000 / sizes.get(name, 4)
    return found


def check_timings(count: int = 200) -> dict[str, float]:
    """``rules.engine.check`` per dossier, in milliseconds, with every table loaded."""
    loaded = [
        Dossier.from_json(p.read_text(encoding="utf-8")) for p in sorted(FIXTURES.glob("*.json"))
    ]
    batch = [loaded[i % len(loaded)] for i in range(count)]
    for dossier in loaded:
        engine.check(dossier, today=TODAY)  # warm-up: imports, tables, parsed lines
    timings = []
    for dossier in batch:
        start = time.perf_counter()
        engine.check(dossier, today=TODAY)
        timings.append((time.perf_counter() - start) * 1000)
    return {
        "mean": statistics.fmean(timings),
        "p95": sorted(timings)[max(0, int(len(timings) * 0.95) - 1)],
    }


@dataclass(frozen=True)
class Measures:
    loads: dict[str, float]  # ms
    lookups: dict[str, float]  # µs
    check: dict[str, float]  # ms per dossier

    @property
    def met(self) -> bool:
        return (
            self.loads["codes postaux (La Poste)"] <= POSTAL_LOAD_TARGET_MS
            and self.check["mean"] <= CHECK_TARGET_MS
        )

    def rows(self) -> list[tuple[str, str]]:
        rows = []
        for name, ms in self.loads.items():
            target = (
                f" (objectif ≤ {POSTAL_LOAD_TARGET_MS:.0f} ms)"
                if name == "codes postaux (La Poste)"
                else ""
            )
            rows.append((f"Lecture de la table {name}", f"{ms:.1f} ms{target}"))
        for name, us in self.lookups.items():
            rows.append((f"Recherche {name}", f"{us:.1f} µs"))
        rows.append(
            (
                "cerfa check par dossier, tables chargées",
                f"{self.check['mean']:.2f} ms en moyenne, p95 {self.check['p95']:.2f} ms "
                f"(objectif ≤ {CHECK_TARGET_MS:.0f} ms)",
            )
        )
        return rows


def measure() -> Measures:
    return Measures(load_timings(), lookup_timings(), check_timings())


def bench_rows() -> list[tuple[str, str]]:
    """The report: one (label, value) pair a measure, with its target where it has one."""
    return measure().rows()


def main() -> int:
    measures = measure()
    rows = measures.rows()
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    print("Objectifs des tables : " + ("atteints" if measures.met else "MANQUÉS"))
    return 0 if measures.met else 1


if __name__ == "__main__":
    sys.exit(main())
