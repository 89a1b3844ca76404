"""Presence: what the CERFA requires always, and what it requires only in a given case.

A missing value is never a parse error (dossier format v1: a draft may be incomplete); it is
a finding here, so that the review page lists everything still to fill. The always-required
boxes are those the form and its notice ask for every contract (reference-product §2, the
government generator's « obligatoire » fields, made stricter where the OPCO Atlas FAQ says
so: a NIR, NIA or NTT is always expected, ``apprenti.nir.manquant``). Boxes the form
leaves optional (nom d'usage, numéro and complément of an address, UAI of the lieu
principal, heures à distance) are not listed.

The formats of the values (SIRET, NIR, e-mail…) are checked in ``identifiers.py``, the
money boxes (remuneration lines, salaire à l'embauche, SMC) in ``remuneration.py``; this
module only says that a box is empty.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from rules.codes import TYPE_CONTRAT_AVENANT, TYPE_CONTRAT_SUCCESSION
from rules.dates import age_on
from rules.dossier import Dossier, get_path, is_blank
from rules.registry import Context, rule


def _has_content(obj: Any) -> bool:
    """True when a block (representative, maître, lieu de formation) holds any value."""
    if dataclasses.is_dataclass(obj):
        return any(_has_content(getattr(obj, f.name)) for f in dataclasses.fields(obj))
    if isinstance(obj, list):
        return any(_has_content(item) for item in obj)
    return not is_blank(obj)


def age_at_conclusion(d: Dossier) -> int | None:
    """The apprentice's age on the date of conclusion; when that date is missing, on the
    start of execution (the conclusion is never after it, so a minor then was a minor at
    the conclusion too: the caller only uses this to detect minors)."""
    birth = d.apprenti.date_naissance
    day = d.contrat.date_conclusion or d.contrat.date_debut_execution
    if birth is None or day is None:
        return None
    return age_on(birth, day)


def adult_at_conclusion(d: Dossier) -> bool:
    """True only when the apprentice is known to be of age on the date of conclusion: the
    legal representative's block (« à renseigner si l'apprenti est mineur non émancipé »)
    is then not asked. While either date is missing the answer is False: one question too
    many is better than a minor's contract without the representative who signs it."""
    birth, conclusion = d.apprenti.date_naissance, d.contrat.date_conclusion
    return birth is not None and conclusion is not None and age_on(birth, conclusion) >= 18


