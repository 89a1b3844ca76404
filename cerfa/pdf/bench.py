"""``make bench``: time and memory of filling contracts, this project's way and the naive way.

The naive way re-reads the template for every contract and lets pypdf rewrite the whole
file, as most generators do. This project's way parses the template once per process and
appends an incremental update. Target: at most 20 ms per contract in a batch.

    python -m cerfa.pdf.bench [--contracts 60] [--naive 10]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

from cerfa.pdf.fieldmap import FIELD_MAP, decode_field_name
from cerfa.pdf.fill import Template, fill_dossier, values_for
from cerfa.pdf.template import template_path
from rules.dossier import Dossier

FIXTURES = Path(__file__).resolve().parent.parent.parent / "tests" / "fixtures" / "dossiers"
TARGET_MS = 20.0


def dossiers(count: int) -> list[Dossier]:
    sources = sorted(FIXTURES.glob("*.json"))
    loaded = [Dossier.from_json(p.read_text(encoding="utf-8")) for p in sources]
    return [loaded[i % len(loaded)] for i in range(count)]


def naive_fill(path: Path, dossier: Dossier) -> bytes:
    """Re-read the template, fill with pypdf's own appearance generation, rewrite it all."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(path))
    raw_names = {decode_field_name(name): name for name in writer.get_fields() or {}}
    values = values_for(dossier)
    for page in writer.pages:
        page_values = {
            raw_names[e.name]: ("/Yes" if values[e.name] is True else values[e.name])
            for e in FIELD_MAP
            if e.name in values
        }
        writer.update_page_form_field_values(page, page_values, auto_regenerate=False)
    writer.set_need_appearances_writer(False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def measure(label: str, fn, items) -> dict[str, float]:
    timings = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        timings.append((time.perf_counter() - start) * 1000)
    # Memory in a second pass: tracing allocations slows Python down and would skew the times.
    tracemalloc.start()
    for item in items[:5]:
        fn(item)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "label": label,
        "count": len(timings),
        "mean": statistics.fmean(timings),
        "median": statistics.median(timings),
        "p95": sorted(timings)[max(0, int(len(timings) * 0.95) - 1)],
        "peak_mib": peak / 2**20,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=60)
    parser.add_argument("--naive", type=int, default=10, help="contracts for the naive way")
    args = parser.parse_args(argv)

    path = template_path()
    start = time.perf_counter()
    Template.get(path)
    parse_ms = (time.perf_counter() - start) * 1000

    batch = dossiers(args.contracts)
    fill_dossier(batch[0])  # warm-up: imports, caches
    naive_batch = batch[: args.naive]
    rows = [
        measure("incrémental (ce projet)", lambda d: fill_dossier(d), batch),
        measure("incrémental, aplati", lambda d: fill_dossier(d, flatten=True), batch),
        measure("naïf (pypdf, relecture du modèle)", lambda d: naive_fill(path, d), naive_batch),
    ]
    print(f"Lecture du modèle, une fois par processus : {parse_ms:.1f} ms")
    header = ("méthode", "contrats", "moyenne", "médiane", "p95", "pic mém.")
    print(f"{header[0]:<36} " + " ".join(f"{h:>9}" for h in header[1:]))
    for r in rows:
        print(
            f"{r['label']:<36} {r['count']:>8} {r['mean']:>7.1f}ms {r['median']:>7.1f}ms "
            f"{r['p95']:>7.1f}ms {r['peak_mib']:>6.1f}Mio"
        )
    fast = rows[0]["mean"]
    verdict = "atteint" if fast <= TARGET_MS else "MANQUÉ"
    print(f"Objectif : ≤ {TARGET_MS:.0f} ms par contrat → {verdict}")
    return 0 if fast <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
