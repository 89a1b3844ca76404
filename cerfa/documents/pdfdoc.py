"""What every PDF we write shares (« points à vérifier », convention de formation, « Et
maintenant ? »): the page, the typeface, headings, paragraphs, lists and tables; one
``Document`` class made with fpdf2, one font setup, one way to write each of them.

**Why fpdf2.** The documents are a few pages of text, headings and simple tables built from
Python data, in memory, once per download (or once per row of a batch). For that use:

- *fpdf2* is pure Python (one dependency, fontTools, which it uses to subset the font),
  maintained, LGPL; it embeds a TrueType font subset (French accents, « », ’, €), measures
  text, draws lines and rectangles, and writes the document's language (/Lang), title and
  outline (bookmarks).
- *reportlab* does as much (its Platypus flows are richer), but its open-source toolkit is
  a larger dependency with C extensions, and its tagging is in the commercial edition only:
  no gain for a few pages of text.
- *typst* typesets better (hyphenation, justification) and tags its output, but it is a
  compiler (a Rust binary, or its Python wheel) fed with a markup we would write, escape
  and template: one more language between the data and the page, for text this plain.

Accessibility, as far as fpdf2 goes: the language is fr-FR, the title is shown by the
viewer instead of the file name, every heading is an entry of the outline; the PDF is not
tagged (fpdf2 tags neither paragraphs nor tables, and a partly tagged PDF hides the
untagged text from screen readers that trust the tags), and the content is written in
reading order, one column, top to bottom.

**Speed** (``python -m cerfa.documents.bench``; a batch writes one « points à vérifier »
per row). Measured, fpdf2 spent its time in three places, each avoided here with its public
API only:

- *The fonts.* fpdf2 reads its font files for every document (it offers no way to share a
  loaded font between documents) and subsets them when writing it; the subsetter walks the
  typeface's OpenType layout tables (GSUB, GPOS, GDEF) although fpdf2 drops them, as we do
  not shape text. So each style is derived once per process, with fontTools, into a
  TrueType file without those tables nor the glyphs only they reach (every character of
  the typeface kept, hinting kept: the same outlines on the page), plain TrueType rather
  than WOFF (nothing to inflate) with its glyph names stored (none to rebuild), in a
  directory of the process's own removed at exit: typeface data only, never a word of a
  contract. What remains (about 25 ms of a « points à vérifier ») is fpdf2 reading the
  two files and fontTools writing their subsets.
- *Line breaking.* ``multi_cell`` measures the line again for every character it adds
  (quadratic in the line's length), and ``table`` lays every cell out twice (once to know
  the row's height). Here a text is measured once, word by word (each character's width
  asked of fpdf2 once per process: no kerning without shaping, so a word is the sum of its
  characters), broken into lines the way ``multi_cell`` breaks them (at the last space that
  fits; a word longer than a line cut where it overflows), and each line written with
  ``text`` at the place ``multi_cell`` or ``table`` would give it.
- Text shaping (HarfBuzz) stays off: it would measure every run again, for no gain in
  French set in Spectral.

The typeface is Spectral, the DSFR's second typeface, from the WOFF files django-dsfr
already installs, under the SIL Open Font License. Not Marianne: its outlines are CFF,
which fpdf2 embeds as a TrueType font program (a PDF that Poppler reports as broken);
Spectral's are TrueType. It has no italic: details are grey.
"""

from __future__ import annotations

import atexit
import logging
import shutil
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fpdf import FPDF, ViewerPreferences
from fpdf.enums import Align, PageMode

MARGIN = 56.0  # points, on each side of the A4 page
GREY = 89  # 35 % black: the details, readable in black and white
FAMILY = "Spectral"
FONT_FILES = {"": "Regular", "B": "ExtraBold"}
FONTS = files("dsfr") / "static" / "dsfr" / "dist" / "fonts"
# What a font of ours needs no more: the OpenType layout tables (no text shaping) and
# FontForge's time stamp, as fpdf2 drops them itself when it subsets.
UNUSED_TABLES = ("GSUB", "GPOS", "GDEF", "FFTM")
LINE = 1.35  # line height, as a multiple of the font size
BULLET_INDENT = 12.0
# A character the typeface lacks would print as nothing: said instead with one it has
# (the rules' references write « code diplôme ↔ RNCP »), or « ? » as the form itself does.
SUBSTITUTES = {"↔": "/"}
NBSP = "\u00a0"
# A table's cells: their padding (points, as fpdf2's table padding=(2, 3)) and line height.
CELL_PAD_Y, CELL_PAD_X, CELL_LINE = 2.0, 3.0, 12.0
TABLE_SIZE = 9


