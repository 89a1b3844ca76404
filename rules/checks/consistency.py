"""Consistency between answers: employer type and sector, contract modes, training hours,
and the information a user should know (work authorisation, filing with the State).

Money (remuneration lines, SMC, salaire à l'embauche, avantages en nature) is checked in
``remuneration.py``; codes outside their tables in ``identifiers.py``.
"""

from __future__ import annotations

import math

from rules.codes import (
    TYPE_CONTRAT_AVENANT,
    TYPE_CONTRAT_SUCCESSION,
    TYPES_EMPLOYEUR_PRIVE,
    TYPES_EMPLOYEUR_PUBLIC,
    TYPES_EMPLOYEUR_PUBLIC_ADMINISTRATIF,
)
from rules.dates import anniversary, days_inclusive, format_fr
from rules.dossier import Dossier, is_blank
from rules.registry import Context, rule
from rules.remuneration import has_rqth_rights

from .dates import AFTER_RUPTURE_AT_CFA
from .people import age_at_start

# L3121-41: 1 607 hours is the legal yearly working time of a full-time (35 h) employee,
# paid leave and public holidays deducted. A contract's working time is that yearly
# amount, in proportion to its weekly hours and to its length in years.
LEGAL_YEAR_HOURS = 1607
LEGAL_WEEK_HOURS = 35
DAYS_PER_YEAR = 365.25  # average Gregorian year, leap days included
MIN_TRAINING_SHARE = 0.25


@rule(
    "employeur.type_employeur.prive_public",
    "error",
    "Notice 51649#09 (type d'employeur) ; Cerfa 10103*14, cadre « L'employeur »",
)
def employer_type_sector(d: Dossier, ctx: Context):
    """The notice splits the employer types: 11 to 16 go with the « employeur privé » box,
    21 to 30 (EPIC included) with the « employeur public » box."""
    e = d.employeur
    if e.prive_public == "prive" and e.type_employeur in TYPES_EMPLOYEUR_PUBLIC:
        sector, other = "privé", "public"
    elif e.prive_public == "public" and e.type_employeur in TYPES_EMPLOYEUR_PRIVE:
        sector, other = "public", "privé"
    else:
        return
    yield (
        ("employeur.prive_public", "employeur.type_employeur"),
        (
            f"L'employeur est déclaré {sector}, mais le type d'employeur {e.type_employeur} est un "
            f"type d'employeur {other}. Corrigez l'une des deux réponses (11 à 16 : privé ; 21 à 30 : "
            "public)."
        ),
    )


@rule("employeur.public.depot", "info", "C. trav. art. L6227-1, D6275-1")
def public_employer_filing(d: Dossier, ctx: Context):
    """A public employer that is not an EPIC (types 21 to 29) files the contract with the
    State services of the place of execution (DDETS), not with an OPCO (D6275-1)."""
    if d.employeur.type_employeur in TYPES_EMPLOYEUR_PUBLIC_ADMINISTRATIF:
        yield (
            "employeur.type_employeur",
            (
                "Employeur public : le contrat se dépose auprès des services de l'État (DDETS du "
                "lieu d'exécution), pas auprès d'un OPCO, dans les 5 jours ouvrables suivant son "
                "début."
            ),
        )


@rule(
    "employeur.assurance_chomage.prive",
    "warning",
    "Cerfa 10103*14, cadre « L'employeur » (employeurs du secteur public)",
)
def private_unemployment_box(d: Dossier, ctx: Context):
    """The unemployment-insurance box is « pour les employeurs du secteur public » only."""
    e = d.employeur
    if e.prive_public == "prive" and e.adhesion_regime_assurance_chomage is True:
        yield (
            ("employeur.adhesion_regime_assurance_chomage", "employeur.prive_public"),
            (
                "L'adhésion au régime spécifique d'assurance chômage ne concerne que les employeurs "
                "publics : pour un employeur privé, laissez cette case vide."
            ),
        )


@rule(
    "employeur.type_employeur.regime_social",
    "warning",
    "Notice 51649#09 (type d'employeur 13, régime social)",
)
def msa_employer(d: Dossier, ctx: Context):
    """Type 13 is « entreprise dont les salariés relèvent de la mutualité sociale agricole »:
    its apprentice is affiliated to the MSA (régime social 1), not to the URSSAF."""
    if d.employeur.type_employeur == "13" and d.apprenti.regime_social == "2":
        yield (
            ("apprenti.regime_social", "employeur.type_employeur"),
            (
                "Les salariés de l'employeur relèvent de la MSA (type 13), mais le régime social de "
                "l'apprenti est l'URSSAF. Choisissez MSA, ou corrigez le type d'employeur."
            ),
        )


