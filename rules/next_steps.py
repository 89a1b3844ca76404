"""« Et maintenant ? » : what the employer does once the CERFA is filled, for this contract.

Structured items, no layout (the PDF is ``cerfa/documents/guide.py``; the review page may
show a part). Each item says what to do, for whom, when, and its legal source:

- **who signs what, in which order**: the convention de formation (CFA and employer,
  C. trav. art. L6353-1; attached to the contract when it is sent, D6224-1), then the
  CERFA (employer and apprentice, and the legal representative of a minor, L6222-4), at
  the latest on the first day of execution (the OPCO Atlas FAQ), then the sending;
- **the filing deadline**: the timeline's milestone « transmission » (``rules/timeline.py``,
  5 jours ouvrables after the start, D6224-1 / D6275-1): read from there, never recomputed;
- **the recipient**: the OPCO named from the IDCC (``rules/opco.py``, a table of 2019:
  always « à vérifier », with the table's date), or the State services for a public
  administrative employer (D6275-1);
- **the supporting documents of this contract**, each only when the dossier's values call
  for it (``documents``);
- **the formalities** the OPCO Atlas FAQ lists: DPAE, medical visit, complementary pension
  fund;
- **public aid**, as the texts stood on ``AID_INFORMATION_DATE`` (``aid``): the date is
  said, with where to check.

Plain Python: no Django, no clock (the caller says what « today » is).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from rules import idcc as idcc_list
from rules import identifiers
from rules import opco as opco_table
from rules.checks.people import age_at_start
from rules.checks.presence import age_at_conclusion
from rules.codes import (
    NIVEAU_DIPLOME_EUROPEEN,
    TYPE_CONTRAT_AVENANT,
    TYPES_EMPLOYEUR_PUBLIC_ADMINISTRATIF,
)
from rules.dates import format_fr
from rules.dossier import Dossier
from rules.timeline import FILING_DAYS, Milestone, timeline_for

# France compétences' search of the OPCO by SIRET or IDCC (its site's « Quel est mon
# OPCO ? »), named by the site's address: the page's own address has changed before.
OPCO_SEARCH = "le site de France compétences, francecompetences.fr"
# Where the aid's conditions are published, and where the employer asks for it.
AID_SITE = "https://travail-emploi.gouv.fr (rubrique « Aides à l'embauche en alternance »)"
# The texts on aid below are those known on this day (décret n° 2026-168 du 6 mars 2026).
AID_INFORMATION_DATE = datetime.date(2026, 3, 6)
# The texts cited here (codes' articles, decrees) are cited as this service knew them then.
TEXTS_DATE = AID_INFORMATION_DATE


def texts_note() -> str:
    return f"Textes cités dans l'état connu de ce service au {format_fr(TEXTS_DATE)}."


# D6243-2 (décret n° 2025-174 du 22 février 2025): the aide unique's amount.
AIDE_UNIQUE = 5000
AIDE_HANDICAP = 6000
# Décret n° 2026-168 du 6 mars 2026 : the aide exceptionnelle by the company's size
# (fewer than 250 employees, or more) and the level of the diploma prepared.
AIDE_2026 = {
    (True, 3): 5000,
    (True, 5): 4500,
    (True, 6): 2000,
    (False, 3): 2000,
    (False, 5): 1500,
    (False, 6): 750,
}
AIDE_2026_FROM = datetime.date(2026, 3, 8)
AIDE_2026_START_BEFORE = datetime.date(2027, 1, 1)
AIDE_2025_FROM = datetime.date(2025, 2, 24)
LARGE_COMPANY = 250  # employees: the threshold of L6243-1 and of the decrees
# R6332-25-1 (décret n° 2025-585 du 27 juin 2025): the employer's share for a diploma of
# level 6 or more, for contracts concluded from 1 July 2025.
EMPLOYER_SHARE = 750
EMPLOYER_SHARE_LEVEL = 6
EMPLOYER_SHARE_FROM = datetime.date(2025, 7, 1)
EMPLOYER_SHARE_SOURCE = (
    "C. trav. art. L6332-14, R6332-25-1 et R6332-25-2 (décret n° 2025-585 du 27 juin 2025)"
)
# Décret n° 2025-586 du 27 juin 2025: a training given at a distance for at least 80 % of
# its hours has its funding lowered by 20 % (at least 4 000 €).
DISTANCE_SHARE_THRESHOLD = 80
DISTANCE_SOURCE = "décret n° 2025-586 du 27 juin 2025"


@dataclass(frozen=True)
class Item:
    """One thing to do or to keep, in French, with its legal source."""

    key: str  # stable identifier: "convention_formation", "dpae"…
    title: str
    text: str
    source: str = ""


@dataclass(frozen=True)
class Recipient:
    """To whom the signed contract is sent."""

    public: bool  # a public administrative employer: the State services (D6275-1)
    name: str  # « OPCO EP », « les services de l'État (DDETS) », or "" when unknown
    to: str  # the name after « à »: « à OPCO EP », « aux services de l'État (DDETS) »
    site: str  # the OPCO's site, or ""
    idcc: str  # the 4-digit IDCC, or ""
    to_check: bool  # always True for an OPCO: the table is dated
    table_date: datetime.date
    text: str  # one or two French sentences
    source: str


@dataclass(frozen=True)
class NextSteps:
    deadline: Milestone | None  # the timeline's « transmission », None for an avenant
    recipient: Recipient
    signatures: tuple[Item, ...]  # in order
    documents: tuple[Item, ...]  # the supporting documents of this contract
    possible_documents: tuple[Item, ...]  # those the CERFA cannot tell (mobility)
    formalities: tuple[Item, ...]  # DPAE, medical visit, pension fund
    aid: tuple[Item, ...]
    aid_information_date: datetime.date


# -- facts derived from the dossier ------------------------------------------------------


def diploma_level(d: Dossier) -> int | None:
    """The level (cadre national des certifications) of the diploma prepared, from the
    CERFA's box « diplôme ou titre visé »; None when not given or without a level."""
    return NIVEAU_DIPLOME_EUROPEEN.get(d.formation.diplome_vise or "")


