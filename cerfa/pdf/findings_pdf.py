"""The "points à vérifier" PDF: the findings on a dossier, to keep beside the CERFA.

Laid out with the documents' shared layout (``cerfa/documents/pdfdoc.py``: fpdf2, A4 pages
in the DSFR's typeface Spectral): errors first, each point with the boxes it concerns and
its legal source; then, when the dates allow, the contract's key dates and what it costs
at least, period by period (``rules/timeline.py``, ``rules/costs.py``: the amounts are never
computed here). Its footer says the page alone (« Page 2 / 3 »), on the right.

Accessibility is the shared layout's: the language (fr-FR) and the title, shown by the
viewer instead of the file name; each heading an entry of the outline; untagged, written in
reading order, top to bottom, one column.
"""

from __future__ import annotations

from datetime import date

from cerfa.documents.pdfdoc import MARGIN, Cell, Document, document
from rules.dates import format_fr
from rules.findings import LEVELS, Finding, sort_findings
from rules.remuneration import fr_euros, fr_taux
from rules.timeline import Timeline

__all__ = ["MARGIN", "TITLE", "findings_pdf"]  # MARGIN: the page its tests measure

HEADINGS = {
    "error": "À corriger avant l’envoi",
    "warning": "À vérifier",
    "info": "Pour information",
}
TITLE = "Points à vérifier sur le contrat d’apprentissage"


def findings_pdf(
    findings: list[Finding],
    subject: str = "",
    today: date | None = None,
    timeline: Timeline | None = None,
) -> bytes:
    """A PDF listing ``findings``, grouped by level; ``subject`` names the contract; then
    the key dates and the minimum amounts of ``timeline`` when it is given."""
    today = today or date.today()
    pdf = document(TITLE, "CERFA FA13 n°10103*14", running_title=False)
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
            details = ", ".join(finding.fields)
            if finding.reference:
                details = f"{details} — {finding.reference}" if details else finding.reference
            pdf.bullet(finding.message, details)
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


def _timeline(pdf: Document, timeline: Timeline) -> None:
    pdf.ln(12)
    pdf.heading("Les dates clés du contrat", 1, 12)
    pdf.grid(
        (20, 80),
        [("Date", "Étape"), *((format_fr(m.day), m.label) for m in timeline.milestones)],
        headings=True,
    )
    pdf.ln(12)
    pdf.heading("Ce que coûte le contrat au minimum (salaire brut)", 1, 12)
    if timeline.costs is None:
        pdf.paragraph(
            timeline.grid_problem
            or "Les montants seront calculés quand la date de naissance sera indiquée.",
            size=9,
        )
        return
    rows: list[tuple[str | Cell, ...]] = [tuple(c[0] for c in COLUMNS)]
    for period in timeline.periods:
        line, cost = period.line, period.cost
        rows.append(
            (
                period.name,
                format_fr(line.du),
                format_fr(line.au),
                f"{fr_taux(line.taux)} % du {line.reference}",
                fr_euros(cost.mensuel),
                fr_euros(cost.total),
            )
        )
        for piece in cost.revaluations:
            rows.append(
                (
                    Cell("", span=2),
                    Cell(
                        f"puis {fr_euros(piece.mensuel)} dès le {format_fr(piece.du)}",
                        span=3,
                        align="RIGHT",
                        size=8,
                        grey=True,
                    ),
                    "",
                )
            )
    rows.append(
        (
            Cell("Total brut minimum sur tout le contrat", span=5, bold=True),
            Cell(fr_euros(timeline.costs.total), bold=True),
        )
    )
    pdf.grid(tuple(c[1] for c in COLUMNS), rows, tuple(c[2] for c in COLUMNS), headings=True)
    pdf.ln(4)
    for sentence in timeline.costs.sentences():
        pdf.paragraph(sentence, size=8, grey=True)