@rule(
    "contrat.mode_contractuel.employeur_specifique",
    "warning",
    "Notice 51649#09 (mode contractuel, employeur spécifique) ; C. trav. art. L6222-5-1, L6226-1",
)
def contract_mode_employer(d: Dossier, ctx: Context):
    """Mode 3 is the contract of a temporary-work company (L6226-1): the employer is then
    « entreprise de travail temporaire » (employeur spécifique 1). Mode 4, seasonal
    activities with two employers (L6222-5-1), goes with « employeur saisonnier » (3), and
    the avenant 32 (change of employer in a seasonal contract) with mode 4."""
    c, e = d.contrat, d.employeur
    if c.mode_contractuel == "3" and e.employeur_specifique not in (None, "1"):
        yield (
            ("contrat.mode_contractuel", "employeur.employeur_specifique"),
            (
                "Mode contractuel « entreprise de travail temporaire » : l'employeur spécifique "
                "devrait être « entreprise de travail temporaire » (1). Corrigez l'une des deux "
                "réponses."
            ),
        )
    if c.mode_contractuel == "4" and e.employeur_specifique not in (None, "3"):
        yield (
            ("contrat.mode_contractuel", "employeur.employeur_specifique"),
            (
                "Mode contractuel « activités saisonnières à deux employeurs » : l'employeur "
                "spécifique devrait être « employeur saisonnier » (3). Corrigez l'une des deux "
                "réponses."
            ),
        )
    if c.type_contrat == "32" and c.mode_contractuel not in (None, "4"):
        yield (
            ("contrat.type_contrat", "contrat.mode_contractuel"),
            (
                "L'avenant 32 (changement d'employeur dans un contrat saisonnier) ne concerne que "
                "le mode « activités saisonnières à deux employeurs » (4). Vérifiez le type "
                "d'avenant ou le mode contractuel."
            ),
        )


@rule(
    "formation.heures.valeurs",
    "error",
    "C. trav. art. L6211-2, D6211-2 ; Cerfa 10103*14 (durée de la formation)",
)
def training_hours_values(d: Dossier, ctx: Context):
    """The training lasts a positive number of hours, of which the distance-learning hours
    (« dont … heures de formation à distance », new on 10103*14, D6211-2) are a part."""
    total, distance = d.formation.duree_heures, d.formation.heures_distance
    if total is not None and total <= 0:
        yield (
            "formation.duree_heures",
            (
                "La durée de la formation en CFA doit être un nombre d'heures positif : indiquez le "
                "total des heures prévues par le CFA."
            ),
        )
    if distance is not None and distance < 0:
        yield (
            "formation.heures_distance",
            (
                "Les heures de formation à distance ne peuvent être négatives : indiquez 0 s'il n'y "
                "en a pas."
            ),
        )
    elif distance is not None and total is not None and total > 0 and distance > total:
        yield (
            ("formation.heures_distance", "formation.duree_heures"),
            (
                f"Les heures à distance ({distance} h) dépassent la durée totale de la formation "
                f"({total} h) : elles en sont une partie. Corrigez l'un des deux nombres."
            ),
        )


def _thousands(n: int) -> str:
    """12345 → "12 345", the French way (a non-breaking space between thousands)."""
    return f"{n:,}".replace(",", "\u00a0")


def contract_working_hours(d: Dossier) -> float | None:
    """The contract's working time in hours: 1 607 h a year at 35 h a week (L3121-41), in
    proportion to the weekly hours written on the contract (35 h when not given) and to
    the contract's length (days from start to end, both included, over 365.25)."""
    start, end = d.contrat.date_debut_execution, d.contrat.date_fin
    if start is None or end is None or end < start:
        return None
    week = d.contrat.duree_hebdo
    weekly = LEGAL_WEEK_HOURS if week.heures is None else week.heures + (week.minutes or 0) / 60
    if weekly <= 0:
        return None
    years = days_inclusive(start, end) / DAYS_PER_YEAR
    return LEGAL_YEAR_HOURS * weekly / LEGAL_WEEK_HOURS * years