def is_minor(d: Dossier) -> bool:
    """Under 18 at the conclusion (or the start when no conclusion date is given)."""
    age = age_at_conclusion(d)
    return age is not None and age < 18


def is_public_administrative(d: Dossier) -> bool:
    return d.employeur.type_employeur in TYPES_EMPLOYEUR_PUBLIC_ADMINISTRATIF


def is_avenant(d: Dossier) -> bool:
    return d.contrat.type_contrat in TYPE_CONTRAT_AVENANT


def filing_deadline(d: Dossier) -> Milestone | None:
    """The timeline's filing deadline (5 jours ouvrables after the start), or None while
    the dates are missing, and for an avenant."""
    timeline = timeline_for(d)
    if timeline is None:
        return None
    return next((m for m in timeline.milestones if m.kind == "transmission"), None)


def employer_share_applies(d: Dossier) -> bool | None:
    """Whether the employer owes the share of R6332-25-1 (level 6 or more, contract
    concluded from 1 July 2025); None while the level or the date is not known."""
    level = diploma_level(d)
    day = d.contrat.date_conclusion or d.contrat.date_debut_execution
    if level is None:
        return None
    if level < EMPLOYER_SHARE_LEVEL:
        return False
    if day is None:
        return None
    return day >= EMPLOYER_SHARE_FROM


def distance_share(d: Dossier) -> int | None:
    """The share of the training hours given at a distance, in whole percent (rounded
    down: the 80 % threshold is reached only when really reached); None when not known."""
    total, distance = d.formation.duree_heures, d.formation.heures_distance
    if not total or distance is None or total <= 0 or distance < 0:
        return None
    return distance * 100 // total


# -- the recipient -----------------------------------------------------------------------


