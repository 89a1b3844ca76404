"""Helvetica's character widths, the font of the CERFA's text fields: a small committed table.

Filling a field measures its text to choose its size and to say when it does not fit
(``cerfa/pdf/fill.py``). The widths are those of Adobe's metrics of the standard font
Helvetica (``Helvetica.afm``, one of the AFM files of the 14 PDF core fonts, 1997): the
315 characters it draws, each's advance width (``WX``) per 1000 of the font size, keyed
by its Unicode code point through the Adobe Glyph List. They are the very numbers pypdf
carries, read until now from one of its private modules; the table
``helvetica_widths.tsv`` holds them instead, with the AFM's copyright notice, and this
module rebuilds it from the AFM file with fontTools' public AFM reader and glyph list::

    python -m cerfa.pdf.helvetica path/to/Helvetica.afm

(the AFM is in matplotlib's wheel, ``mpl-data/fonts/pdfcorefonts/``, and in Adobe's
core14 AFM archive). A character the table lacks is measured ``DEFAULT``, the width of
a digit, as before.

No Django import: the template's cache (``cerfa/pdf/template.py``) reads it.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from rules import tabledata

PATH = Path(__file__).resolve().parent / "helvetica_widths.tsv"
DEFAULT = 556
ADOBE_NOTICE = (
    "Copyright (c) 1985, 1987, 1989, 1990, 1997 Adobe Systems Incorporated. All Rights "
    "Reserved. Helvetica is a trademark of Linotype-Hell AG and/or its subsidiaries."
)
ADOBE_PERMISSION = (
    "This file and the 14 PostScript(R) AFM files it accompanies may be used, copied, and "
    "distributed for any purpose and without charge, with or without modification, provided "
    "that all copyright notices are retained; that the AFM files are not distributed without "
    "this file; that all modifications to this file or any of the AFM files are prominently "
    "noted in the modified file(s); and that this paragraph is not modified. Adobe Systems "
    "has no responsibility or obligation to support the use of the AFM files."
)


@cache
def widths() -> dict[str, int]:
    """Each character's width per 1000 of the size, and ``"default"`` for the others."""
    table = tabledata.read(PATH)
    found = {"default": int(table.meta["default"])}
    for line in table.lines:
        code, width = line.split("\t")
        found[chr(int(code, 16))] = int(width)
    return found


def from_afm(path: Path) -> dict[str, int]:
    """The widths of an AFM file's glyphs, by the Unicode character each glyph name means."""
    from fontTools import afmLib, agl

    afm = afmLib.AFM(str(path))
    found: dict[str, int] = {}
    for name in afm.chars():
        _code, width, _box = afm[name]
        char = agl.toUnicode(name)
        if len(char) == 1:
            found[char] = width
    return found


def render(found: dict[str, int], afm_name: str) -> str:
    meta = {
        "table": "helvetica_widths",
        "source": (
            f"Adobe, {afm_name} (AFM des 14 polices standard du PDF) : largeurs WX, par "
            "caractère Unicode (Adobe Glyph List, fontTools.agl)"
        ),
        "date": "1997-05-01",
        "default": str(DEFAULT),
        "copyright": ADOBE_NOTICE,
        "modification": (
            "Seules les largeurs des glyphes sont reprises, rangées par point de code Unicode "
            "(hexadécimal) ; le fichier AFM lui-même n'est pas distribué"
        ),
        "licence": ADOBE_PERMISSION,
    }
    records = [f"{ord(c):04X}\t{w}" for c, w in sorted(found.items(), key=lambda i: ord(i[0]))]
    return tabledata.render(meta, records)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("Usage : python -m cerfa.pdf.helvetica Helvetica.afm", file=sys.stderr)
        return 2
    path = Path(argv[0])
    tabledata.write_text(PATH, render(from_afm(path), path.name))
    print(f"{PATH.name} : {len(widths.__wrapped__()) - 1} caractères.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