@rule("formation.duree_heures.quart", "warning", "C. trav. art. L6211-2, R6222-23-1")
def training_share(d: Dossier, ctx: Context):
    """L6211-2: the training at the CFA lasts at least 25 % of the contract's total duration,
    unless the certifier sets otherwise. The OPCOs (AKTO FAQ) do not refuse a contract on
    this ground, the CFA answers for it: a warning. R6222-23-1 lifts that minimum for a new
    contract after a rupture while the apprentice went on at the CFA (situation 8)."""
    hours = d.formation.duree_heures
    working = contract_working_hours(d)
    if (
        hours is None
        or hours <= 0
        or working is None
        or d.apprenti.situation_avant_contrat == AFTER_RUPTURE_AT_CFA
    ):
        return
    minimum = math.ceil(MIN_TRAINING_SHARE * working)
    if hours < minimum:
        yield (
            ("formation.duree_heures", "contrat.date_fin"),
            (
                f"{hours} h de formation en CFA, c'est moins de 25 % du temps de travail du contrat "
                f"(environ {_thousands(round(working))} h sur sa durée, soit {_thousands(minimum)} h "
                "au moins). Vérifiez le "
                "nombre d'heures avec le CFA : seul le certificateur du diplôme peut prévoir moins."
            ),
        )


@rule("apprenti.nationalite.hors_ue", "info", "C. trav. art. L5221-5 ; FAQ Atlas")
def work_authorisation(d: Dossier, ctx: Context):
    """A foreign national from outside the EU needs a work authorisation to be employed
    (L5221-5); the Atlas FAQ says it is not attached to the CERFA. A minor followed by the
    child-welfare services (ASE) may work until 18: if he comes of age during the contract
    his residence permit must be renewed (the reference generator's notice)."""
    if d.apprenti.nationalite != "3":
        return
    message = (
        "Apprenti de nationalité hors Union européenne : l'employeur doit vérifier qu'il a une "
        "autorisation de travail (demande en ligne sur le site « Étrangers en France ») ; "
        "inutile de la joindre au Cerfa."
    )
    age = age_at_start(d)
    end = d.contrat.date_fin
    if age is not None and age < 18 and end is not None:
        adult = anniversary(d.apprenti.date_naissance, 18)
        if adult <= end:
            message += (
                f" Il aura 18 ans pendant le contrat ({format_fr(adult)}) : s'il est suivi par "
                "l'aide sociale à l'enfance, son titre de séjour devra être renouvelé à sa "
                "majorité."
            )
    yield "apprenti.nationalite", message


@rule(
    "apprenti.droits_rqth.avec_rqth",
    "warning",
    "Cerfa 10103*14, cadre « L'apprenti(e) » (« Si non, bénéficiez-vous de droits attachés "
    "à la RQTH »)",
)
def rqth_rights_with_rqth(d: Dossier, ctx: Context):
    """« Équivalence jeunes » and « extension BOE » are asked only when RQTH is « non »; with
    an RQTH they are left blank (the PDF would otherwise tick both sets of boxes)."""
    a = d.apprenti
    if a.rqth is True:
        for name in ("equivalence_jeunes", "extension_boe"):
            if getattr(a, name) is True:
                yield (
                    f"apprenti.{name}",
                    (
                        "L'apprenti a une RQTH : les droits attachés à la RQTH (équivalence jeunes, "
                        "extension BOE) ne se renseignent que sans RQTH. Laissez cette case vide."
                    ),
                )


@rule("contrat.type_contrat.situation_avant", "warning", "Notice 51649#09 ; FAQ Atlas")
def type_vs_situation(d: Dossier, ctx: Context):
    """Situation 4 (in an apprenticeship contract) or 8 (at the CFA after a broken
    contract) means a previous contract: the new one is then a succession (21 to 23),
    unless the previous contract was never registered, which makes this one an initial
    contract (Atlas FAQ)."""
    situation = d.apprenti.situation_avant_contrat
    if d.contrat.type_contrat == "11" and situation in ("4", "8"):
        yield (
            ("contrat.type_contrat", "apprenti.situation_avant_contrat"),
            (
                "L'apprenti sort d'un contrat d'apprentissage, mais le type de contrat est « premier "
                "contrat » (11). Choisissez le type 21, 22 ou 23 selon la fin du précédent contrat ; "
                "gardez 11 seulement si le précédent contrat n'avait pas été enregistré."
            ),
        )


@rule("contrat.numero_contrat_precedent.sans_objet", "warning", "Notice 51649#09 ; FAQ Atlas")
def previous_number_first_contract(d: Dossier, ctx: Context):
    """The previous contract's number belongs to successions (21 to 23) and avenants (31
    to 38); a first contract (11) has none."""
    c = d.contrat
    if c.type_contrat == "11" and not is_blank(c.numero_contrat_precedent):
        yield (
            ("contrat.numero_contrat_precedent", "contrat.type_contrat"),
            (
                "Un numéro de contrat précédent est indiqué pour un premier contrat (type 11). "
                "S'il y a eu un précédent contrat enregistré, choisissez le type 21, 22 ou 23 ; "
                "sinon, videz ce numéro."
            ),
        )