def recipient(d: Dossier) -> Recipient:
    """The OPCO from the IDCC (the 2019 table: always to be checked, with its date), or
    the State services for a public administrative employer (D6275-1)."""
    table = opco_table.bundled()
    table_date = datetime.date.fromisoformat(table.meta["date"])
    when = format_fr(table_date)
    if is_public_administrative(d):
        return Recipient(
            True,
            "les services de l'État (DDETS)",
            "aux services de l'État (DDETS)",
            "",
            "",
            False,
            table_date,
            "Employeur public : le contrat est déposé auprès des services de l'État chargés "
            "de la formation professionnelle (DDETS de votre département), pas d'un OPCO.",
            "C. trav. art. D6275-1",
        )
    value = d.employeur.code_idcc.strip() if isinstance(d.employeur.code_idcc, str) else ""
    code = idcc_list.normalize(value) if value and identifiers.check_idcc(value) else None
    found = table.opco_for(code) if code else None
    source = opco_table.REFERENCE
    if found is not None:
        text = (
            f"D'après l'IDCC {code}, l'OPCO de l'employeur est {found.nom} ({found.site_web}). "
            f"À vérifier : la table IDCC → OPCO du ministère du Travail date du {when}, un "
            f"rattachement a pu changer depuis. En cas de doute, cherchez-le sur {OPCO_SEARCH}."
        )
        return Recipient(
            False, found.nom, f"à {found.nom}", found.site_web, code, True, table_date, text, source
        )
    if code == "9999":
        text = (
            "OPCO à vérifier : sans convention collective (IDCC 9999), l'OPCO dépend de "
            f"l'activité de l'entreprise. Cherchez-le sur {OPCO_SEARCH} (« Quel est mon "
            "OPCO ? »), avec le SIRET."
        )
    elif code:
        text = (
            f"OPCO à vérifier : la table IDCC → OPCO du ministère du Travail (du {when}) ne "
            f"connaît pas l'IDCC {code}. Cherchez l'OPCO sur {OPCO_SEARCH} (« Quel est mon "
            "OPCO ? »), avec le SIRET."
        )
    else:
        text = (
            "OPCO à vérifier : le code IDCC de la convention collective n'est pas indiqué. "
            f"Cherchez l'OPCO sur {OPCO_SEARCH} (« Quel est mon OPCO ? »), avec le SIRET."
        )
    return Recipient(False, "", "à votre OPCO", "", code or "", True, table_date, text, source)


# -- signatures --------------------------------------------------------------------------


def attachment(d: Dossier) -> str:
    """What is sent with the contract (D6224-1): the convention de formation, or for a CFA
    d'entreprise the annexe pédagogique et financière that stands for it."""
    if d.formation.cfa_entreprise:
        return "l'annexe pédagogique et financière"
    return "la convention de formation"


def signatures(d: Dossier, deadline: Milestone | None, to: Recipient) -> tuple[Item, ...]:
    """Who signs what, in order: the convention (CFA and employer), the CERFA (employer,
    apprentice, and a minor's legal representative, L6222-4), then the sending."""
    minor = is_minor(d)
    cfa_entreprise = bool(d.formation.cfa_entreprise)
    items = []
    if cfa_entreprise:
        items.append(
            Item(
                "convention_formation",
                "1. L'annexe pédagogique et financière (CFA d'entreprise)",
                "Le CFA d'entreprise établit l'annexe pédagogique et financière qui tient lieu "
                "de convention de formation ; elle accompagne le contrat.",
                "C. trav. art. D6224-1",
            )
        )
    else:
        items.append(
            Item(
                "convention_formation",
                "1. La convention de formation : le CFA et l'employeur",
                "Le CFA la complète (programme, coûts, modalités), puis le CFA et l'employeur "
                "la signent. Elle accompagne le contrat quand il est transmis : signez-la "
                "avant l'envoi, au mieux avant le début du contrat. Ce dossier en contient "
                "une version pré-remplie.",
                "C. trav. art. L6353-1, D6353-1, D6224-1",
            )
        )
    who = (
        "l'employeur, l'apprenti et son représentant légal"
        if minor
        else ("l'employeur et l'apprenti")
    )
    if is_avenant(d):
        # An avenant changes the contract from the day it takes effect: signed before.
        start = d.contrat.date_effet_avenant
        what, first_day = "L'avenant (CERFA)", "jour de sa prise d'effet"
    else:
        start = d.contrat.date_debut_execution
        what, first_day = "Le CERFA", "premier jour du contrat"
    when = (
        f", au plus tard le {format_fr(start)} ({first_day})"
        if start
        else f", au plus tard le {first_day}"
    )
    text = f"{what} est signé par {who}{when}. Chaque signataire en garde un exemplaire."
    items.append(
        Item(
            "cerfa",
            f"2. {what} : {who}",
            text,
            "C. trav. art. L6222-4 ; FAQ OPCO Atlas (date de conclusion)",
        )
    )
    if deadline is not None:
        send = (
            f"L'employeur transmet le contrat signé et {attachment(d)} {to.to} "
            f"au plus tard le {format_fr(deadline.day)} ({FILING_DAYS} jours ouvrables après "
            "le début du contrat)."
        )
    else:
        send = (
            f"L'employeur transmet le contrat signé et {attachment(d)} {to.to} "
            f"dans les {FILING_DAYS} jours ouvrables qui suivent le début du contrat."
        )
    if not to.public:
        send += (
            " L'OPCO vérifie le contrat, décide de sa prise en charge et le dépose auprès "
            "des services de l'État. Le CFA peut le saisir pour vous s'il en est mandaté."
        )
    items.append(
        Item(
            "transmission",
            "3. L'envoi : l'employeur",
            send,
            "C. trav. art. D6275-1" if to.public else "C. trav. art. D6224-1",
        )
    )
    return tuple(items)


