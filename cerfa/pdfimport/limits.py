"""Every bound of reading a contract file, and the error it raises.

A file given to « Reprendre » comes from anyone: each bound below keeps reading it within
a known time and memory, and each has its own French message (``tests/test_pdf_import.py``
tries each one).
"""

from __future__ import annotations

import time

# A dossier .json weighs a few kilobytes (the example: 3 kB); the draft upload's bound.
MAX_JSON_BYTES = 200_000
# The official blank forms weigh 320 to 670 kB (``../shared/reference/data``, the 10103*14
# 410 kB); a PDF reader saving a filled one rewrites it whole and may double it. 3 MB is
# several times that, and far below what would make parsing slow.
MAX_PDF_BYTES = 3_000_000
# Every version of the form has 2 pages; a printer's or a portal's copy may add the
# notice or a cover page.
MAX_PAGES = 8
# Objects of the PDF (its cross-reference table's /Size): the forms have 700 to 1,300.
MAX_OBJECTS = 20_000
# Field dictionaries walked in the form (terminal fields and their parents): the forms
# have 149 to 216 fields.
MAX_FIELDS = 1_000
# Nesting of the field tree (/Kids): the forms' fields are flat, or one level deep.
MAX_FIELD_DEPTH = 8
# A box's value: the longest text a dossier box holds is far below this.
MAX_VALUE_CHARS = 1_000
# Wall-clock bound of one reading, checked between its steps; pypdf's own bounds (set in
# ``pdf.py``) and the size bound keep each step short: the slowest measured, rebuilding
# the cross-reference table of 3 MB of objects, takes about 1 s
# (``python -m cerfa.pdfimport.bench``).
MAX_SECONDS = 5.0
# Decoded size of any one stream pypdf decodes for us (the embedded dossier is the only
# one read whole; the form's text is read only to tell 10103*11 from *12).
MAX_STREAM_BYTES = 5_000_000


class ImportProblem(ValueError):
    """The file cannot be read as a contract: ``str()`` is one French sentence."""


class Deadline:
    """``MAX_SECONDS`` from its creation; ``check()`` raises once they have passed."""

    def __init__(self, seconds: float | None = None, clock=time.monotonic):
        self.clock = clock
        self.seconds = MAX_SECONDS if seconds is None else seconds
        self.end = clock() + self.seconds

    def check(self) -> None:
        if self.clock() > self.end:
            raise ImportProblem(
                "Ce PDF demande bien trop de travail pour être lu (plus de "
                f"{self.seconds:g} secondes) : ce n'est pas un CERFA tel qu'un outil le "
                "remplit."
            )