@rule(
    "contrat.date_effet_avenant.sans_objet",
    "warning",
    "Cerfa 10103*14, cadre « Le contrat » (si avenant, date d'effet)",
)
def avenant_date_not_avenant(d: Dossier, ctx: Context):
    """The effective date is for avenants (31 to 38) only."""
    c = d.contrat
    if (
        c.date_effet_avenant is not None
        and c.type_contrat is not None
        and c.type_contrat not in TYPE_CONTRAT_AVENANT
    ):
        kind = (
            "un nouveau contrat"
            if c.type_contrat in TYPE_CONTRAT_SUCCESSION
            else "un premier contrat"
        )
        yield (
            ("contrat.date_effet_avenant", "contrat.type_contrat"),
            (
                f"Une date d'effet d'avenant est indiquée pour {kind}. Videz-la, ou choisissez le "
                "type d'avenant (31 à 38) si c'est un avenant."
            ),
        )


@rule("contrat.type_contrat.avenant_rqth", "warning", "C. trav. art. R6222-46, R6222-50")
def avenant_34_rqth(d: Dossier, ctx: Context):
    """Avenant 34 extends the contract because the apprentice has been recognised as a
    disabled worker (R6222-50 applies R6222-46 to an RQTH obtained during the contract):
    the RQTH answer (or an attached right) is then « oui »."""
    if d.contrat.type_contrat == "34" and not has_rqth_rights(d.apprenti):
        yield (
            ("contrat.type_contrat", "apprenti.rqth"),
            (
                "L'avenant 34 prolonge le contrat d'un apprenti reconnu travailleur handicapé, mais "
                "la RQTH de l'apprenti est à « non ». Répondez « oui » à la RQTH, ou choisissez un "
                "autre type d'avenant."
            ),
        )


@rule(
    "contrat.type_derogation.convention_duree", "info", "C. trav. art. L6222-7-1, R6222-6, D6224-1"
)
def duration_convention(d: Dossier, ctx: Context):
    """A shorter or longer contract than the training cycle (dérogation 21 or 22) rests on a
    tripartite convention between the CFA, the employer and the apprentice (L6222-7-1,
    R6222-6), which is sent with the contract (D6224-1)."""
    if d.contrat.type_derogation in ("21", "22"):
        yield (
            "contrat.type_derogation",
            (
                "Durée réduite ou allongée : joignez au contrat la convention signée par le CFA, "
                "l'employeur et l'apprenti (ou son représentant légal) qui fixe cette durée."
            ),
        )


@rule("formation.cfa_entreprise.annexe", "info", "C. trav. art. D6224-1")
def company_cfa_annex(d: Dossier, ctx: Context):
    """D6224-1: the contract is sent with the convention de formation signed with the CFA;
    when the CFA belongs to the company (CFA d'entreprise), a pedagogical and financial
    annex takes the place of that convention."""
    if d.formation.cfa_entreprise is True:
        yield (
            "formation.cfa_entreprise",
            (
                "CFA d'entreprise : il n'y a pas de convention de formation à joindre, mais une "
                "annexe pédagogique et financière, à transmettre avec le contrat."
            ),
        )


@rule(
    "contrat.duree_hebdo.valeurs",
    "error",
    "Cerfa 10103*14, cadre « Le contrat » (durée hebdomadaire du travail)",
)
def weekly_hours_values(d: Dossier, ctx: Context):
    """The weekly working time is written in hours and minutes: minutes from 0 to 59, and a
    time that is not zero."""
    week = d.contrat.duree_hebdo
    if week.minutes is not None and not 0 <= week.minutes <= 59:
        yield (
            "contrat.duree_hebdo.minutes",
            (
                f"{week.minutes} minutes : indiquez un nombre de minutes entre 0 et 59 (35 h 30 "
                "s'écrit 35 heures et 30 minutes)."
            ),
        )
    if week.heures is not None and (week.heures < 0 or (week.heures == 0 and not week.minutes)):
        yield (
            "contrat.duree_hebdo.heures",
            (
                "Indiquez la durée de travail hebdomadaire prévue au contrat (35 h pour un temps "
                "plein)."
            ),
        )
