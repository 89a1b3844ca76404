"""The "points à vérifier" PDF: the findings on a dossier, to keep beside the CERFA.

Written from scratch (no template): A4 pages, Helvetica in Windows-1252 like the form
itself, errors first, each point with the boxes it concerns and its legal source; then,
when the dates allow, the contract's key dates and what it costs at least, period by
period (``rules/timeline.py``, ``rules/costs.py``: the amounts are never computed here).
"""

from __future__ import annotations

import io
from datetime import date

from pypdf._codecs.core_font_metrics import CORE_FONT_METRICS

from rules.dates import format_fr
from rules.findings import LEVELS, Finding, sort_findings
from rules.remuneration import fr_euros, fr_taux
from rules.timeline import Timeline

PAGE_W, PAGE_H = 595.28, 841.89  # A4
MARGIN = 56.0
WIDTH = PAGE_W - 2 * MARGIN
HEADINGS = {
    "error": "À corriger avant l’envoi",
    "warning": "À vérifier",
    "info": "Pour information",
}
FONTS = {"R": "Helvetica", "B": "Helvetica-Bold", "I": "Helvetica-Oblique"}


def _width(text: str, font: str, size: float) -> float:
    widths = CORE_FONT_METRICS[FONTS[font]].character_widths
    default = widths.get("default", 556)
    return sum(widths.get(c, default) for c in text) * size / 1000


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if _width(candidate, font, size) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines or [""]


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


class _Pages:
    def __init__(self) -> None:
        self.pages: list[list[bytes]] = []
        self.y = 0.0
        self.new_page()

    def new_page(self) -> None:
        self.pages.append([])
        self.y = PAGE_H - MARGIN

    def line(
        self,
        text: str,
        font: str = "R",
        size: float = 10,
        indent: float = 0,
        gap: float = 1.35,
        grey: bool = False,
    ) -> None:
        if self.y - size * gap < MARGIN:
            self.new_page()
        self.y -= size * gap
        colour = b"0.35 g " if grey else b"0 g "
        self.pages[-1].append(
            b"BT %s/%s %.1f Tf %.2f %.2f Td (%s) Tj ET"
            % (colour, font.encode(), size, MARGIN + indent, self.y, _escape(text))
        )

    def paragraph(
        self, text: str, font: str = "R", size: float = 10, indent: float = 0, grey: bool = False
    ) -> None:
        for piece in _wrap(text, font, size, WIDTH - indent):
            self.line(piece, font, size, indent, grey=grey)

    def space(self, points: float) -> None:
        self.y -= points

    def row(self, cells: list[tuple[float, str, bool]], font: str = "R", size: float = 9) -> None:
        """One line of a table: (x, text, aligned right at x) for each cell."""
        if self.y - size * 1.5 < MARGIN:
            self.new_page()
        self.y -= size * 1.5
        for x, text, right in cells:
            left = x - _width(text, font, size) if right else x
            self.pages[-1].append(
                b"BT 0 g /%s %.1f Tf %.2f %.2f Td (%s) Tj ET"
                % (font.encode(), size, MARGIN + left, self.y, _escape(text))
            )


def findings_pdf(
    findings: list[Finding],
    subject: str = "",
    today: date | None = None,
    timeline: Timeline | None = None,
) -> bytes:
    """A PDF listing ``findings``, grouped by level; ``subject`` names the contract; then
    the key dates and the minimum amounts of ``timeline`` when it is given."""
    today = today or date.today()
    doc = _Pages()
    doc.paragraph("Points à vérifier sur le contrat d’apprentissage", "B", 16)
    doc.paragraph(
        (f"{subject} — " if subject else "") + f"CERFA FA13 n°10103*14, liste établie le "
        f"{format_fr(today)}.",
        size=10,
        grey=True,
    )
    doc.space(6)
    if not findings:
        doc.paragraph("Aucun point à vérifier : toutes les vérifications sont passées.")
    ordered = sort_findings(findings)
    for level in LEVELS:
        items = [f for f in ordered if f.level == level]
        if not items:
            continue
        doc.space(8)
        doc.paragraph(f"{HEADINGS[level]} ({len(items)})", "B", 12)
        for finding in items:
            doc.space(3)
            lines = _wrap(finding.message, "R", 10, WIDTH - 12)
            doc.line("•", "B", 10)
            doc.y += 10 * 1.35  # the bullet shares the first line
            for text in lines:
                doc.line(text, "R", 10, indent=12)
            details = ", ".join(finding.fields)
            if finding.reference:
                details = f"{details} — {finding.reference}" if details else finding.reference
            if details:
                doc.paragraph(details, "I", 8, indent=12, grey=True)
    if timeline is not None:
        _timeline(doc, timeline)
    return _write(doc.pages)


