"""« Et maintenant ? » : the employer's next steps for this contract, as a PDF.

Everything it says is ``rules/next_steps.py``'s (who signs what and in which order, the
filing deadline from ``rules/timeline.py``, the OPCO from the IDCC, the supporting
documents this contract calls for, the formalities of the hiring, public aid as of a
stated date) and the pay changes to plan (the timeline's periods, ``rules/costs.py``'s
amounts): this module lays them out, and decides only what « today » changes: a deadline
already passed is said so.
"""

from __future__ import annotations

import datetime

from rules.dates import format_fr
from rules.dossier import Dossier
from rules.next_steps import aid_note, attachment, is_avenant, next_steps, texts_note
from rules.remuneration import fr_euros, fr_taux
from rules.timeline import FILING_DAYS, timeline_for

from .convention import full_name
from .pdfdoc import document

TITLE = "Et maintenant ? Les étapes après le CERFA"


def guide_pdf(dossier: Dossier, today: datetime.date | None = None) -> bytes:
    """The « Et maintenant ? » guide of ``dossier`` (A4 PDF); ``today`` dates it."""
    today = today or datetime.date.today()
    steps = next_steps(dossier)
    to = steps.recipient
    apprenti = full_name(dossier.apprenti.nom_naissance, dossier.apprenti.prenom)
    pdf = document(TITLE, "Contrat d’apprentissage — CERFA FA13 n°10103*14")
    pdf.heading("Et maintenant ?", 0, 18)
    pdf.paragraph(
        "Ce qu’il reste à faire pour le contrat d’apprentissage"
        + (f" de {apprenti}" if apprenti else "")
        + f", une fois le CERFA rempli. Document établi le {format_fr(today)}.",
        grey=True,
    )

    pdf.ln(10)
    if steps.deadline is not None:
        line = f"À transmettre au plus tard le {format_fr(steps.deadline.day)} {to.to}"
        detail = (
            f"Le contrat commence le {format_fr(dossier.contrat.date_debut_execution)} ; "
            f"{steps.deadline.detail} Joignez-y {attachment(dossier)}."
        )
        if today > steps.deadline.day:
            detail += " Ce délai est passé : transmettez le contrat sans attendre."
    elif is_avenant(dossier):
        line = f"Avenant à transmettre {to.to}, une fois signé"
        detail = "Un avenant modifie le contrat déjà transmis : il suit le même chemin."
    else:
        line = f"À transmettre {to.to} dans les {FILING_DAYS} jours ouvrables après le début"
        detail = (
            "La date limite sera calculée quand les dates de début et de fin du contrat "
            "seront indiquées."
        )
    if to.to_check and not to.public:
        line += " (OPCO à vérifier)" if to.name else ""
    pdf.callout(line, detail)

    pdf.ln(10)
    pdf.heading("1. Qui signe quoi, et dans quel ordre", 1, 13)
    for item in steps.signatures:
        pdf.item(item.title, item.text, item.source)

    pdf.ln(10)
    pdf.heading("2. À qui transmettre le contrat", 1, 13)
    pdf.paragraph(to.text)
    if not to.public and not to.name:
        pdf.paragraph("Le CFA de l’apprenti peut aussi vous le dire.", size=9)
    pdf.paragraph(to.source, size=8, grey=True)

    pdf.ln(10)
    pdf.heading("3. Les pièces à garder pour ce contrat", 1, 13)
    pdf.paragraph(
        "L’OPCO ou les services de l’État peuvent les demander en cas de contrôle. Gardez "
        "aussi l’original signé du contrat.",
        size=9,
    )
    for item in steps.documents:
        pdf.item(item.title, item.text, item.source)
    pdf.ln(6)
    pdf.paragraph("Selon votre situation", "B", 10)
    for item in steps.possible_documents:
        pdf.item(item.title, item.text, item.source)

    pdf.ln(10)
    pdf.heading("4. Les formalités de l’embauche", 1, 13)
    for item in steps.formalities:
        pdf.item(item.title, item.text, item.source)

    timeline = timeline_for(dossier)
    if timeline is not None and timeline.periods:
        pdf.ln(10)
        pdf.heading("5. Les changements de salaire à prévoir", 1, 13)
        pdf.paragraph(
            "Le salaire minimum de l’apprenti change avec son âge et l’année du contrat : "
            "prévoyez chaque changement dans la paie (montants bruts minimums, pour la durée "
            "hebdomadaire du contrat).",
            size=9,
        )
        for period in timeline.periods:
            line = period.line
            pdf.bullet(
                f"À partir du {format_fr(line.du)} ({period.name}) : {fr_taux(line.taux)} % du "
                f"{line.reference}, soit {fr_euros(period.cost.mensuel)} brut par mois au "
                "minimum"
                + "".join(
                    f", puis {fr_euros(piece.mensuel)} dès le {format_fr(piece.du)}"
                    for piece in period.cost.revaluations
                )
                + ".",
                size=9,
            )
        pdf.paragraph("C. trav. art. D6222-26 et D6222-31", size=8, grey=True)

    pdf.ln(10)
    pdf.heading(
        ("6" if timeline is not None and timeline.periods else "5")
        + ". Les aides, et ce que la formation coûte à l’employeur",
        1,
        13,
    )
    pdf.paragraph(f"Les aides changent souvent. {aid_note()}", size=9)
    for item in steps.aid:
        pdf.item(item.title, item.text, item.source)
    pdf.ln(10)
    pdf.paragraph(
        f"{texts_note()} La table IDCC → OPCO date du {format_fr(to.table_date)}.",
        size=8,
        grey=True,
    )
    return bytes(pdf.output())