# -- supporting documents ----------------------------------------------------------------

DURATION_DEROGATIONS = frozenset({"21", "22"})


def documents(d: Dossier) -> tuple[Item, ...]:
    """The supporting documents this contract calls for, each from the dossier's values."""
    a, c = d.apprenti, d.contrat
    items = []
    if d.formation.cfa_entreprise:
        items.append(
            Item(
                "convention_formation",
                "Annexe pédagogique et financière",
                "Pour un CFA d'entreprise, elle remplace la convention de formation et "
                "accompagne le contrat.",
                "C. trav. art. D6224-1",
            )
        )
    else:
        items.append(
            Item(
                "convention_formation",
                "Convention de formation signée par le CFA et l'employeur",
                "Jointe au contrat quand il est transmis. Une version pré-remplie est dans ce "
                "dossier : le CFA la complète.",
                "C. trav. art. L6353-1, D6224-1",
            )
        )
    if c.type_derogation in DURATION_DEROGATIONS or c.type_derogation == "50":
        cumul = (
            " (dérogation cumulée : seulement si elle porte sur la durée)"
            if c.type_derogation == "50"
            else ""
        )
        items.append(
            Item(
                "convention_duree",
                "Convention d'aménagement de la durée du contrat",
                "La durée du contrat diffère de celle du cycle de formation" + cumul + " : une "
                "convention tripartite signée par le CFA, l'employeur et l'apprenti (ou son "
                "représentant légal) est annexée au contrat.",
                "C. trav. art. L6222-7-1, R6222-6, D6224-1",
            )
        )
    age = age_at_start(d)
    if c.machines_dangereuses and age is not None and age < 18:
        items.append(
            Item(
                "derogation_travaux_mineur",
                "Déclaration de dérogation aux travaux interdits aux mineurs",
                "L'apprenti sera mineur et affecté à des machines dangereuses ou à des travaux "
                "à risques : avant de l'y affecter, l'employeur envoie une déclaration de "
                "dérogation à l'inspection du travail (valable 3 ans) et garde l'avis médical "
                "d'aptitude.",
                "C. trav. art. L4153-8, L4153-9, R4153-38 à R4153-45",
            )
        )
    if a.nationalite == "3":
        items.append(
            Item(
                "autorisation_travail",
                "Autorisation de travail de l'apprenti",
                "Apprenti de nationalité hors Union européenne : l'employeur vérifie qu'il a "
                "une autorisation de travail (titre de séjour qui la vaut, ou autorisation "
                "demandée sur le site « Étrangers en France ») et en garde la copie. Inutile "
                "de la joindre au CERFA.",
                "C. trav. art. L5221-5, L5221-8 ; FAQ OPCO Atlas",
            )
        )
    if a.rqth:
        items.append(
            Item(
                "rqth",
                "Décision de reconnaissance de la qualité de travailleur handicapé (RQTH)",
                "Gardez une copie de la décision de la CDAPH : elle justifie la case cochée, "
                "les aménagements du contrat et, le cas échéant, l'aide majorée.",
                "C. trav. art. L5213-2, L6222-37",
            )
        )
    elif a.equivalence_jeunes or a.extension_boe:
        items.append(
            Item(
                "rqth",
                "Justificatif des droits attachés à la RQTH",
                "Gardez le justificatif de l'équivalence jeunes (AEEH, PCH ou projet "
                "personnalisé de scolarisation) ou de la qualité de bénéficiaire de "
                "l'obligation d'emploi.",
                "C. trav. art. L5212-13, L5213-2 ; loi n° 2023-1196 du 18 décembre 2023",
            )
        )
    return tuple(items)


def possible_documents(d: Dossier) -> tuple[Item, ...]:
    """Documents the CERFA cannot tell whether this contract needs: each says when."""
    to = recipient(d).to
    return (
        Item(
            "convention_mobilite",
            "Convention de mobilité, si une partie du contrat se déroule à l'étranger",
            "Conclue entre l'apprenti, l'employeur, le CFA, l'employeur à l'étranger et, le cas "
            f"échéant, l'organisme de formation à l'étranger ; elle est transmise {to}. Le "
            "CERFA ne dit pas si une mobilité est prévue.",
            "C. trav. art. L6222-42 ; FAQ OPCO Atlas",
        ),
    )