@dataclass(frozen=True)
class _Fonts:
    paths: dict[str, str]  # style -> the lean TrueType file
    printable: frozenset[str]  # what every style can print


_LEAN: list[_Fonts] = []  # made once per process, by the first document
_LEAN_LOCK = threading.Lock()
logger = logging.getLogger("cerfa.documents")


def _fonts() -> _Fonts:
    """The typeface's files as every document of the process reads them."""
    if not _LEAN:
        with _LEAN_LOCK:  # one making, even when two threads ask first
            if not _LEAN:
                _LEAN.append(_make_fonts())
    return _LEAN[0]


def _make_fonts() -> _Fonts:
    """Each style of the typeface as a lean TrueType file; django-dsfr's own WOFF files,
    slower to read, when no temporary directory can be written."""
    try:
        folder = Path(tempfile.mkdtemp(prefix="cerfa-fonts-"))
    except OSError as error:
        logger.warning("documents: the lean fonts cannot be written (%s), WOFF used", error)
        folder = None
    else:
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
    paths, charsets = {}, []
    for style, name in FONT_FILES.items():
        source = str(FONTS / f"{FAMILY}-{name}.woff")
        with TTFont(source) as font:
            cmap = font.getBestCmap()
            charsets.append(frozenset(map(chr, cmap)))
            if folder is None:
                paths[style] = source
                continue
            # glyph_names: with its glyphs' names stored, a font is read without making
            # them up again from its character map (fontTools does, each time).
            options = subset.Options(
                layout_features=[], notdef_outline=True, recommended_glyphs=True, glyph_names=True
            )
            options.drop_tables += list(UNUSED_TABLES)
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=cmap)
            subsetter.subset(font)
            font.flavor = None  # plain TrueType: nothing to inflate on each reading
            path = folder / f"{FAMILY}-{name}.ttf"
            font.save(str(path))
            paths[style] = str(path)
    return _Fonts(paths, frozenset.intersection(*charsets) | {"\n"})


def printable(text: str) -> str:
    """``text`` with each character the typeface lacks replaced by one it has."""
    known = _fonts().printable
    return "".join(c if c in known else SUBSTITUTES.get(c, "?") for c in text)


# Each character's width at 1 pt, per style, as fpdf2 measures it: the same for every
# document of the process (the same font files).
_WIDTHS: dict[str, dict[str, float]] = {style: {} for style in FONT_FILES}


@dataclass(frozen=True)
class Cell:
    """A table cell: its text, the columns it spans, its look."""

    text: str
    span: int = 1
    bold: bool = False
    grey: bool = False
    size: float = TABLE_SIZE
    align: str | None = None  # "LEFT" or "RIGHT"; None: its column's