# Always required: dotted path, then the sentence that says what to write. One finding per
# empty box, pointing at that box.
REQUIRED: tuple[tuple[str, str], ...] = (
    # Employeur
    ("employeur.prive_public", "Indiquez si l'employeur est privé ou public."),
    ("employeur.denomination", "Indiquez le nom ou la dénomination de l'employeur."),
    (
        "employeur.siret",
        "Indiquez le numéro SIRET (14 chiffres) de l'établissement où le contrat est exécuté.",
    ),
    ("employeur.adresse.voie", "Indiquez la voie de l'adresse de l'établissement employeur."),
    ("employeur.adresse.code_postal", "Indiquez le code postal de l'établissement employeur."),
    ("employeur.adresse.commune", "Indiquez la commune de l'établissement employeur."),
    ("employeur.telephone", "Indiquez le numéro de téléphone de l'employeur."),
    ("employeur.courriel", "Indiquez l'adresse électronique de l'employeur."),
    ("employeur.type_employeur", "Choisissez le type d'employeur."),
    (
        "employeur.employeur_specifique",
        "Choisissez le cas d'employeur spécifique, ou « Aucun de ces cas ».",
    ),
    (
        "employeur.code_ape",
        "Indiquez le code APE de l'entreprise (4 chiffres et une lettre, "
        "sur l'avis de situation INSEE).",
    ),
    ("employeur.effectif", "Indiquez l'effectif salarié de toute l'entreprise."),
    (
        "employeur.code_idcc",
        "Indiquez le code IDCC de la convention collective appliquée (9999 s'il n'y en a pas).",
    ),
    # Apprenti
    (
        "apprenti.nom_naissance",
        "Indiquez le nom de naissance de l'apprenti, tel qu'il figure sur son acte de naissance.",
    ),
    ("apprenti.prenom", "Indiquez le premier prénom de l'apprenti, selon l'état civil."),
    ("apprenti.date_naissance", "Indiquez la date de naissance de l'apprenti."),
    ("apprenti.sexe", "Indiquez le sexe de l'apprenti."),
    (
        "apprenti.departement_naissance",
        "Indiquez le département de naissance de l'apprenti (99 s'il est né à l'étranger).",
    ),
    ("apprenti.commune_naissance", "Indiquez la commune de naissance de l'apprenti."),
    ("apprenti.nationalite", "Choisissez la nationalité de l'apprenti."),
    ("apprenti.regime_social", "Choisissez le régime social de l'apprenti (MSA ou URSSAF)."),
    ("apprenti.adresse.voie", "Indiquez la voie de l'adresse de l'apprenti."),
    ("apprenti.adresse.code_postal", "Indiquez le code postal de l'adresse de l'apprenti."),
    ("apprenti.adresse.commune", "Indiquez la commune de l'adresse de l'apprenti."),
    ("apprenti.telephone", "Indiquez le numéro de téléphone de l'apprenti."),
    ("apprenti.courriel", "Indiquez l'adresse électronique de l'apprenti."),
    (
        "apprenti.sportif_haut_niveau",
        "Répondez oui ou non : l'apprenti est-il inscrit sur la "
        "liste des sportifs de haut niveau ?",
    ),
    (
        "apprenti.rqth",
        "Répondez oui ou non : l'apprenti bénéficie-t-il de la reconnaissance "
        "de travailleur handicapé (RQTH) ?",
    ),
    (
        "apprenti.projet_creation_reprise_entreprise",
        "Répondez oui ou non : l'apprenti a-t-il un projet de création ou de reprise "
        "d'entreprise ?",
    ),
    ("apprenti.situation_avant_contrat", "Choisissez la situation de l'apprenti avant ce contrat."),
    (
        "apprenti.dernier_diplome_prepare",
        "Choisissez le dernier diplôme ou titre préparé par l'apprenti.",
    ),
    ("apprenti.derniere_classe", "Choisissez la dernière classe ou année suivie par l'apprenti."),
    (
        "apprenti.intitule_dernier_diplome",
        "Indiquez l'intitulé précis du dernier diplôme ou titre préparé par l'apprenti.",
    ),
    (
        "apprenti.diplome_plus_eleve",
        "Choisissez le diplôme ou titre le plus élevé obtenu par l'apprenti.",
    ),
    # Contrat
    ("contrat.mode_contractuel", "Choisissez le mode contractuel de l'apprentissage."),
    ("contrat.type_contrat", "Choisissez le type de contrat ou d'avenant."),
    ("contrat.date_conclusion", "Indiquez la date de conclusion (de signature) du contrat."),
    (
        "contrat.date_debut_execution",
        "Indiquez la date de début d'exécution du contrat : le "
        "premier jour de travail, en entreprise ou au CFA.",
    ),
    (
        "contrat.date_debut_formation_pratique",
        "Indiquez la date de début de la formation pratique chez l'employeur.",
    ),
    (
        "contrat.date_fin",
        "Indiquez la date de fin du contrat (ou de la période d'apprentissage pour un CDI).",
    ),
    ("contrat.duree_hebdo.heures", "Indiquez la durée hebdomadaire de travail (en heures)."),
    (
        "contrat.machines_dangereuses",
        "Répondez oui ou non : l'apprenti travaillera-t-il sur "
        "des machines dangereuses ou sera-t-il exposé à des "
        "risques particuliers ?",
    ),
    (
        "contrat.caisse_retraite_complementaire",
        "Indiquez la caisse de retraite complémentaire de l'employeur.",
    ),
    # Formation
    ("formation.cfa_entreprise", "Répondez oui ou non : le CFA est-il un CFA d'entreprise ?"),
    ("formation.cfa.denomination", "Indiquez la dénomination du CFA responsable."),
    ("formation.cfa.uai", "Indiquez le numéro UAI du CFA responsable (7 chiffres et une lettre)."),
    ("formation.cfa.siret", "Indiquez le numéro SIRET du CFA responsable."),
    ("formation.cfa.adresse.voie", "Indiquez la voie de l'adresse du CFA responsable."),
    ("formation.cfa.adresse.code_postal", "Indiquez le code postal du CFA responsable."),
    ("formation.cfa.adresse.commune", "Indiquez la commune du CFA responsable."),
    (
        "formation.cfa_est_lieu_principal",
        "Répondez oui ou non : le CFA responsable est-il le lieu principal de la formation ?",
    ),
    ("formation.diplome_vise", "Choisissez le diplôme ou titre visé par l'apprenti."),
    ("formation.intitule_precis", "Indiquez l'intitulé précis du diplôme ou titre visé."),
    (
        "formation.code_diplome",
        "Indiquez le code diplôme (8 caractères ; 99999999 tant que le "
        "diplôme n'a pas encore de code).",
    ),
    ("formation.code_rncp", "Indiquez le code RNCP de la certification visée."),
    ("formation.date_debut_cfa", "Indiquez la date de début de la formation en CFA."),
    ("formation.date_fin_epreuves", "Indiquez la date prévue de fin des épreuves ou examens."),
    ("formation.duree_heures", "Indiquez la durée totale de la formation en CFA, en heures."),
    # Signature
    ("signature.fait_a", "Indiquez le lieu de signature (« Fait à »)."),
)


