"""The contract's documents for ``make bench``: what each piece of the « dossier complet »
takes to make, and the whole ZIP against its target, with its peak memory.

A ZIP is made on each click of « Télécharger le dossier complet (.zip) », by the request's
own worker: it must come back as fast as a page would feel slow, one second at most for
one contract (``ZIP_SECONDS``). Its pieces are timed one by one to show where the time
goes (the PDFs made with fpdf2 subset their fonts each time). Memory is Python's own
allocations (tracemalloc), measured in a pass of its own so that timings run at full speed.

    python -m cerfa.documents.bench [--tours 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "dossiers"
ROUNDS = 10
ZIP_SECONDS = 1.0  # one contract's ZIP, made in the request that asks for it


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cerfa.settings")
    import django

    django.setup()


def _median_ms(fn, rounds: int) -> float:
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def bench_rows(rounds: int = ROUNDS):
    """The rows of ``make bench`` (``cerfa.pdf.bench.Row``)."""
    _setup()
    from cerfa.checks import findings_for
    from cerfa.documents import bundle
    from cerfa.documents.calendar import calendar_bytes
    from cerfa.documents.convention import convention_pdf
    from cerfa.documents.guide import guide_pdf
    from cerfa.documents.opco_exchange import opco_exchange_bytes
    from cerfa.pdf.bench import Row, ms
    from cerfa.pdf.fill import fill_dossier
    from rules.dossier import Dossier

    dossier = Dossier.from_json((FIXTURES / "exemple.json").read_text(encoding="utf-8"))
    bundle.bundle(dossier)  # warm: template, tables, fonts
    pieces = [
        ("CERFA rempli", lambda: fill_dossier(dossier)),
        ("points à vérifier (constats compris)", lambda: bundle.points_pdf(dossier)),
        ("convention de formation", lambda: convention_pdf(dossier)),
        ("« Et maintenant ? »", lambda: guide_pdf(dossier)),
        ("agenda .ics", lambda: calendar_bytes(dossier)),
        ("fichier d'échange OPCO", lambda: opco_exchange_bytes(dossier)),
        ("constats seuls", lambda: findings_for(dossier)),
    ]
    rows = [Row(f"Pièce : {what}", ms(_median_ms(fn, rounds))) for what, fn in pieces]
    made = bundle.bundle(dossier)
    seconds = _median_ms(lambda: bundle.bundle(dossier), rounds) / 1000
    tracemalloc.start()
    try:
        bundle.bundle(dossier)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rows.append(
        Row(
            f"Dossier complet (.zip) d'un contrat, {len(made.pieces) + 1} fichiers",
            ms(seconds * 1000),
            f"{len(made.data) / 1000:.0f} ko, pic mémoire {peak / 1_000_000:.1f} Mo",
            f"< {ZIP_SECONDS:.0f} s",
            seconds < ZIP_SECONDS,
        )
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tours", type=int, default=ROUNDS, help="mesures de chaque pièce")
    args = parser.parse_args(argv)
    from cerfa.pdf.bench import print_rows

    rows = bench_rows(args.tours)
    print_rows("Documents du contrat (cerfa/documents/bench.py)", rows)
    return 1 if any(row.met is False for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
