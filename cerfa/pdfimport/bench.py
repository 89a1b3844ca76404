"""``python -m cerfa.pdfimport.bench``: how long reading a contract file takes, and how
much memory, for the files « Reprendre » meets (issue 11), against the time bound of
``limits.MAX_SECONDS``. Measured here, never asserted in a test.

The older blank forms are read from ``../shared/reference/data`` when it is there.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import django


def cases() -> dict[str, bytes]:
    from cerfa.pdf.fill import fill_dossier
    from cerfa.pdf.template import template_path
    from cerfa.pdfimport.maps.derive import SHARED
    from rules.dossier import Dossier

    example = Path(__file__).resolve().parent.parent.parent / "tests/fixtures/dossiers"
    dossier = Dossier.from_json((example / "exemple.json").read_text(encoding="utf-8"))
    ours = fill_dossier(dossier).pdf
    found = {
        "PDF de ce service, modifiable": ours,
        "PDF de ce service, aplati": fill_dossier(dossier, flatten=True).pdf,
        "CERFA 10103*14 vierge": template_path().read_bytes(),
        "PDF tronqué (moitié)": ours[: len(ours) // 2],
        # A file of 3 MB of objects with no cross-reference table: pypdf rebuilds one.
        "3 Mo d'objets sans table": (
            b"%PDF-1.7\n"
            + b"".join(b"%d 0 obj\n<</A [1 2 3]>>\nendobj\n" % i for i in range(120_000))
        )[:2_990_000],
    }
    for name in ("cerfa_10103-13.pdf", "cerfa_10103-12_modif.pdf", "cerfa_10103-10.pdf"):
        if (SHARED / name).is_file():
            found[f"{name} vierge"] = (SHARED / name).read_bytes()
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="lectures de chaque fichier")
    options = parser.parse_args(argv)
    django.setup()
    from cerfa.pdfimport import MAX_SECONDS, ImportProblem, read_contract_file

    worst = 0.0
    for name, content in cases().items():
        timings = []
        for _ in range(options.runs):
            start = time.perf_counter()
            try:
                outcome = read_contract_file(content, "contrat.pdf").source
            except ImportProblem as exc:
                outcome = f"refusé : {str(exc)[:48]}…"
            timings.append(time.perf_counter() - start)
        tracemalloc.start()
        try:
            read_contract_file(content, "contrat.pdf")
        except ImportProblem:
            pass
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        median = statistics.median(timings)
        worst = max(worst, max(timings))
        sys.stdout.write(
            f"{name:32} {len(content) / 1e6:5.2f} Mo  {median * 1000:6.0f} ms  "
            f"pic {peak / 1000:6.0f} ko  {outcome}\n"
        )
    met = worst <= MAX_SECONDS
    sys.stdout.write(
        f"Lecture la plus longue : {worst * 1000:.0f} ms (borne {MAX_SECONDS:g} s) : "
        f"{'tenue' if met else 'DÉPASSÉE'}\n"
    )
    return 0 if met else 1


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cerfa.settings")
    sys.exit(main())
