"""The contract's documents for ``make bench``: what each piece of the « dossier complet »
takes to make, and the whole ZIP against its target, with its peak memory.

A ZIP is made on each click of « Télécharger le dossier complet (.zip) », by the request's
own worker: it must come back as fast as a page would feel slow, one second at most for
one contract (``ZIP_SECONDS``). Its pieces are timed one by one to show where the time
goes (the PDFs made with fpdf2 subset their fonts each time). Memory is Python's own
allocations (tracemalloc), measured in a pass of its own so that timings run at full speed.

The three PDFs (``cerfa/documents/pdfdoc.py``) are also timed alone against their targets,
in processor time (the machine is shared: waiting for a core is not our time), the best of
3 rounds of ``PDF_COUNT`` documents: a batch writes one « points à vérifier » per row
(``FINDINGS_MS``: 2,000 rows, a minute of processor), the convention and the guide come
with each contract's ZIP (``DOCUMENT_MS``).

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
PDF_COUNT = 20  # documents per round of the PDFs' own timing
FINDINGS_MS = 30.0  # one « points à vérifier »: one per row of a batch of up to 2,000
DOCUMENT_MS = 100.0  # the convention, the guide: one each per contract's ZIP
PDF_TITLE = "Documents PDF seuls (cerfa/documents/bench.py)"


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


def _best_cpu_ms(fn, count: int, rounds: int) -> float:
    """Processor time of one ``fn()``: the best of ``rounds`` rounds of ``count`` calls."""
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(count):
            fn()
        best = min(best, time.process_time() - started)
    return best / count * 1000


def pdf_rows(count: int = PDF_COUNT, rounds: int = 3) -> list:
    """Each PDF alone, in processor time (the best of ``rounds`` rounds of ``count``
    documents), against its target (``cerfa.pdf.bench.Row``)."""
    _setup()
    from cerfa.checks import findings_for
    from cerfa.documents.convention import convention_pdf
    from cerfa.documents.guide import guide_pdf
    from cerfa.pdf.bench import Row, ms
    from cerfa.pdf.findings_pdf import findings_pdf
    from rules.dossier import Dossier
    from rules.timeline import timeline_for

    def load(name: str) -> Dossier:
        return Dossier.from_json((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))

    rows = []
    for name in ("exemple", "brouillon-incomplet"):  # the fewest findings, the most
        dossier = load(name)
        findings, timeline = findings_for(dossier), timeline_for(dossier)

        apprenti = " ".join(
            p for p in (dossier.apprenti.prenom, dossier.apprenti.nom_naissance) if p
        )

        def points(findings=findings, timeline=timeline, subject=f"Apprenti : {apprenti}"):
            return findings_pdf(findings, subject, timeline=timeline)

        size = len(points())  # warm: fonts, widths
        took = _best_cpu_ms(points, count, rounds)
        rows.append(
            Row(
                f"PDF « points à vérifier » seul ({name}.json, {len(findings)} constats), "
                "temps processeur",
                ms(took),
                f"{size / 1000:.0f} ko",
                f"≤ {FINDINGS_MS:.0f} ms",
                took <= FINDINGS_MS,
            )
        )
    dossier = load("exemple")
    for what, fn in (
        ("PDF convention de formation seul (exemple.json), temps processeur", convention_pdf),
        ("PDF « Et maintenant ? » seul (exemple.json), temps processeur", guide_pdf),
    ):
        size = len(fn(dossier))
        took = _best_cpu_ms(lambda fn=fn: fn(dossier), count, rounds)
        rows.append(
            Row(
                what,
                ms(took),
                f"{size / 1000:.0f} ko",
                f"≤ {DOCUMENT_MS:.0f} ms",
                took <= DOCUMENT_MS,
            )
        )
    return rows


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
    alone = pdf_rows()
    print_rows(PDF_TITLE, alone)
    rows += alone
    return 1 if any(row.met is False for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
