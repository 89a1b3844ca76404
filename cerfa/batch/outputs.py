"""What a batch gives back (issue 10): a ZIP of every CERFA with its « points à vérifier »,
and a spreadsheet of the findings, one line per finding.

The ZIP is streamed: each PDF is made when the archive reaches it, written into the
archive and handed to the response, then dropped, so that a batch of 2,000 contracts
never holds more than one PDF and its compressed copy. Written with the standard
library's ``zipfile``, which writes to a stream it cannot seek (each member followed by
its data descriptor, ZIP64 when the archive passes 4 GB): no dependency is needed for it.
The files are named as ``cerfa fill`` names them (``cerfa/downloads.py``, -2, -3… for
namesakes).

The spreadsheet holds names and messages, personal data: it is written with XlsxWriter
and its ``in_memory`` option, never to a temporary file (openpyxl writes each worksheet to
one while saving).
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Iterable, Iterator

from cerfa import downloads
from cerfa.batch import jobs
from rules.dossier import Dossier
from rules.findings import LEVEL_LABELS

log = logging.getLogger("cerfa.batch")

SUMMARY_NAME = "lot-points-a-verifier.xlsx"
ZIP_NAME = "lot-cerfa-apprentissage.zip"
LEFT_OUT_NAME = "lignes-sans-pdf.txt"
COLUMNS = ("Ligne", "Apprenti(e)", "Niveau", "Champ", "Message")


def where(row: dict) -> str:
    """« Ligne 5 » of a spreadsheet, or the draft's name in a ZIP."""
    return f"Ligne {row['ligne']}" if row.get("ligne") is not None else str(row.get("fichier"))


def apprentice(row: dict) -> str:
    """« MOREAU Inès », as the table and the spreadsheet tell the rows apart."""
    apprenti = (row.get("dossier") or {}).get("apprenti") or {}
    parts = ((apprenti.get("nom_naissance") or "").upper(), apprenti.get("prenom") or "")
    return " ".join(p for p in parts if p)[:80]


def employer(row: dict) -> str:
    return ((row.get("dossier") or {}).get("employeur") or {}).get("denomination") or ""


# -- the ZIP ---------------------------------------------------------------------------


class _Sink:
    """Where zipfile writes: what it wrote since the last ``take``. No ``tell``: zipfile
    then writes as to a stream (data descriptors), never seeking back."""

    def __init__(self):
        self._parts: list[bytes] = []

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        out = b"".join(self._parts)
        self._parts = []
        return out


def zip_stream(batch: jobs.Batch, flatten: bool) -> Iterator[bytes]:
    """The ZIP of the batch, a member at a time: each fillable row's CERFA and its
    « points à vérifier »; the rows left out listed in ``LEFT_OUT_NAME``."""
    from cerfa.pdf.fill import fill_dossier
    from cerfa.pdf.findings_pdf import findings_pdf
    from rules.timeline import timeline_for

    sink = _Sink()
    used: set[str] = set()
    left_out: list[str] = []
    kind = "pdf_aplati" if flatten else "pdf"
    # PDFs are mostly compressed streams already: the fastest level gains what there is.
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for _, row in batch.rows():
            if not jobs.fillable(row):
                left_out.append(f"{where(row)} ({apprentice(row) or 'sans nom'}) : {_why(row)}")
                continue
            dossier = Dossier.from_dict(row["dossier"])
            try:
                pdf = fill_dossier(dossier, flatten=flatten).pdf
                points = findings_pdf(
                    jobs.findings_of(row), _subject(dossier), timeline=timeline_for(dossier)
                )
            except Exception as exc:
                log.error("batch row fill failed: %s", type(exc).__name__)
                left_out.append(
                    f"{where(row)} ({apprentice(row) or 'sans nom'}) : le remplissage a échoué, "
                    "une erreur de ce service : merci de la signaler."
                )
                continue
            archive.writestr(unique(downloads.filename(dossier, kind), used), pdf)
            yield sink.take()
            del pdf
            archive.writestr(unique(downloads.filename(dossier, "points"), used), points)
            yield sink.take()
        if left_out:
            text = (
                "Ces lignes du lot n'ont pas de PDF : corrigez-les dans l'assistant (« Corriger » "
                "dans le tableau du lot) ou dans votre tableur, puis téléchargez de nouveau.\r\n\r\n"
                + "\r\n".join(left_out)
                + "\r\n"
            )
            archive.writestr(LEFT_OUT_NAME, text.encode("utf-8-sig"))
    yield sink.take()


def _why(row: dict) -> str:
    if row["dossier"] is None:
        return row["problemes"][0] if row["problemes"] else "illisible."
    return "des cellules n'ont pas pu être lues (voir le tableau du lot)."


def _subject(dossier: Dossier) -> str:
    apprenti = " ".join(p for p in (dossier.apprenti.prenom, dossier.apprenti.nom_naissance) if p)
    return f"Apprenti : {apprenti}" if apprenti else ""


def unique(filename: str, used: set[str]) -> str:
    """The CLI's rule for namesakes (``cerfa fill``): -2, -3… rather than overwrite."""
    from cerfa.cli import unique_name

    return unique_name(filename, used)


# -- the findings spreadsheet ----------------------------------------------------------


def field_labels(paths: Iterable[str], dossier: Dossier | None, labels: dict[str, str]) -> str:
    """The wizard's labels of a finding's dossier paths (the path itself where none)."""
    from cerfa.wizard import convert
    from cerfa.wizard.steps import BY_NAME

    out: list[str] = []
    for path in paths:
        label = labels.get(path)
        if label is None and dossier is not None:
            anchor = convert.anchor(path, dossier)
            if anchor is not None:
                field = BY_NAME[anchor[0]].form.base_fields[anchor[1]]
                label = getattr(field, "sr_prefix", "") + str(field.label)
        label = label or path
        if label not in out:
            out.append(label)
    return ", ".join(out)


def summary_lines(batch: jobs.Batch) -> Iterator[tuple[str, str, str, str, str]]:
    """(row, apprentice, level, field label, message) of every finding of the batch, the
    problems of reading first (errors, each naming its column)."""
    from cerfa.batch.labels import path_labels

    labels = path_labels()
    for _, row in batch.rows():
        name = apprentice(row)
        for problem in row["problemes"]:
            yield where(row), name, LEVEL_LABELS["error"], "", problem
        dossier = jobs.dossier_of(row)
        for finding in row["findings"]:
            yield (
                where(row),
                name,
                LEVEL_LABELS[finding["level"]],
                field_labels(finding["fields"], dossier, labels),
                finding["message"],
            )


def summary_workbook(batch: jobs.Batch) -> bytes:
    """The findings spreadsheet (XLSX), assembled in memory."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    page = book.add_worksheet("Points à vérifier")
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    for column, (title, width) in enumerate(zip(COLUMNS, (12, 28, 12, 40, 90), strict=True)):
        page.write_string(0, column, title, bold)
        page.set_column(column, column, width)
    page.freeze_panes(1, 0)
    line = 0
    for line, values in enumerate(summary_lines(batch), start=1):
        for column, value in enumerate(values):
            # As text, always: a name or a message beginning with « = » is no formula.
            page.write_string(line, column, value, wrap)
    page.autofilter(0, 0, max(line, 1), len(COLUMNS) - 1)
    book.close()
    return out.getvalue()