# -- formalities (the OPCO Atlas FAQ's list) ---------------------------------------------


def formalities(d: Dossier) -> tuple[Item, ...]:
    minor = is_minor(d)
    msa = d.apprenti.regime_social == "1"
    dpae_to = "à la MSA" if msa else "à l'URSSAF (net-entreprises.fr ou urssaf.fr)"
    items = [
        Item(
            "dpae",
            "Déclaration préalable à l'embauche (DPAE)",
            f"Avant le premier jour de travail, au plus tôt 8 jours avant, {dpae_to}.",
            "C. trav. art. L1221-10, R1221-5 ; FAQ OPCO Atlas",
        )
    ]
    age = age_at_start(d)
    risky = bool(d.contrat.machines_dangereuses)
    if minor or (age is not None and age < 18):
        visit = (
            "L'apprenti étant mineur, la visite d'information et de prévention a lieu avant "
            "qu'il prenne son poste."
        )
    else:
        visit = (
            "La visite d'information et de prévention de l'apprenti a lieu au plus tard dans "
            "les deux mois qui suivent l'embauche."
        )
    if risky:
        visit += (
            " Pour un poste à risques particuliers, c'est un examen médical d'aptitude, avant "
            "l'affectation."
        )
    items.append(
        Item(
            "visite_medicale",
            "Visite médicale auprès du service de prévention et de santé au travail",
            visit,
            "C. trav. art. R4624-10, R4624-18, R4624-23, R6222-40-1 ; FAQ OPCO Atlas",
        )
    )
    caisse = (d.contrat.caisse_retraite_complementaire or "").strip()
    items.append(
        Item(
            "retraite",
            "Affiliation à la caisse de retraite complémentaire",
            (
                f"Affiliez l'apprenti à la caisse de l'entreprise ({caisse})."
                if caisse
                else ("Affiliez l'apprenti à la caisse de retraite complémentaire de l'entreprise.")
            ),
            "FAQ OPCO Atlas",
        )
    )
    return tuple(items)


# -- public aid --------------------------------------------------------------------------


def _aid_level(level: int | None) -> int | None:
    """The decrees' level brackets: 3 and 4 (« 3 »), 5, 6 and 7 (« 6 »)."""
    if level is None:
        return None
    if level <= 4:
        return 3
    return 5 if level == 5 else 6


def aid_note() -> str:
    """Where the aid's conditions are to be checked, and the date of what is said here."""
    return (
        f"Informations à jour au {format_fr(AID_INFORMATION_DATE)} : vérifiez les conditions "
        f"en vigueur sur {AID_SITE}. L'aide est versée par l'Agence de services et de "
        "paiement (ASP) une fois le contrat déposé."
    )


