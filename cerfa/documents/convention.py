"""The convention de formation, pre-filled from the contract: a PDF for the CFA to complete.

The convention between the CFA and the employer (C. trav. art. L6353-1) is attached to the
contract when it is sent (D6224-1). Its content follows D6353-1 (version in force since
1 January 2019: the action's title, objective and content, means, duration and period,
how it is run, followed and assessed; its price and how it is paid) and, as far as its
content is publicly described, the ministry of Labour's model of July 2025, which added
the hours at distance (décret n° 2025-586 du 27 juin 2025) and the employer's share for a
diploma of level 6 or more (décret n° 2025-585 du 27 juin 2025, R6332-25-1).

What the dossier gives is written as the dossier has it: the parties (the CFA with its
UAI and SIRET, the employer, the apprentice and the legal representative), the training
(intitulé, diploma, level, code diplôme, RNCP), the dates, the total hours and those at
distance, the main place of training. What only the CFA knows (its declaration number,
the programme, the costs: the NPEC, the annex costs, the terms of payment…) is written
« À compléter par le CFA », never guessed; a value the dossier lacks, « Non renseigné ».
The rules' facts (the employer's share, the distance threshold, the OPCO) come from
``rules/next_steps.py``.
"""

from __future__ import annotations

from rules import codes
from rules.dates import format_fr
from rules.dossier import Adresse, Dossier, Etablissement
from rules.next_steps import (
    DISTANCE_SHARE_THRESHOLD,
    DISTANCE_SOURCE,
    EMPLOYER_SHARE,
    EMPLOYER_SHARE_FROM,
    EMPLOYER_SHARE_LEVEL,
    EMPLOYER_SHARE_SOURCE,
    diploma_level,
    distance_share,
    employer_share_applies,
    is_minor,
    recipient,
    texts_note,
)

from .pdfdoc import document

TITLE = "Convention de formation par apprentissage"
CFA = "À compléter par le CFA"
EMPLOYER = "À compléter par l’employeur"
MISSING = "Non renseigné"
SOURCES = (
    "C. trav. art. L6353-1 et D6353-1 (version en vigueur depuis le 1er janvier 2019) : "
    "contenu de la convention.",
    "C. trav. art. D6224-1 : la convention est jointe au contrat transmis à l’OPCO ; pour "
    "un CFA d’entreprise, une annexe pédagogique et financière en tient lieu.",
    f"{EMPLOYER_SHARE_SOURCE} : participation de l’employeur de {EMPLOYER_SHARE} € pour un "
    "diplôme ou titre de niveau 6 ou plus, contrats conclus à partir du 1er juillet 2025.",
    f"C. trav. art. L6332-14 (modifié par la loi n° 2025-127 du 14 février 2025) ; "
    f"{DISTANCE_SOURCE} : nombre d’heures de formation à distance "
    f"indiqué dans la convention, prise en charge minorée de 20 % quand la formation est "
    f"à distance pour au moins {DISTANCE_SHARE_THRESHOLD} % de sa durée.",
    "C. trav. art. L6221-2 : aucune contrepartie financière ne peut être demandée à "
    "l’apprenti pour la conclusion, l’enregistrement ou la rupture du contrat.",
    "Modèle de convention de formation par apprentissage du ministère du Travail (juillet "
    "2025), repris d’après sa description publique : le modèle du CFA prévaut.",
)


def _text(value: object) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else ""


def _value(value: object, missing: str = MISSING) -> tuple[str, bool]:
    text = _text(value)
    return (text, False) if text else (missing, True)


def address(a: Adresse | None) -> str:
    """« 8 place Bellecour, Bâtiment B, 69002 Lyon », or "" when nothing is given."""
    if a is None:
        return ""
    street = " ".join(p for p in (_text(a.numero), _text(a.voie)) if p)
    town = " ".join(p for p in (_text(a.code_postal), _text(a.commune)) if p)
    return ", ".join(p for p in (street, _text(a.complement), town) if p)


def full_name(nom: str | None, prenom: str | None) -> str:
    return " ".join(p for p in (_text(prenom), _text(nom).upper()) if p)


def _row(label: str, value: object, missing: str = MISSING) -> tuple[str, str, bool]:
    text, to_complete = _value(value, missing)
    return (label, text, to_complete)


def _establishment(e: Etablissement, missing: str) -> list[tuple[str, str, bool]]:
    return [
        _row("Dénomination", e.denomination, missing),
        _row("N° UAI", e.uai, missing),
        _row("N° SIRET", e.siret, missing),
        _row("Adresse", address(e.adresse), missing),
    ]


def _hours(hours: int | None) -> str:
    return "" if hours is None else f"{hours} heure" + ("s" if hours > 1 else "")