@rule("champs.obligatoires", "error", "Cerfa 10103*14 et notice 51649#09")
def required_fields(d: Dossier, ctx: Context):
    """Boxes the CERFA FA13 n°10103*14 asks for on every contract (notice 51649#09); the OPCO
    returns an incomplete contract."""
    for path, message in REQUIRED:
        if is_blank(get_path(d, path)):
            yield path, message


@rule("apprenti.nir.manquant", "error", "Cerfa 10103*14 ; FAQ Atlas")
def nir_missing(d: Dossier, ctx: Context):
    """The NIR box is never left empty: the Atlas FAQ says an apprentice who has no NIR yet
    (a foreign apprentice, for instance) is given a temporary number, a NIA from a social
    security body or, failing that, an NTT built by the employer. (The reference generator
    left the NIR optional.)"""
    if is_blank(d.apprenti.nir):
        yield (
            "apprenti.nir",
            (
                "Indiquez le numéro de sécurité sociale (NIR) de l'apprenti. S'il n'en a pas encore, "
                "indiquez un numéro provisoire : son NIA (commençant par 7 ou 8), ou à défaut un NTT "
                "(1 ou 2, le SIREN de l'employeur, puis un identifiant, 15 caractères au plus)."
            ),
        )


@rule(
    "signature.attestation_pieces",
    "error",
    "Cerfa 10103*14, cadre « Visa, signatures » ; C. trav. art. D6224-1",
)
def attestation_pieces(d: Dossier, ctx: Context):
    """The employer attests holding every supporting document (convention de formation…)
    that D6224-1 asks for with the contract; the box must be ticked, not just answered."""
    if d.signature.attestation_pieces_justificatives is not True:
        yield (
            "signature.attestation_pieces_justificatives",
            (
                "Cochez l'attestation : l'employeur déclare disposer de toutes les pièces "
                "justificatives (dont la convention de formation signée avec le CFA). Réunissez-les "
                "avant de cocher la case."
            ),
        )


