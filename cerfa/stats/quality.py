"""The brief's second indicator: the share of a downloaded CERFA's fields correctly filled.

« Expected fields »: the boxes the CERFA 10103*14 and its notice 51649#09 ask for on every
contract, as the rules list them (``rules.checks.presence.REQUIRED``), plus the NIR (always
expected, FAQ Atlas: ``apprenti.nir.manquant``) and the employer's attestation that it holds
the supporting documents (C. trav. art. D6224-1). Boxes that only some contracts need (the
legal representative of a minor, a second maître, a lieu de formation…) are left out: the
share of one contract is then comparable with another's.

A field is « correctly filled » when it holds a value and no error-level finding names it
(or names the block that holds it, or a part of it): a SIRET with a wrong key, a date after
the end of the contract, are filled but not correctly. Warnings and information do not
count against it. The share goes into one of five buckets of 20 points; the download also
counts once for each finding code it has (which rules fire most: what to explain better).
"""

from __future__ import annotations

from collections.abc import Iterable

from cerfa.stats.counters import count
from cerfa.stats.names import DOWNLOAD, FINDING, QUALITY, QUALITY_BUCKETS
from rules.checks.presence import REQUIRED
from rules.dossier import Dossier, get_path, is_blank
from rules.findings import Finding

EXPECTED: tuple[str, ...] = tuple(path for path, _ in REQUIRED) + (
    "apprenti.nir",
    "signature.attestation_pieces_justificatives",
)


def _covers(error_path: str, path: str) -> bool:
    return (
        error_path == path or error_path.startswith(path + ".") or path.startswith(error_path + ".")
    )


def filled_share(dossier: Dossier, findings: Iterable[Finding]) -> float:
    """The share (0 to 1) of ``EXPECTED`` that holds a value no error finding names."""
    errors = {path for f in findings if f.level == "error" for path in f.fields}
    good = 0
    for path in EXPECTED:
        if is_blank(get_path(dossier, path)):
            continue
        if any(_covers(error, path) for error in errors):
            continue
        good += 1
    return good / len(EXPECTED)


def bucket(share: float) -> str:
    """« 0-20 » for [0, 20 %[, …, « 80-100 » for [80 %, 100 %]."""
    if not 0 <= share <= 1:
        raise ValueError(f"a share is between 0 and 1, not {share}")
    return QUALITY_BUCKETS[min(int(share * 100) // 20, len(QUALITY_BUCKETS) - 1)]


def count_download(kind: str, dossier: Dossier | None = None, extra: Iterable[Finding] = ()):
    """Count one download of ``kind``; for the CERFA itself (``dossier`` given), its quality
    bucket and each finding code it has (``extra``: the PDF's own problems)."""
    count(DOWNLOAD.format(kind=kind))
    if dossier is None:
        return
    from rules import engine

    findings = engine.check(dossier) + list(extra)
    count(QUALITY.format(bucket=bucket(filled_share(dossier, findings))))
    for code in sorted({f.code for f in findings}):
        count(FINDING.format(code=code))