def aid(d: Dossier) -> tuple[Item, ...]:
    """The State's hiring aid for this contract, as the texts stood on
    ``AID_INFORMATION_DATE``; what cannot be decided from them is said to be checked."""
    as_of = format_fr(AID_INFORMATION_DATE)
    if is_public_administrative(d):
        return (
            Item(
                "aide",
                "Aide à l'embauche d'un apprenti",
                "L'aide unique et l'aide exceptionnelle de l'État visent les employeurs du "
                "secteur privé : un employeur public vérifie les financements qui lui sont "
                "propres.",
                "C. trav. art. L6243-1",
            ),
        )
    effectif = d.employeur.effectif
    small = None if effectif is None else effectif < LARGE_COMPANY
    level = diploma_level(d)
    bracket = _aid_level(level)
    handicap = bool(d.apprenti.rqth)
    day = d.contrat.date_conclusion
    start = d.contrat.date_debut_execution
    items = []
    # The aide unique (permanent): fewer than 250 employees, a diploma up to level 4.
    if small is False:
        unique = f"Non : elle est réservée aux entreprises de moins de {LARGE_COMPANY} salariés."
    elif bracket is not None and bracket > 3:
        unique = (
            f"Non : elle est réservée aux diplômes de niveau 4 (bac) au plus ; "
            f"celui-ci est de niveau {level}."
        )
    else:
        amount = AIDE_HANDICAP if handicap else AIDE_UNIQUE
        unique = (
            f"{amount:,} € au titre de la première année du contrat".replace(",", " ")
            + (" (apprenti reconnu travailleur handicapé)" if handicap else "")
            + f", pour une entreprise de moins de {LARGE_COMPANY} salariés et un diplôme de "
            "niveau 4 (bac) au plus"
        )
        missing = []
        if small is None:
            missing.append("l'effectif de l'entreprise")
        if level is None:
            missing.append("le niveau du diplôme visé")
        unique += (
            (" : à confirmer, " + " et ".join(missing) + " n'étant pas indiqué")
            if (missing)
            else ""
        )
        unique += "."
    items.append(
        Item(
            "aide_unique",
            "Aide unique à l'embauche d'un apprenti",
            unique,
            "C. trav. art. L6243-1, D6243-1 et D6243-2 (décret n° 2025-174 du 22 février 2025)",
        )
    )
    # The aide exceptionnelle: a decree each year.
    if day is None:
        text = "Elle dépend de la date de conclusion du contrat, qui n'est pas indiquée."
    elif (
        day >= AIDE_2026_FROM
        and (start is None or start < AIDE_2026_START_BEFORE)
        and (day < AIDE_2026_START_BEFORE)
    ):
        # Décret n° 2026-168: concluded from 8 March 2026, starting before 1 January 2027.
        if small is None or bracket is None:
            text = (
                "En 2026, son montant dépend de l'effectif de l'entreprise "
                "et du niveau du diplôme, qui ne sont pas tous indiqués."
            )
        else:
            amount = AIDE_HANDICAP if handicap else AIDE_2026[(small, bracket)]
            text = (
                f"{amount:,} € au plus".replace(",", " ")
                + " au titre de la première année, pour un contrat conclu à compter du "
                f"{format_fr(AIDE_2026_FROM)} et qui commence avant le "
                f"{format_fr(AIDE_2026_START_BEFORE)}"
                + (" (apprenti reconnu travailleur handicapé)" if handicap else "")
                + "."
            )
            if not small:
                text += (
                    f" Une entreprise de {LARGE_COMPANY} salariés ou plus s'engage sur une "
                    "part minimale d'alternants dans son effectif de 2027."
                )
    elif day >= AIDE_2026_FROM:
        begins = f", qui commence le {format_fr(start)}" if start else ""
        text = (
            f"Contrat conclu le {format_fr(day)}{begins} : à la date de nos informations "
            f"({as_of}), aucun texte ne fixe d'aide exceptionnelle pour un contrat qui "
            f"commence à partir du {format_fr(AIDE_2026_START_BEFORE)} : elle est reconduite, "
            "ou non, par un décret chaque année."
        )
    elif datetime.date(2026, 1, 1) <= day < AIDE_2026_FROM:
        text = (
            "Non : les contrats conclus entre le 01/01/2026 et le 07/03/2026 n'y ouvrent pas droit."
        )
    elif AIDE_2025_FROM <= day:
        text = (
            "Décret n° 2025-174 du 22 février 2025 : 5 000 € au "
            "plus dans une entreprise de moins de 250 salariés, 2 000 € au-delà, 6 000 € pour "
            "un apprenti reconnu travailleur handicapé, jusqu'au niveau 7."
        )
    else:
        text = (
            f"Contrat conclu le {format_fr(day)}, avant les textes "
            "décrits ici : vérifiez les conditions de sa date de conclusion."
        )
    items.append(
        Item(
            "aide_exceptionnelle",
            "Aide exceptionnelle à l'embauche d'un apprenti",
            text,
            "Décret n° 2026-168 du 6 mars 2026 ; décret n° 2025-174 du 22 février 2025",
        )
    )
    share = employer_share_applies(d)
    if share:
        items.append(
            Item(
                "participation_employeur",
                "Participation obligatoire de l'employeur : 750 €",
                f"Diplôme de niveau {level} : l'employeur verse {EMPLOYER_SHARE} € au CFA pour "
                "ce contrat ; le CFA la facture à l'issue des 45 premiers jours de formation "
                "pratique en entreprise (montant réduit en cas de rupture pendant ces jours).",
                EMPLOYER_SHARE_SOURCE,
            )
        )
    return tuple(items)


def next_steps(d: Dossier) -> NextSteps:
    deadline = filing_deadline(d)
    to = recipient(d)
    return NextSteps(
        deadline,
        to,
        signatures(d, deadline, to),
        documents(d),
        possible_documents(d),
        formalities(d),
        aid(d),
        AID_INFORMATION_DATE,
    )
