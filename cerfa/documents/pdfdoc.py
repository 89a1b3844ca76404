"""What the documents we write as PDF share: the page, the typeface, headings, paragraphs,
label/value tables, lists; made with fpdf2.

**Why fpdf2.** The documents (« points à vérifier », convention de formation, « Et
maintenant ? ») are a few pages of text, headings and simple tables built from Python
data, in memory, once per download. For that use:

- *fpdf2* is pure Python (one dependency, fontTools, which it uses to subset the font),
  maintained, LGPL; it embeds a TrueType font subset (French accents, « », ’, €), wraps
  text within a width (cutting a word longer than a line), draws tables whose cells wrap,
  and writes the document's language (/Lang), title and outline (bookmarks). The findings
  PDF already used it (``cerfa/pdf/findings_pdf.py``), so one library makes every PDF.
- *reportlab* does as much (its Platypus flows are richer), but its open-source toolkit is
  a larger dependency with C extensions, and its tagging is in the commercial edition only:
  no gain for a few pages of text.
- *typst* typesets better (hyphenation, justification) and tags its output, but it is a
  compiler (a Rust binary, or its Python wheel) fed with a markup we would write, escape
  and template: one more language between the data and the page, for text this plain.

Accessibility, as far as fpdf2 goes (as the findings PDF): the language is fr-FR, the
title is shown by the viewer instead of the file name, every heading is an entry of the
outline; the PDF is not tagged (fpdf2 tags neither paragraphs nor tables, and a partly
tagged PDF hides the untagged text from screen readers that trust the tags), and the
content is written in reading order, one column, top to bottom.

The typeface (Spectral, the DSFR's second typeface, from django-dsfr's files) and the
replacement of characters it lacks are the findings PDF's (``printable``): one setup.
"""

from __future__ import annotations

from collections.abc import Iterable

from fpdf import FPDF, FontFace, ViewerPreferences
from fpdf.enums import Align, PageMode, TableBordersLayout, XPos, YPos

from cerfa.pdf.findings_pdf import FAMILY, FONT_FILES, FONTS, GREY, MARGIN, printable

LINE = 1.35  # line height, as a multiple of the font size
BULLET_INDENT = 12.0
LABEL = FontFace(emphasis="BOLD")
TO_COMPLETE = FontFace(color=GREY)


class Document(FPDF):
    """An A4 page in points, Spectral, margins of ``MARGIN``, numbered pages."""

    def footer(self) -> None:
        self.set_y(-MARGIN + 18)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(GREY)
        self.cell(0, 10, f"{printable(self.title or '')} — page {self.page_no()} / {{nb}}")

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
        """``text`` wrapped within the margins; a word longer than a line is cut."""
        self.set_font(FAMILY, style, size)
        self.set_text_color(GREY if grey else 0)
        self.set_x(self.l_margin + indent)
        self.multi_cell(
            self.epw - indent,
            size * LINE,
            printable(text),
            align=Align.L,  # ragged right: no stretched gaps beside a long word
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def bullet(self, text: str, source: str = "", size: float = 10) -> None:
        """A list item: a bullet, ``text``, then its legal source in small grey type."""
        if self.will_page_break(2 * size * LINE):
            self.add_page()
        top = self.get_y()
        self.set_font(FAMILY, "B", size)
        self.set_text_color(0)
        self.cell(BULLET_INDENT, size * LINE, "•")
        self.set_y(top)
        self.paragraph(text, size=size, indent=BULLET_INDENT)
        if source:
            self.paragraph(source, size=8, indent=BULLET_INDENT, grey=True)

    def item(self, title: str, text: str, source: str = "") -> None:
        """A titled list item: its title in bold, its text, its source."""
        if self.will_page_break(3 * 10 * LINE):
            self.add_page()
        self.ln(3)
        top = self.get_y()
        self.set_font(FAMILY, "B", 10)
        self.set_text_color(0)
        self.cell(BULLET_INDENT, 10 * LINE, "•")
        self.set_y(top)
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

    def rows(self, rows: Iterable[tuple[str, str, bool]], widths: tuple[int, int] = (34, 66)):
        """A two-column table of (label, value, to_complete) rows: a value to complete is
        grey, so that what the document asserts and what is left blank never look alike."""
        self.set_font(FAMILY, "", 9)
        self.set_text_color(0)
        with self.table(
            col_widths=widths,
            width=self.epw,
            align="LEFT",
            text_align=("LEFT", "LEFT"),
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            first_row_as_headings=False,
            line_height=12,
            padding=(2, 3),
        ) as table:
            for label, value, to_complete in rows:
                row = table.row()
                row.cell(printable(label), style=LABEL)
                row.cell(printable(value), style=TO_COMPLETE if to_complete else None)

    def signature_boxes(self, titles: list[str], height: float = 84) -> None:
        """Boxes side by side (two a line) for signatures, each with its title."""
        gap = 12.0
        width = (self.epw - gap) / 2
        for start in range(0, len(titles), 2):
            if self.will_page_break(height + 8):
                self.add_page()
            top = self.get_y()
            for i, title in enumerate(titles[start : start + 2]):
                x = self.l_margin + i * (width + gap)
                self.set_draw_color(GREY)
                self.rect(x, top, width, height)
                self.set_xy(x + 4, top + 4)
                self.set_font(FAMILY, "B", 9)
                self.set_text_color(0)
                self.multi_cell(width - 8, 9 * LINE, printable(title), align=Align.L)
            self.set_xy(self.l_margin, top + height + 8)


def document(title: str, subject: str) -> Document:
    """A new document with its first page: language, title, outline shown."""
    pdf = Document(unit="pt", format="A4")
    for style, name in FONT_FILES.items():
        pdf.add_font(FAMILY, style, str(FONTS / f"{FAMILY}-{name}.woff"))
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