class Document(FPDF):
    """An A4 page in points, Spectral, margins of ``MARGIN``, numbered pages; the footer
    names the document when ``running_title``, else says the page alone, on the right."""

    running_title = True

    def footer(self) -> None:
        self.set_y(-MARGIN + 18)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(GREY)
        if self.running_title:
            self.cell(0, 10, f"{printable(self.title or '')} — page {self.page_no()} / {{nb}}")
        else:
            self.cell(0, 10, f"Page {self.page_no()} / {{nb}}", align=Align.R)

    # -- measuring and breaking text: once per text ------------------------------------

    def _widths(self, text: str, style: str, size: float) -> dict[str, float]:
        """The widths at 1 pt of ``style``, knowing every character of ``text``; the font
        is ``style`` at ``size`` when it is called."""
        widths = _WIDTHS[style]
        for char in set(text).difference(widths):
            widths[char] = self.get_string_width(char) / size
        return widths

    def lines(self, text: str, width: float, style: str, size: float) -> list[str]:
        """``text`` broken into lines no wider than ``width`` as ``multi_cell`` breaks it:
        at the last space that fits (the space dropped), at each newline (a last one ends
        the text and opens no line), a word longer than a line cut at the character that
        overflows."""
        widths = self._widths(text, style, size)
        limit = width / size + 1e-9  # in widths at 1 pt
        space = widths.get(" ", 0.0)
        parts = text.split("\n")
        if len(parts) > 1 and parts[-1] == "":
            parts.pop()
        lines = []
        for part in parts:
            line, used, started = "", 0.0, False
            for word in part.split(" "):
                wide = sum(map(widths.__getitem__, word))
                if started:
                    if used + space + wide <= limit:
                        line, used = f"{line} {word}", used + space + wide
                        continue
                    lines.append(line)
                    line, used = "", 0.0
                started = True
                if wide <= limit:
                    line, used = word, wide
                    continue
                for char in word:  # longer than a line: cut where it overflows
                    w = widths[char]
                    if line and used + w > limit:
                        lines.append(line)
                        line, used = "", 0.0
                    line, used = line + char, used + w
            lines.append(line)
        return lines

    def _write(self, x: float, top: float, height: float, size: float, line: str) -> None:
        """``line`` at ``x``, on the baseline fpdf2's cells give a line of ``height``."""
        if line:
            self.text(x, top + 0.5 * height + 0.3 * size, line.replace(NBSP, " "))

    # -- the blocks ------------------------------------------------------------------------

    def heading(self, text: str, level: int, size: float) -> None:
        """A heading in the outline, never alone at the foot of a page."""
        if self.will_page_break(size * LINE + 3 * 13.5):
            self.add_page()
        self.start_section(printable(text), level)
        self.paragraph(text, "B", size)

    def paragraph(
        self,
        text: str,
        style: str = "",
        size: float = 10,
        indent: float = 0,
        grey: bool = False,
    ) -> None:
        """``text`` wrapped within the margins, ragged right (no stretched gaps beside a
        long word); a word longer than a line is cut; a page break between lines."""
        self.set_font(FAMILY, style, size)
        self.set_text_color(GREY if grey else 0)
        height = size * LINE
        x = self.l_margin + indent + self.c_margin
        for line in self.lines(printable(text), self.epw - indent - 2 * self.c_margin, style, size):
            if self.will_page_break(height):
                self.add_page()
            self._write(x, self.y, height, size, line)
            self.y += height
        self.x = self.l_margin

    def _bullet_mark(self, size: float) -> None:
        self.set_font(FAMILY, "B", size)
        self.set_text_color(0)
        self._write(self.l_margin + self.c_margin, self.y, size * LINE, size, "•")

    def bullet(self, text: str, source: str = "", size: float = 10) -> None:
        """A list item: a bullet, ``text``, then its source in small grey type."""
        if self.will_page_break(2 * size * LINE):
            self.add_page()
        self._bullet_mark(size)
        self.paragraph(text, size=size, indent=BULLET_INDENT)
        if source:
            self.paragraph(source, size=8, indent=BULLET_INDENT, grey=True)

    def item(self, title: str, text: str, source: str = "") -> None:
        """A titled list item: its title in bold, its text, its source."""
        if self.will_page_break(3 * 10 * LINE):
            self.add_page()
        self.ln(3)
        self._bullet_mark(10)
        self.paragraph(title, "B", indent=BULLET_INDENT)
        self.paragraph(text, indent=BULLET_INDENT)
        if source:
            self.paragraph(source, size=8, indent=BULLET_INDENT, grey=True)

    def callout(self, text: str, detail: str = "") -> None:
        """``text`` in large bold type beside a thick rule, then ``detail``: the one thing
        not to miss. A rule rather than a tint, readable in black and white."""
        top = self.get_y()
        self.paragraph(text, "B", 13, indent=BULLET_INDENT)
        if detail:
            self.paragraph(detail, size=9, indent=BULLET_INDENT)
        self.set_fill_color(0)
        self.rect(self.l_margin, top, 3, self.get_y() - top, style="F")

    def grid(
        self,
        widths: Sequence[float],
        rows: Iterable[Sequence[str | Cell]],
        aligns: Sequence[str] | None = None,
        headings: bool = False,
    ) -> None:
        """A table across the page: columns sharing the width in the ratios of ``widths``,
        each cell wrapped within its column and centred in its row's height, a line
        between rows. With ``headings``, the first row is bold and repeated on top of each
        new page, and never left alone at the foot of one. A row never splits."""
        total = sum(widths)
        edges = [self.l_margin]
        for w in widths:
            edges.append(edges[-1] + self.epw * w / total)
        aligns = aligns or ["LEFT"] * len(widths)
        laid = []  # per row: its height and its cells (x, width, cell, lines)
        for row in rows:
            cells, column, height = [], 0, 0.0
            for cell in row:
                cell = cell if isinstance(cell, Cell) else Cell(cell, bold=headings and not laid)
                left, right = edges[column], edges[column + cell.span]
                style = "B" if cell.bold else ""
                self.set_font(FAMILY, style, cell.size)
                text = printable(cell.text)
                lines = (
                    self.lines(text, right - left - 2 * CELL_PAD_X, style, cell.size)
                    if text
                    else []
                )
                align = cell.align or aligns[column]
                cells.append((left, right, cell, style, align, lines))
                height = max(height, len(lines) * CELL_LINE + 2 * CELL_PAD_Y)
                column += cell.span
            laid.append((height, cells))
        if headings and len(laid) > 1 and self.will_page_break(laid[0][0] + laid[1][0]):
            self.add_page()
        for index, (height, cells) in enumerate(laid):
            if self.will_page_break(height):
                self.add_page()
                if headings and index > 0:
                    self._grid_row(laid[0][0], laid[0][1], top=False, bottom=True)
            self._grid_row(height, cells, top=index > 0, bottom=index < len(laid) - 1)
        self.x = self.l_margin

    def _grid_row(self, height: float, cells: list, top: bool, bottom: bool) -> None:
        y = self.y
        for left, right, cell, style, align, lines in cells:
            if top:
                self.line(left, y, right, y)
            if bottom:
                self.line(left, y + height, right, y + height)
            if not lines:
                continue
            self.set_font(FAMILY, style, cell.size)
            self.set_text_color(GREY if cell.grey else 0)
            line_top = y + (height - len(lines) * CELL_LINE) / 2
            for line in lines:
                x = left + CELL_PAD_X
                if align == "RIGHT":
                    x = right - CELL_PAD_X - self.get_string_width(line)
                self._write(x, line_top, CELL_LINE, cell.size, line)
                line_top += CELL_LINE
        self.y = y + height
        self.x = self.l_margin

    def rows(self, rows: Iterable[tuple[str, str, bool]], widths: tuple[int, int] = (34, 66)):
        """A two-column table of (label, value, to_complete) rows: a value to complete is
        grey, so that what the document asserts and what is left blank never look alike."""
        self.grid(
            widths,
            [(Cell(label, bold=True), Cell(value, grey=grey)) for label, value, grey in rows],
        )

    def signature_boxes(self, titles: list[str], height: float = 84) -> None:
        """Boxes side by side (two a line) for signatures, each with its title."""
        gap = 12.0
        width = (self.epw - gap) / 2
        size = 9
        for start in range(0, len(titles), 2):
            if self.will_page_break(height + 8):
                self.add_page()
            top = self.get_y()
            for i, title in enumerate(titles[start : start + 2]):
                x = self.l_margin + i * (width + gap)
                self.set_draw_color(GREY)
                self.rect(x, top, width, height)
                self.set_font(FAMILY, "B", size)
                self.set_text_color(0)
                line_top = top + 4
                for line in self.lines(printable(title), width - 8 - 2 * self.c_margin, "B", size):
                    self._write(x + 4 + self.c_margin, line_top, size * LINE, size, line)
                    line_top += size * LINE
            self.set_xy(self.l_margin, top + height + 8)


def document(title: str, subject: str, running_title: bool = True) -> Document:
    """A new document with its first page: language, title, outline shown; the footer
    names it when ``running_title``."""
    pdf = Document(unit="pt", format="A4")
    pdf.running_title = running_title
    for style, path in _fonts().paths.items():
        pdf.add_font(FAMILY, style, path)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    pdf.set_lang("fr-FR")
    pdf.set_title(title)
    pdf.set_subject(subject)
    pdf.set_creator("Contrat d’apprentissage")
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    pdf.page_mode = PageMode.USE_OUTLINES
    pdf.add_page()
    return pdf