def convention_pdf(dossier: Dossier) -> bytes:
    """The convention de formation pre-filled from ``dossier`` (A4 PDF)."""
    d = dossier
    e, a, c, f = d.employeur, d.apprenti, d.contrat, d.formation
    apprenti = full_name(a.nom_naissance, a.prenom)
    pdf = document(TITLE, "Convention de formation — CERFA FA13 n°10103*14")
    pdf.heading(TITLE, 0, 16)
    pdf.paragraph(
        "Pré-remplie à partir du contrat d’apprentissage (CERFA FA13 n°10103*14)"
        + (f" de {apprenti}" if apprenti else "")
        + ". Le CFA la complète ; le CFA et l’employeur la signent ; elle est jointe au "
        "contrat quand il est transmis. Les cases grises sont à compléter.",
        grey=True,
    )
    if f.cfa_entreprise:
        pdf.ln(4)
        pdf.paragraph(
            "CFA d’entreprise : une annexe pédagogique et financière tient lieu de convention "
            "(C. trav. art. D6224-1). Ce document en donne les éléments connus.",
            "B",
        )

    pdf.ln(8)
    pdf.heading("Article 1 — Les parties", 1, 12)
    pdf.paragraph("Le centre de formation d’apprentis (CFA)", "B", 10)
    pdf.rows(
        [
            *_establishment(f.cfa, CFA),
            ("N° de déclaration d’activité", CFA, True),
            ("Représenté par (nom, qualité)", CFA, True),
        ]
    )
    pdf.ln(6)
    pdf.paragraph("L’employeur", "B", 10)
    to = recipient(d)
    opco = (
        "Employeur public : sans objet (contrat déposé auprès des services de l’État)"
        if to.public
        else f"{to.name} (d’après l’IDCC, à vérifier)"
        if to.name
        else "À vérifier (« Quel est mon OPCO ? », francecompetences.fr)"
    )
    pdf.rows(
        [
            _row("Dénomination", e.denomination),
            _row("N° SIRET", e.siret),
            _row("Adresse d’exécution du contrat", address(e.adresse)),
            _row("Téléphone", e.telephone),
            _row("Courriel", e.courriel),
            _row("Convention collective (IDCC)", e.code_idcc),
            ("Opérateur de compétences (OPCO)", opco, not to.name),
            ("Représenté par (nom, qualité)", EMPLOYER, True),
        ]
    )
    pdf.ln(6)
    pdf.paragraph("L’apprenti(e), pour qui la formation est organisée", "B", 10)
    pdf.rows(
        [
            _row("Nom de naissance", _text(a.nom_naissance).upper()),
            *([_row("Nom d’usage", _text(a.nom_usage).upper())] if _text(a.nom_usage) else []),
            _row("Prénom", a.prenom),
            _row("Date de naissance", format_fr(a.date_naissance) if a.date_naissance else ""),
            _row("Adresse", address(a.adresse)),
            _row("Courriel", a.courriel),
        ]
    )
    rep = a.representant_legal
    if rep is not None or is_minor(d):
        pdf.ln(6)
        pdf.paragraph("Son représentant légal (apprenti mineur)", "B", 10)
        rep_name = full_name(rep.nom_naissance, rep.prenom) if rep else ""
        pdf.rows(
            [
                _row("Nom et prénom", rep_name),
                _row("Adresse", address(rep.adresse) if rep else ""),
                _row("Courriel", rep.courriel if rep else ""),
            ]
        )
    if d.maitres:
        pdf.ln(6)
        pdf.paragraph("Maître(s) d’apprentissage chez l’employeur", "B", 10)
        pdf.rows(
            [
                _row(
                    f"Maître d’apprentissage {i}",
                    ", ".join(
                        p
                        for p in (full_name(m.nom_naissance, m.prenom), _text(m.emploi_occupe))
                        if p
                    ),
                )
                for i, m in enumerate(d.maitres, start=1)
            ]
        )

    pdf.ln(10)
    pdf.heading("Article 2 — La formation", 1, 12)
    level = diploma_level(d)
    vise = codes.label(codes.DIPLOME, f.diplome_vise) if f.diplome_vise else None
    pdf.rows(
        [
            _row("Intitulé précis", f.intitule_precis),
            _row("Diplôme ou titre visé", vise),
            _row("Niveau (cadre national)", str(level) if level else ""),
            _row("Code diplôme", f.code_diplome),
            _row("Code RNCP", f.code_rncp),
            ("Objectifs et contenu (programme joint)", CFA, True),
            ("Moyens pédagogiques et techniques", CFA, True),
            ("Modalités de déroulement et de suivi", CFA, True),
            ("Modalités d’évaluation et de sanction", CFA, True),
        ]
    )

    pdf.ln(10)
    pdf.heading("Article 3 — Dates et durée", 1, 12)
    share = distance_share(d)
    distance = _hours(f.heures_distance)
    if distance and share is not None:
        distance += f" ({share} % de la durée totale)"
    pdf.rows(
        [
            _row(
                "Début du contrat",
                format_fr(c.date_debut_execution) if c.date_debut_execution else "",
            ),
            _row("Fin du contrat", format_fr(c.date_fin) if c.date_fin else ""),
            _row(
                "Début de la formation pratique chez l’employeur",
                format_fr(c.date_debut_formation_pratique)
                if c.date_debut_formation_pratique
                else "",
            ),
            _row(
                "Début de la formation au CFA",
                format_fr(f.date_debut_cfa) if f.date_debut_cfa else "",
            ),
            _row(
                "Fin prévue des épreuves ou examens",
                format_fr(f.date_fin_epreuves) if f.date_fin_epreuves else "",
            ),
            _row("Durée totale de la formation", _hours(f.duree_heures)),
            _row("Dont formation à distance", distance),
            ("Calendrier de l’alternance (CFA / entreprise)", CFA, True),
        ]
    )
    pdf.paragraph(
        f"Le nombre d’heures à distance est celui du contrat ; le CFA le confirme "
        f"({DISTANCE_SOURCE}).",
        size=8,
        grey=True,
    )

    pdf.ln(10)
    pdf.heading("Article 4 — Lieu de la formation", 1, 12)
    if f.cfa_est_lieu_principal is False and f.lieu_principal is not None:
        pdf.paragraph("Lieu principal de la formation, distinct du CFA responsable :", size=9)
        pdf.rows(_establishment(f.lieu_principal, MISSING))
    elif f.cfa_est_lieu_principal:
        pdf.rows(
            [("Lieu principal de la formation", "Le CFA responsable, à l’adresse ci-dessus", False)]
        )
    else:
        pdf.rows([("Lieu principal de la formation", MISSING, True)])
    pdf.rows([("Autres lieux, formation à distance (outils)", CFA, True)])

    pdf.ln(10)
    pdf.heading("Article 5 — Dispositions financières", 1, 12)
    applies = employer_share_applies(d)
    if applies:
        employer_share = (
            f"{EMPLOYER_SHARE} € dus par l’employeur au CFA (diplôme de niveau {level}), "
            "facturés à l’issue des 45 premiers jours de formation pratique en entreprise ; "
            "montant réduit en cas de rupture pendant ces jours"
        )
    elif applies is False:
        employer_share = (
            f"Sans objet : diplôme de niveau {level}, la participation vise le niveau "
            f"{EMPLOYER_SHARE_LEVEL} et plus"
            if level is not None and level < EMPLOYER_SHARE_LEVEL
            else f"Sans objet : contrat conclu avant le {format_fr(EMPLOYER_SHARE_FROM)}"
        )
    else:
        employer_share = "À déterminer : niveau du diplôme ou date de conclusion non renseigné"
    if share is None:
        minoration = "À déterminer : heures de formation non renseignées"
    elif share >= DISTANCE_SHARE_THRESHOLD:
        minoration = (
            f"Oui d’après les heures indiquées ({share} % à distance) : minoration de 20 %, "
            "sauf dérogation pour la certification"
        )
    else:
        minoration = f"Non d’après les heures indiquées ({share} % à distance)"
    pdf.rows(
        [
            ("Niveau de prise en charge (NPEC) du contrat", CFA, True),
            ("Minoration pour formation à distance (au moins 80 %)", minoration, share is None),
            ("Participation obligatoire de l’employeur", employer_share, applies is None),
            ("Frais annexes (hébergement, restauration, premier équipement, mobilité)", CFA, True),
            ("Reste à charge éventuel de l’employeur", CFA, True),
            ("Modalités de facturation et de règlement", CFA, True),
        ],
        widths=(40, 60),
    )
    pdf.paragraph(
        "Le CFA est financé par l’OPCO de l’employeur au niveau de prise en charge fixé pour le "
        "diplôme (C. trav. art. L6332-14). Aucune contrepartie financière ne peut être demandée "
        "à l’apprenti (C. trav. art. L6221-2).",
        size=8,
        grey=True,
    )

    pdf.ln(10)
    pdf.heading("Article 6 — Durée de la convention", 1, 12)
    pdf.rows(
        [
            ("Date d’effet et durée", CFA, True),
            ("Modification, résiliation (notamment si le contrat est rompu)", CFA, True),
        ],
        widths=(40, 60),
    )

    pdf.ln(10)
    pdf.heading("Signatures", 1, 12)
    place = _text(d.signature.fait_a)
    pdf.paragraph(
        f"Fait à {place or '……………………'}, le …………………….",
        size=10,
    )
    pdf.ln(6)
    boxes = [
        "Pour le CFA : nom, qualité, signature et cachet",
        "Pour l’employeur : nom, qualité, signature et cachet",
        "Vu par l’apprenti(e)" + (f" : {apprenti}" if apprenti else ""),
    ]
    if rep is not None or is_minor(d):
        boxes.append("Vu par son représentant légal")
    pdf.signature_boxes(boxes)

    pdf.ln(4)
    pdf.heading("Sources", 1, 10)
    for source in SOURCES:
        pdf.bullet(source, size=8)
    pdf.ln(2)
    pdf.paragraph(texts_note(), size=8, grey=True)
    return bytes(pdf.output())