@rule(
    "apprenti.droits_rqth.manquants",
    "error",
    "Cerfa 10103*14, cadre « L'apprenti(e) » (droits attachés à la RQTH)",
)
def rqth_rights_missing(d: Dossier, ctx: Context):
    """Since 10103*13, when RQTH is « non » the form asks two more questions: « équivalence
    jeunes » and « extension BOE » (rights attached to the RQTH, loi n° 2023-1196 art. 10).
    They change the age limit and the maximum duration, so they must be answered."""
    if d.apprenti.rqth is not False:
        return
    if d.apprenti.equivalence_jeunes is None:
        yield (
            "apprenti.equivalence_jeunes",
            (
                "L'apprenti n'a pas de RQTH : répondez oui ou non à « équivalence jeunes » "
                "(droits attachés à la RQTH pour les jeunes de 15 à 20 ans)."
            ),
        )
    if d.apprenti.extension_boe is None:
        yield (
            "apprenti.extension_boe",
            (
                "L'apprenti n'a pas de RQTH : répondez oui ou non à « extension BOE » (bénéficiaire "
                "de l'obligation d'emploi des travailleurs handicapés)."
            ),
        )


_REPRESENTANT_FIELDS: tuple[tuple[str, str], ...] = (
    ("nom_naissance", "son nom de naissance"),
    ("prenom", "son prénom"),
    ("adresse.voie", "la voie de son adresse"),
    ("adresse.code_postal", "le code postal de son adresse"),
    ("adresse.commune", "la commune de son adresse"),
    ("courriel", "son adresse électronique"),
)


@rule(
    "apprenti.representant_legal.manquant",
    "error",
    "C. trav. art. L6222-4 ; Cerfa 10103*14, cadre « Le représentant légal »",
)
def legal_representative_missing(d: Dossier, ctx: Context):
    """An apprentice who is a minor on the date of conclusion (the day the contract is
    signed) signs with a legal representative, whose identity, address and e-mail the form
    asks for (« à renseigner si l'apprenti est mineur non émancipé »). Only an emancipated
    minor is exempt; the form has no box for that, so the message says it."""
    age = age_at_conclusion(d)
    if age is None or age >= 18:
        return
    representant = d.apprenti.representant_legal
    intro = (
        f"L'apprenti aura {age} ans à la date de conclusion : il est mineur et son "
        "représentant légal signe le contrat avec lui"
    )
    if not _has_content(representant):
        yield (
            "apprenti.representant_legal",
            (
                f"{intro}. Renseignez le représentant légal (nom, prénom, adresse, courriel), "
                "sauf si l'apprenti est émancipé."
            ),
        )
        return
    for name, words in _REPRESENTANT_FIELDS:
        path = f"apprenti.representant_legal.{name}"
        if is_blank(get_path(d, path)):
            hint = (
                " (la même que celle de l'apprenti s'ils vivent ensemble)"
                if name.startswith("adresse")
                else ""
            )
            yield path, f"{intro} : indiquez {words}{hint}."


@rule(
    "apprenti.representant_legal.majeur_protege",
    "info",
    "C. civ. art. 425, 440, 467, 473 ; Cerfa 10103*14, cadre « Le représentant légal »",
)
def legal_representative_adult(d: Dossier, ctx: Context):
    """The form asks for the representative of a minor « non émancipé »; an adult may have
    one too: under tutelle the tutor represents him (C. civ. art. 473), under curatelle the
    curator assists him (art. 467), both measures of legal protection (art. 425, 440). So
    a representative given for an adult on the date of conclusion is never a mistake to
    undo: the user is told whom the box is for, never asked to empty it, and, when some
    of his details are missing, which."""
    representant = d.apprenti.representant_legal
    if not adult_at_conclusion(d) or not _has_content(representant):
        return
    missing = [
        words
        for name, words in _REPRESENTANT_FIELDS
        if is_blank(get_path(d, f"apprenti.representant_legal.{name}"))
    ]
    text = (
        f"L'apprenti aura {age_at_conclusion(d)} ans à la date de conclusion : il est majeur. Le "
        "cadre du représentant légal concerne aussi le majeur protégé : s'il est sous tutelle "
        "ou sous curatelle, gardez-y son tuteur ou son curateur, qui signe le contrat avec lui."
    )
    if missing:
        text += " Indiquez alors " + ", ".join(missing[:-1])
        text += (" et " if len(missing) > 1 else "") + missing[-1] + "."
    yield "apprenti.representant_legal", text


