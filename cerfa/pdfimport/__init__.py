"""Read a contract back from a file (issue 11): a dossier .json, or a filled CERFA PDF.

One entry for everyone (« Reprendre », ``cerfa import``, the hand-over and the avenants):
``read_contract_file(content, filename) -> Imported``, or ``ImportProblem`` with one French
line. See ``reader.py`` for what is read and ``limits.py`` for every bound.
"""

from cerfa.pdfimport.limits import (
    MAX_FIELD_DEPTH,
    MAX_FIELDS,
    MAX_JSON_BYTES,
    MAX_OBJECTS,
    MAX_PAGES,
    MAX_PDF_BYTES,
    MAX_SECONDS,
    MAX_VALUE_CHARS,
    ImportProblem,
)
from cerfa.pdfimport.reader import Imported, read_contract_file

__all__ = [
    "MAX_FIELDS",
    "MAX_FIELD_DEPTH",
    "MAX_JSON_BYTES",
    "MAX_OBJECTS",
    "MAX_PAGES",
    "MAX_PDF_BYTES",
    "MAX_SECONDS",
    "MAX_VALUE_CHARS",
    "ImportProblem",
    "Imported",
    "read_contract_file",
]
