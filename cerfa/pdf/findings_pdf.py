"""The "points à vérifier" PDF: the findings on a dossier, to keep beside the CERFA.

Made with fpdf2 (no template): A4 pages in the State's typeface Marianne, read from the
DSFR's own font files, errors first, each point with the boxes it concerns and its legal
source; then, when the dates allow, the contract's key dates and what it costs at least,
period by period (``rules/timeline.py``, ``rules/costs.py``: the amounts are never computed
here).

Accessibility, as far as fpdf2 goes: the document says its language (fr-FR) and its title,
shown by the viewer instead of the file name; each heading is an entry of the outline
(bookmarks) to move through the document. fpdf2 tags only images and styled section titles,
not paragraphs nor tables, and a partly tagged PDF hides the untagged text from screen
readers that trust the tags: so the PDF is left untagged, and its content is written in
reading order, top to bottom, one column, so that a reader following it reads it right.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib.resources import files

from fontTools.ttLib import TTFont
from fpdf import FPDF, FontFace, ViewerPreferences
from fpdf.enums import Align, PageMode, TableBordersLayout, XPos, YPos

from rules.dates import format_fr
from rules.findings import LEVELS, Finding, sort_findings
from rules.remuneration import fr_euros, fr_taux
from rules.timeline import Timeline

MARGIN = 56.0  # points, on each side of the A4 page
HEADINGS = {
    "error": "À corriger avant l’envoi",
    "warning": "À vérifier",
    "info": "Pour information",
}
TITLE = "Points à vérifier sur le contrat d’apprentissage"
GREY = 89  # 35 % black: the details, readable in black and white
FAMILY = "Spectral"
# The DSFR's second typeface, from the WOFF files django-dsfr already installs (fpdf2 reads
# WOFF through fontTools; WOFF2 would need Brotli), under the SIL Open Font License. Not
# Marianne: its outlines are CFF, which fpdf2 embeds as a TrueType font program (a PDF that
# Poppler reports as broken); Spectral's are TrueType. It has no italic: details are grey.
FONT_FILES = {"": "Regular", "B": "ExtraBold"}
FONTS = files("dsfr") / "static" / "dsfr" / "dist" / "fonts"
BULLET_INDENT = 12.0
# A character the typeface lacks would print as nothing: said instead with one it has
# (the rules' references write « code diplôme ↔ RNCP »), or « ? » as the form itself does.
SUBSTITUTES = {"↔": "/"}


@cache
def _printable() -> frozenset[str]:
    """The characters every style of the typeface can print."""
    sets = [
        {chr(c) for c in TTFont(str(FONTS / f"{FAMILY}-{name}.woff")).getBestCmap()}
        for name in FONT_FILES.values()
    ]
    return frozenset.intersection(*map(frozenset, sets)) | {"\n"}


def printable(text: str) -> str:
    """``text`` with each character the typeface lacks replaced by one it has."""
    known = _printable()
    return "".join(c if c in known else SUBSTITUTES.get(c, "?") for c in text)


class _Document(FPDF):
    def footer(self) -> None:
        self.set_y(-MARGIN + 18)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(GREY)
        self.cell(0, 10, f"Page {self.page_no()} / {{nb}}", align=Align.R)

    def heading(self, text: str, level: int, size: float) -> None:
        """A heading in the outline, never alone at the foot of a page."""
        if self.will_page_break(size * 1.35 + 3 * 13.5):
            self.add_page()
        self.start_section(text, level)
        self.paragraph(text, "B", size)

    def paragraph(
        self, text: str, style: str = "", size: float = 10, indent: float = 0, grey: bool = False
    ) -> None:
        """``text`` wrapped within the margins; a word longer than a line is cut."""
        self.set_font(FAMILY, style, size)
        self.set_text_color(GREY if grey else 0)
        self.set_x(self.l_margin + indent)
        self.multi_cell(
            self.epw - indent,
            size * 1.35,
            printable(text),
            align=Align.L,  # ragged right: no stretched gaps beside a long word
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )


def _document() -> _Document:
    pdf = _Document(unit="pt", format="A4")
    for style, name in FONT_FILES.items():
        pdf.add_font(FAMILY, style, str(FONTS / f"{FAMILY}-{name}.woff"))
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    pdf.set_lang("fr-FR")
    pdf.set_title(TITLE)
    pdf.set_subject("CERFA FA13 n°10103*14")
    pdf.set_creator("Contrat d’apprentissage")
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    pdf.page_mode = PageMode.USE_OUTLINES
    pdf.add_page()
    return pdf


def findings_pdf(
    findings: list[Finding],
    subject: str = "",
    today: date | None = None,
    timeline: Timeline | None = None,
) -> bytes:
    """A PDF listing ``findings``, grouped by level; ``subject`` names the contract; then
    the key dates and the minimum amounts of ``timeline`` when it is given."""
    today = today or date.today()
    pdf = _document()
    pdf.heading(TITLE, 0, 16)
    pdf.paragraph(
        (f"{subject} — " if subject else "") + f"CERFA FA13 n°10103*14, liste établie le "
        f"{format_fr(today)}.",
        grey=True,
    )
    pdf.ln(6)
    if not findings:
        pdf.paragraph("Aucun point à vérifier : toutes les vérifications sont passées.")
    ordered = sort_findings(findings)
    for level in LEVELS:
        items = [f for f in ordered if f.level == level]
        if not items:
            continue
        pdf.ln(8)
        pdf.heading(f"{HEADINGS[level]} ({len(items)})", 1, 12)
        for finding in items:
            pdf.ln(3)
            if pdf.will_page_break(2 * 13.5):
                pdf.add_page()
            top = pdf.get_y()
            pdf.set_font(FAMILY, "B", 10)
            pdf.set_text_color(0)
            pdf.cell(BULLET_INDENT, 13.5, "•")
            pdf.set_y(top)
            pdf.paragraph(finding.message, indent=BULLET_INDENT)
            details = ", ".join(finding.fields)
            if finding.reference:
                details = f"{details} — {finding.reference}" if details else finding.reference
            if details:
                pdf.paragraph(details, "", 8, indent=BULLET_INDENT, grey=True)
    if timeline is not None:
        _timeline(pdf, timeline)
    return bytes(pdf.output())


# The amounts table: each column's share of the width and its alignment.
COLUMNS = (
    ("Période", 17, "LEFT"),
    ("Du", 12, "LEFT"),
    ("Au", 12, "LEFT"),
    ("Taux minimum", 25, "LEFT"),
    ("Brut mensuel", 16, "RIGHT"),
    ("Total", 18, "RIGHT"),
)
BOLD = FontFace(emphasis="BOLD")
SMALL = FontFace(size_pt=8, color=GREY)


def _table(pdf: _Document, widths: tuple[int, ...], aligns: tuple[str, ...]):
    pdf.set_font(FAMILY, "", 9)
    pdf.set_text_color(0)
    return pdf.table(
        col_widths=widths,
        text_align=aligns,
        width=pdf.epw,
        align="LEFT",
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
        headings_style=BOLD,
        line_height=12,
        padding=(2, 3),
    )


def _timeline(pdf: _Document, timeline: Timeline) -> None:
    pdf.ln(12)
    pdf.heading("Les dates clés du contrat", 1, 12)
    with _table(pdf, (20, 80), ("LEFT", "LEFT")) as table:
        table.row(("Date", "Étape"))
        for m in timeline.milestones:
            table.row((format_fr(m.day), printable(m.label)))
    pdf.ln(12)
    pdf.heading("Ce que coûte le contrat au minimum (salaire brut)", 1, 12)
    if timeline.costs is None:
        pdf.paragraph(
            timeline.grid_problem
            or "Les montants seront calculés quand la date de naissance sera indiquée.",
            size=9,
        )
        return
    with _table(pdf, tuple(c[1] for c in COLUMNS), tuple(c[2] for c in COLUMNS)) as table:
        table.row(tuple(c[0] for c in COLUMNS))
        for period in timeline.periods:
            line, cost = period.line, period.cost
            table.row(
                (
                    printable(period.name),
                    format_fr(line.du),
                    format_fr(line.au),
                    printable(f"{fr_taux(line.taux)} % du {line.reference}"),
                    fr_euros(cost.mensuel),
                    fr_euros(cost.total),
                )
            )
            for piece in cost.revaluations:
                row = table.row()
                row.cell("", colspan=2)
                row.cell(
                    f"puis {fr_euros(piece.mensuel)} dès le {format_fr(piece.du)}",
                    colspan=3,
                    align="RIGHT",
                    style=SMALL,
                )
                row.cell("")
        row = table.row()
        row.cell("Total brut minimum sur tout le contrat", colspan=5, style=BOLD)
        row.cell(fr_euros(timeline.costs.total), style=BOLD)
    pdf.ln(4)
    for sentence in timeline.costs.sentences():
        pdf.paragraph(sentence, size=8, grey=True)