# The columns of the amounts table: x of each cell, True when aligned right at x.
COLUMNS = ((0, False), (98, False), (160, False), (222, False), (372, True), (WIDTH, True))


def _timeline(doc: _Pages, timeline: Timeline) -> None:
    doc.space(12)
    doc.paragraph("Les dates clés du contrat", "B", 12)
    for m in timeline.milestones:
        doc.row([(0, format_fr(m.day), False), (62, m.label, False)], size=9)
    doc.space(12)
    doc.paragraph("Ce que coûte le contrat au minimum (salaire brut)", "B", 12)
    if timeline.costs is None:
        doc.paragraph(
            timeline.grid_problem
            or "Les montants seront calculés quand la date de naissance sera indiquée.",
            size=9,
        )
        return
    heads = ("Période", "Du", "Au", "Taux minimum", "Brut mensuel", "Total")
    doc.row([(x, h, r) for (x, r), h in zip(COLUMNS, heads, strict=True)], "B", 9)
    for period in timeline.periods:
        line, cost = period.line, period.cost
        cells = (
            period.name,
            format_fr(line.du),
            format_fr(line.au),
            f"{fr_taux(line.taux)} % du {line.reference}",
            fr_euros(cost.mensuel),
            fr_euros(cost.total),
        )
        doc.row([(x, c, r) for (x, r), c in zip(COLUMNS, cells, strict=True)])
        for piece in cost.revaluations:
            doc.row(
                [
                    (
                        COLUMNS[4][0],
                        f"puis {fr_euros(piece.mensuel)} dès le {format_fr(piece.du)}",
                        True,
                    )
                ],
                "I",
                8,
            )
    doc.row(
        [
            (0, "Total brut minimum sur tout le contrat", False),
            (WIDTH, fr_euros(timeline.costs.total), True),
        ],
        "B",
        9,
    )
    doc.space(4)
    for sentence in timeline.costs.sentences():
        doc.paragraph(sentence, size=8, grey=True)


def _write(pages: list[list[bytes]]) -> bytes:
    count = len(pages)
    objects: list[bytes] = [b"", b""]  # 1: catalog, 2: page tree, filled below
    font_refs = {}
    for key, name in FONTS.items():
        objects.append(
            b"<</Type/Font/Subtype/Type1/BaseFont/%s/Encoding/WinAnsiEncoding>>" % name.encode()
        )
        font_refs[key] = len(objects)
    fonts = b"".join(b"/%s %d 0 R" % (k.encode(), n) for k, n in font_refs.items())
    kids = []
    for number, ops in enumerate(pages, start=1):
        footer = b"BT 0.35 g /R 8 Tf %.2f 30 Td (%s) Tj ET" % (
            PAGE_W - MARGIN - 40,
            _escape(f"Page {number} / {count}"),
        )
        content = b"\n".join([*ops, footer])
        objects.append(b"<</Length %d>>\nstream\n%s\nendstream" % (len(content), content))
        content_ref = len(objects)
        objects.append(
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 %.2f %.2f]/Resources<</Font<<%s>>>>"
            b"/Contents %d 0 R>>" % (PAGE_W, PAGE_H, fonts, content_ref)
        )
        kids.append(len(objects))
    objects[0] = b"<</Type/Catalog/Pages 2 0 R/Lang(fr-FR)>>"
    objects[1] = b"<</Type/Pages/Kids[%s]/Count %d>>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        count,
    )
    return write_pdf(objects)


def write_pdf(objects: list[bytes]) -> bytes:
    """A whole PDF from its objects' bodies, numbered from 1 (object 1 is the catalog)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()