_MAITRE_FIELDS: tuple[tuple[str, str], ...] = (
    ("nom_naissance", "son nom de naissance"),
    ("prenom", "son prénom"),
    ("date_naissance", "sa date de naissance"),
    ("courriel", "son adresse électronique"),
    ("emploi_occupe", "l'emploi qu'il occupe"),
    ("diplome_plus_eleve", "son diplôme ou titre le plus élevé"),
    ("niveau_diplome", "le niveau de ce diplôme"),
)


@rule("maitres.aucun", "error", "C. trav. art. L6223-5, R6222-3 ; FAQ Atlas")
def no_maitre(d: Dossier, ctx: Context):
    """The employer must name a maître d'apprentissage (L6223-5); the contract gives his
    name, first name and birth date (R6222-3 4°). The Atlas FAQ: the designation is
    compulsory."""
    if not any(_has_content(m) for m in d.maitres):
        yield (
            "maitres.0.nom_naissance",
            (
                "Aucun maître d'apprentissage n'est désigné : renseignez au moins le maître "
                "d'apprentissage n°1, salarié (ou dirigeant) de l'entreprise qui suivra l'apprenti."
            ),
        )


@rule("maitres.incomplet", "error", "C. trav. art. R6222-3 ; Cerfa 10103*14")
def maitre_incomplete(d: Dossier, ctx: Context):
    """Each maître named on the form is complete: the first always (once any maître is
    given), the second when any of his boxes is filled, so that the two cadres read as one
    person each (the reference generator's « maître incomplet » rule, extended to every
    box of the cadre)."""
    if not any(_has_content(m) for m in d.maitres):
        return  # maitres.aucun says it
    for index, maitre in enumerate(d.maitres[:2]):
        if index > 0 and not _has_content(maitre):
            continue
        for name, words in _MAITRE_FIELDS:
            if is_blank(getattr(maitre, name)):
                yield (
                    f"maitres.{index}.{name}",
                    (
                        f"Maître d'apprentissage n°{index + 1} incomplet : indiquez {words}"
                        + (
                            ", ou videz tout son cadre s'il n'y a pas de second maître."
                            if index > 0
                            else "."
                        )
                    ),
                )


@rule("maitres.plus_de_deux", "error", "Cerfa 10103*14, cadre « Le maître d'apprentissage »")
def too_many_maitres(d: Dossier, ctx: Context):
    """The form has room for two maîtres only (a main one and a second who may stand in)."""
    extra = [i for i, m in enumerate(d.maitres) if i >= 2 and _has_content(m)]
    if extra:
        yield (
            tuple(f"maitres.{i}" for i in extra),
            (
                f"Le contrat ne peut désigner que deux maîtres d'apprentissage ; {len(extra)} de "
                "plus sont indiqués. Gardez les deux qui suivront l'apprenti."
            ),
        )


@rule(
    "contrat.numero_contrat_precedent.avenant",
    "error",
    "Cerfa 10103*14, cadre « Le contrat » ; notice 51649#09",
)
def previous_number_avenant(d: Dossier, ctx: Context):
    """An avenant (types 31 to 38) amends a registered contract, which the form identifies
    by its number (« numéro du contrat sur lequel porte l'avenant »)."""
    if d.contrat.type_contrat in TYPE_CONTRAT_AVENANT and is_blank(
        d.contrat.numero_contrat_precedent
    ):
        yield (
            "contrat.numero_contrat_precedent",
            (
                "Pour un avenant, indiquez le numéro d'enregistrement du contrat qu'il modifie "
                "(numéro de dépôt à 15 caractères, reçu lors de l'enregistrement)."
            ),
        )


@rule("contrat.numero_contrat_precedent.succession", "info", "FAQ Atlas")
def previous_number_succession(d: Dossier, ctx: Context):
    """For a new contract after a previous one (types 21 to 23) the form asks for the
    previous contract's number; the Atlas FAQ says it is not compulsory for the
    transmission, and that a previous contract never registered makes this one an
    initial contract (type 11)."""
    if d.contrat.type_contrat in TYPE_CONTRAT_SUCCESSION and is_blank(
        d.contrat.numero_contrat_precedent
    ):
        yield (
            "contrat.numero_contrat_precedent",
            (
                "Le numéro du contrat précédent n'est pas indiqué. Ce n'est pas bloquant, mais "
                "indiquez-le si vous le connaissez (l'apprenti ou son CFA l'a). Si le précédent "
                "contrat n'avait pas été enregistré, choisissez plutôt le type 11 (premier contrat)."
            ),
        )


@rule(
    "contrat.date_effet_avenant.manquante",
    "error",
    "Cerfa 10103*14, cadre « Le contrat » (si avenant, date d'effet)",
)
def avenant_date_missing(d: Dossier, ctx: Context):
    """An avenant (types 31 to 38, 38 included: the reference generator forgot it) says
    from which day it applies."""
    if d.contrat.type_contrat in TYPE_CONTRAT_AVENANT and d.contrat.date_effet_avenant is None:
        yield (
            "contrat.date_effet_avenant",
            (
                "Pour un avenant, indiquez sa date d'effet : le jour à partir duquel la "
                "modification s'applique."
            ),
        )


_LIEU_FIELDS: tuple[tuple[str, str], ...] = (
    ("denomination", "sa dénomination"),
    ("siret", "son numéro SIRET"),
    ("adresse.voie", "la voie de son adresse"),
    ("adresse.code_postal", "son code postal"),
    ("adresse.commune", "sa commune"),
)


@rule(
    "formation.lieu_principal.manquant",
    "error",
    "Cerfa 10103*14, cadre « La formation » (lieu principal de formation)",
)
def training_place_missing(d: Dossier, ctx: Context):
    """When the CFA responsable is not where most of the training takes place, the form
    asks for that main place (name, SIRET, address)."""
    if d.formation.cfa_est_lieu_principal is not False:
        return
    for name, words in _LIEU_FIELDS:
        path = f"formation.lieu_principal.{name}"
        if is_blank(get_path(d, path)):
            yield (
                path,
                (
                    "Le CFA responsable n'est pas le lieu principal de la formation : indiquez "
                    f"{words} du lieu principal. Sinon, répondez « oui » à la question sur le lieu "
                    "principal."
                ),
            )


@rule(
    "formation.lieu_principal.sans_objet",
    "warning",
    "Cerfa 10103*14, cadre « La formation » (lieu principal de formation)",
)
def training_place_unexpected(d: Dossier, ctx: Context):
    """The main-place block is filled only when the CFA is not the main place."""
    if d.formation.cfa_est_lieu_principal is True and _has_content(d.formation.lieu_principal):
        yield (
            "formation.lieu_principal",
            (
                "Vous avez indiqué que le CFA responsable est le lieu principal de la formation, "
                "mais un autre lieu principal est renseigné. Videz ce cadre, ou répondez « non »."
            ),
        )


@rule(
    "employeur.assurance_chomage.reponse",
    "warning",
    "Cerfa 10103*14, cadre « L'employeur » (employeurs du secteur public)",
)
def public_unemployment_answer(d: Dossier, ctx: Context):
    """A public employer says whether the apprentice joins the specific unemployment
    insurance scheme (single box « adhésion de l'apprenti au régime spécifique d'assurance
    chômage », for the public sector only)."""
    employeur = d.employeur
    if employeur.prive_public == "public" and employeur.adhesion_regime_assurance_chomage is None:
        yield (
            "employeur.adhesion_regime_assurance_chomage",
            (
                "Employeur public : indiquez si l'apprenti adhère au régime spécifique d'assurance "
                "chômage (oui ou non). Votre service des ressources humaines le sait."
            ),
        )
