"""People: the apprentice's age and its exemptions, minors' protections, the maîtres.

Ages are counted in completed years (« ans révolus », ``rules.dates.age_on``) on the date
the law names: the start of the apprenticeship (date de début d'exécution) for the age
limits of L6222-1 and for the maîtres, the date of conclusion for the 35-year ceiling of
D6222-1 and for the legal representative (``presence.py``).

The reference generator's thresholds are off by one (dérogation 11 accepted at 16, 12 at
29, error only from 31): the legal thresholds are used here, tested on both sides.
"""

from __future__ import annotations

from rules.codes import NIVEAU_DIPLOME_EUROPEEN, TYPE_CONTRAT_SUCCESSION, label
from rules.codes import NIVEAU_DIPLOME_MAITRE as NIVEAUX_MAITRE
from rules.dates import age_on, anniversary, format_fr
from rules.dossier import Apprenti, Dossier
from rules.registry import Context, rule
from rules.remuneration import has_rqth_rights

# Codes of « dernière classe » meaning the apprentice left collège before finishing the 3e.
COLLEGE_NOT_COMPLETED = frozenset({"41", "42"})

# Minors: 35 h a week (L6222-25, L3162-1), at most 5 more with the labour inspector's leave,
# or 40 h on the building and landscaping sites of R3162-1. Adults: 48 h in any one week
# (L3121-20), 44 h on average over 12 consecutive weeks (L3121-22), 46 h when a collective
# agreement allows it (L3121-23). The legal week, and an apprentice's full time, is 35 h
# (L3121-27).
LEGAL_WEEK_MINUTES = 35 * 60
MINOR_MAX_WEEK_MINUTES = 40 * 60
ADULT_MAX_WEEK_MINUTES = 48 * 60
ADULT_AVERAGE_WEEK_MINUTES = 44 * 60
AGREEMENT_AVERAGE_WEEK_MINUTES = 46 * 60


def age_at_start(d: Dossier) -> int | None:
    """The apprentice's age at the start of execution (« au début de l'apprentissage »)."""
    if d.apprenti.date_naissance is None or d.contrat.date_debut_execution is None:
        return None
    return age_on(d.apprenti.date_naissance, d.contrat.date_debut_execution)


def _no_age_limit(apprenti: Apprenti) -> str | None:
    """The exemption of L6222-2 3° to 5° that applies, in words, or None."""
    if apprenti.rqth:
        return "la reconnaissance de travailleur handicapé"
    if apprenti.equivalence_jeunes or apprenti.extension_boe:
        return "des droits attachés à la RQTH"
    if apprenti.sportif_haut_niveau:
        return "l'inscription sur la liste des sportifs de haut niveau"
    if apprenti.projet_creation_reprise_entreprise:
        return "un projet de création ou de reprise d'entreprise"
    return None


def _hours_words(minutes: int) -> str:
    h, m = divmod(minutes, 60)
    return f"{h} h {m:02d}" if m else f"{h} h"


# -- age of the apprentice ---------------------------------------------------------------


@rule("apprenti.age.minimum", "error", "C. trav. art. L6222-1")
def age_minimum(d: Dossier, ctx: Context):
    """L6222-1: an apprentice is at least 16 at the start of the apprenticeship, or 15 if he
    has completed the first cycle of secondary education (collège, up to the end of the
    3e). Dernière classe 41 or 42 (left in 3e or 4e) says he has not."""
    age = age_at_start(d)
    if age is None:
        return
    fields = ("apprenti.date_naissance", "contrat.date_debut_execution")
    if age < 15:
        fifteen = anniversary(d.apprenti.date_naissance, 15)
        yield (
            fields,
            (
                f"L'apprenti aura {max(age, 0)} ans au début du contrat : il faut avoir au moins "
                f"15 ans (il les aura le {format_fr(fifteen)}). Reportez le début du contrat, ou "
                "vérifiez la date de naissance."
            ),
        )
    elif age == 15 and d.apprenti.derniere_classe in COLLEGE_NOT_COMPLETED:
        sixteen = anniversary(d.apprenti.date_naissance, 16)
        yield (
            fields + ("apprenti.derniere_classe",),
            (
                "L'apprenti aura 15 ans au début du contrat : à cet âge, il doit avoir terminé le "
                "collège (classe de 3e achevée), or sa dernière classe indique qu'il l'a quitté "
                f"avant. Le contrat peut commencer à ses 16 ans, le {format_fr(sixteen)}."
            ),
        )


@rule("apprenti.age.maximum", "error", "C. trav. art. L6222-1, L6222-2, D6222-1, L6222-11")
def age_maximum(d: Dossier, ctx: Context):
    """L6222-1: at most 29 years révolus at the start. L6222-2 lifts the limit for an RQTH
    (and, since loi n° 2023-1196, the rights attached to it), a sportif de haut niveau, a
    projet de création ou reprise d'entreprise; and, for a contract following a previous
    one (completed, or broken for reasons outside the apprentice's will), D6222-1 sets the
    ceiling at 35 years at the conclusion. A new contract with another employer after an
    exam failure (L6222-11 2°) has no ceiling according to service-public.fr; the form
    cannot tell that case apart, so the message names it."""
    age = age_at_start(d)
    if age is None or age < 30 or _no_age_limit(d.apprenti):
        return
    fields = ("apprenti.date_naissance", "contrat.date_debut_execution")
    if d.contrat.type_contrat in TYPE_CONTRAT_SUCCESSION:
        conclusion = d.contrat.date_conclusion
        if conclusion is None:
            return
        age_conclusion = age_on(d.apprenti.date_naissance, conclusion)
        if age_conclusion > 35:
            yield (
                ("apprenti.date_naissance", "contrat.date_conclusion"),
                (
                    f"L'apprenti aura {age_conclusion} ans à la conclusion : après un précédent "
                    "contrat d'apprentissage, l'âge limite est de 35 ans révolus à la signature. "
                    "Le contrat n'est possible que si l'apprenti a une RQTH (ou des droits "
                    "attachés), est sportif de haut niveau ou a un projet de création ou de reprise "
                    "d'entreprise (cochez la case qui s'applique), ou, chez un nouvel employeur, "
                    "s'il prolonge son apprentissage après un échec à l'examen : vérifiez ce cas "
                    "avec l'OPCO."
                ),
            )
        return
    yield (
        fields + ("contrat.type_contrat",),
        (
            f"L'apprenti aura {age} ans au début du contrat : l'apprentissage est ouvert jusqu'à "
            "29 ans révolus. Au-delà, il faut une RQTH (ou des droits attachés), être sportif de "
            "haut niveau, avoir un projet de création ou de reprise d'entreprise (cochez la case "
            "qui s'applique), ou enchaîner un précédent contrat d'apprentissage (types 21 à 23, "
            "jusqu'à 35 ans)."
        ),
    )


def _succession_over_29(d: Dossier) -> int | None:
    """Age at conclusion when the contract relies on the succession exemption (L6222-2 1°
    or 2°): 30 or more at the start, no other exemption, types 21-23, 35 at most."""
    age = age_at_start(d)
    if (
        age is None
        or age < 30
        or _no_age_limit(d.apprenti)
        or d.contrat.type_contrat not in TYPE_CONTRAT_SUCCESSION
        or d.contrat.date_conclusion is None
    ):
        return None
    age_conclusion = age_on(d.apprenti.date_naissance, d.contrat.date_conclusion)
    return age_conclusion if age_conclusion <= 35 else None


@rule("apprenti.age.succession_niveau", "warning", "C. trav. art. L6222-2 1°")
def succession_higher_level(d: Dossier, ctx: Context):
    """L6222-2 1°: after a completed contract (types 21 and 22), the age limit is lifted
    only if the new contract leads to a higher diploma level than the one obtained. The
    levels come from the notice's diploma table; « diplôme le plus élevé obtenu » stands for
    the diploma of the previous contract."""
    if _succession_over_29(d) is None or d.contrat.type_contrat == "23":
        return
    vise = NIVEAU_DIPLOME_EUROPEEN.get(d.formation.diplome_vise or "")
    obtenu = NIVEAU_DIPLOME_EUROPEEN.get(d.apprenti.diplome_plus_eleve or "")
    if vise is not None and obtenu is not None and vise <= obtenu:
        yield (
            ("formation.diplome_vise", "apprenti.diplome_plus_eleve"),
            (
                "L'apprenti a plus de 29 ans : après un contrat terminé, un nouveau contrat n'est "
                "possible que s'il prépare un diplôme de niveau supérieur à celui qu'il a obtenu "
                f"(niveau {vise} visé, niveau {obtenu} obtenu). Vérifiez le diplôme visé, ou la "
                "situation de l'apprenti (RQTH, sportif de haut niveau, projet d'entreprise)."
            ),
        )


@rule("apprenti.age.succession_conditions", "info", "C. trav. art. L6222-2 1° et 2°, D6222-1")
def succession_conditions(d: Dossier, ctx: Context):
    """D6222-1: the succession exemptions hold only if the new contract is signed within
    one year of the end of the previous one, and (for a broken contract, L6222-2 2°) if the
    rupture came from the employer (cessation, fault, suspension) or from a temporary
    physical unfitness. The form carries neither fact: the user is told to keep the proof."""
    age = _succession_over_29(d)
    if age is None:
        return
    rupture = (
        (
            " et que la rupture du précédent contrat ne soit pas due à l'apprenti (cessation "
            "d'activité ou faute de l'employeur, suspension du contrat, inaptitude physique "
            "temporaire)"
        )
        if d.contrat.type_contrat == "23"
        else ""
    )
    yield (
        "contrat.type_contrat",
        (
            f"L'apprenti a plus de 29 ans ({age} ans à la conclusion) : ce contrat est possible parce "
            "qu'il suit un précédent contrat d'apprentissage, à condition qu'il soit signé moins "
            f"d'un an après la fin du précédent{rupture}. Gardez de quoi le prouver."
        ),
    )


@rule(
    "contrat.type_derogation.age",
    "error",
    "C. trav. art. L6222-1, L6222-2 ; notice 51649#09 (type de dérogation)",
)
def derogation_matches_age(d: Dossier, ctx: Context):
    """The « type de dérogation » box says why the age is outside 16-29: 11 for a
    15-year-old, 12 for 30 and over (an exemption of L6222-2), 50 when several dérogations
    add up. The code must match the age at the start, at the legal thresholds (the
    reference generator tested « > 16 » and « < 29 »)."""
    age = age_at_start(d)
    if age is None:
        return
    code = d.contrat.type_derogation
    fields = ("contrat.type_derogation", "apprenti.date_naissance", "contrat.date_debut_execution")
    if age == 15 and code not in ("11", "50"):
        yield (
            fields,
            (
                "L'apprenti aura 15 ans au début du contrat : choisissez le type de dérogation 11 "
                "(âge inférieur à 16 ans), ou 50 s'il y a aussi une autre dérogation."
            ),
        )
    elif age >= 30 and code not in ("12", "50"):
        # Without any exemption the age itself is the problem (apprenti.age.maximum).
        if _no_age_limit(d.apprenti) or d.contrat.type_contrat in TYPE_CONTRAT_SUCCESSION:
            yield (
                fields,
                (
                    f"L'apprenti aura {age} ans au début du contrat : choisissez le type de "
                    "dérogation 12 (âge supérieur à 29 ans), ou 50 s'il y a aussi une autre "
                    "dérogation."
                ),
            )
    if code == "11" and age >= 16:
        yield (
            fields,
            (
                f"Le type de dérogation 11 est réservé aux apprentis de moins de 16 ans au début "
                f"du contrat ; l'apprenti aura {age} ans. Retirez ce code ou choisissez celui "
                "qui s'applique."
            ),
        )
    elif code == "12" and 0 <= age < 30:
        yield (
            fields,
            (
                f"Le type de dérogation 12 est réservé aux apprentis de 30 ans et plus au début "
                f"du contrat ; l'apprenti aura {age} ans. Retirez ce code ou choisissez celui "
                "qui s'applique."
            ),
        )


@rule(
    "apprenti.equivalence_jeunes.age",
    "warning",
    "Loi n° 2023-1196 du 18 décembre 2023, art. 10 ; Cerfa 10103*14",
)
def equivalence_jeunes_age(d: Dossier, ctx: Context):
    """« Équivalence jeunes » covers young people of 15 to 20 who hold rights (AEEH, PCH,
    projet personnalisé de scolarisation) treated like an RQTH; outside that age the box is
    probably ticked by mistake (reference §5, non-blocking list)."""
    age = age_at_start(d)
    if d.apprenti.equivalence_jeunes and age is not None and not 15 <= age <= 20:
        yield (
            "apprenti.equivalence_jeunes",
            (
                f"« Équivalence jeunes » concerne les jeunes de 15 à 20 ans ; l'apprenti aura {age} "
                "ans au début du contrat. Vérifiez cette réponse (« extension BOE » est peut-être "
                "celle qui s'applique)."
            ),
        )


# -- minors' protections -----------------------------------------------------------------


@rule("contrat.duree_hebdo.maximum", "error", "C. trav. art. L6222-25, L3162-1, R3162-1, L3121-20")
def weekly_hours_maximum(d: Dossier, ctx: Context):
    """Absolute weekly maxima: an apprentice under 18 works 35 h (L6222-25, L3162-1), and
    40 h at most even with the labour inspector's leave (L3162-1) or on the building sites
    of R3162-1; an adult never more than 48 h in any one week (L3121-20; beyond, only the
    administrative authority, in exceptional circumstances and for their length,
    L3121-21). The apprentice's time at the CFA counts as work (L6222-24)."""
    minutes = d.contrat.duree_hebdo.total_minutes
    age = age_at_start(d)
    if minutes is None or age is None:
        return
    if age < 18 and minutes > MINOR_MAX_WEEK_MINUTES:
        yield (
            "contrat.duree_hebdo.heures",
            (
                f"L'apprenti sera mineur : {_hours_words(minutes)} par semaine, c'est plus que le "
                "maximum légal (35 h, 40 h au plus avec une dérogation). Indiquez 35 h."
            ),
        )
    elif age >= 18 and minutes > ADULT_MAX_WEEK_MINUTES:
        yield (
            "contrat.duree_hebdo.heures",
            (
                f"{_hours_words(minutes)} par semaine dépasse la durée maximale du travail (48 h). "
                "Corrigez la durée hebdomadaire."
            ),
        )


@rule(
    "contrat.duree_hebdo.mineur_derogation", "warning", "C. trav. art. L6222-25, L3162-1, R3162-1"
)
def weekly_hours_minor(d: Dossier, ctx: Context):
    """An apprentice under 18 works 8 h a day and 35 h a week at most (L6222-25, L3162-1);
    up to 40 h only with the labour inspector's leave after the occupational doctor's
    opinion, or on building, public-works and landscaping sites (R3162-1)."""
    minutes = d.contrat.duree_hebdo.total_minutes
    age = age_at_start(d)
    if minutes is None or age is None or age >= 18:
        return
    if LEGAL_WEEK_MINUTES < minutes <= MINOR_MAX_WEEK_MINUTES:
        yield (
            "contrat.duree_hebdo.heures",
            (
                f"L'apprenti sera mineur : au-delà de 35 h par semaine ({_hours_words(minutes)}), "
                "il faut l'autorisation de l'inspecteur du travail après avis du médecin du travail, "
                "ou un chantier du bâtiment, des travaux publics ou du paysage. Sinon, indiquez 35 h."
            ),
        )


@rule("contrat.duree_hebdo.heures_supplementaires", "info", "C. trav. art. L3121-27, L3121-18")
def weekly_hours_overtime(d: Dossier, ctx: Context):
    """For an adult, hours beyond the legal 35 h (L3121-27) are overtime, paid as such, and
    no day exceeds 10 h (L3121-18); the DGEFP (circular 2012-15) asks to write 35 h when
    they are compensated by rest days. Up to 44 h: beyond, the 12-week average of
    L3121-22 is the concern (``contrat.duree_hebdo.moyenne``)."""
    minutes = d.contrat.duree_hebdo.total_minutes
    age = age_at_start(d)
    if minutes is None or age is None or age < 18:
        return
    if LEGAL_WEEK_MINUTES < minutes <= ADULT_AVERAGE_WEEK_MINUTES:
        yield (
            "contrat.duree_hebdo.heures",
            (
                f"{_hours_words(minutes)} par semaine : les heures au-delà de 35 h sont des heures "
                "supplémentaires, majorées, et aucune journée ne dépasse 10 h. Si elles sont "
                "compensées par des jours de repos (RTT), indiquez 35 h."
            ),
        )


@rule("contrat.duree_hebdo.moyenne", "warning", "C. trav. art. L3121-22, L3121-23, L3121-18")
def weekly_hours_average(d: Dossier, ctx: Context):
    """L3121-22: an adult's week averages 44 h at most over any 12 consecutive weeks;
    L3121-23: a company or, failing one, a branch agreement may raise that average to 46 h.
    The contract's week above 44 h (up to the 48 h of any single week, beyond which
    ``contrat.duree_hebdo.maximum`` is an error) is lawful only if shorter weeks — the
    weeks at the CFA, which count as working time (L6222-24) — bring the average down, or,
    up to 46 h, under such an agreement: the form cannot tell, hence a warning. The hours
    beyond 35 h are overtime, and no day exceeds 10 h (L3121-18)."""
    minutes = d.contrat.duree_hebdo.total_minutes
    age = age_at_start(d)
    if minutes is None or age is None or age < 18:
        return
    if not ADULT_AVERAGE_WEEK_MINUTES < minutes <= ADULT_MAX_WEEK_MINUTES:
        return
    if minutes <= AGREEMENT_AVERAGE_WEEK_MINUTES:
        allowed = (
            "sauf si un accord d'entreprise ou de branche porte cette moyenne à 46 h, ou si "
            "des semaines plus courtes (au CFA notamment) la ramènent sous 44 h"
        )
    else:
        allowed = (
            "46 h avec un accord d'entreprise ou de branche : ce contrat n'est possible que si "
            "des semaines plus courtes (au CFA notamment) ramènent la moyenne sous cette limite"
        )
    yield (
        "contrat.duree_hebdo.heures",
        (
            f"{_hours_words(minutes)} par semaine : sur 12 semaines consécutives, la durée "
            f"moyenne du travail ne peut dépasser 44 h, temps au CFA compris, {allowed}. Les "
            "heures au-delà de 35 h sont des heures supplémentaires, majorées, et aucune "
            "journée ne dépasse 10 h. Vérifiez la durée hebdomadaire."
        ),
    )


@rule(
    "contrat.duree_hebdo.temps_partiel",
    "warning",
    "C. trav. art. L6222-24, R6222-49-1, R6222-59 à R6222-65 ; DGEFP, Précis de l'apprentissage",
)
def part_time(d: Dossier, ctx: Context):
    """The apprenticeship contract is full time: the hours at the CFA are working time
    (L6222-24), and the DGEFP's Précis de l'apprentissage allows a shorter week to two
    kinds of apprentice only: a disabled one, whose working time the occupational
    physician may propose to adapt (R6222-49-1; the rights attached to the RQTH are
    treated alike, loi n° 2023-1196), and a sportif de haut niveau, whose training the
    employer organises around his sport (R6222-59 to R6222-65). Otherwise a week under
    35 h is probably a mistake — unless the whole establishment works shorter hours
    (collective working time, assessed case by case): a warning, not an error."""
    minutes = d.contrat.duree_hebdo.total_minutes
    a = d.apprenti
    if minutes is None or minutes <= 0 or minutes >= LEGAL_WEEK_MINUTES:
        return
    if has_rqth_rights(a) or a.sportif_haut_niveau:
        return
    yield (
        ("contrat.duree_hebdo.heures", "apprenti.rqth", "apprenti.sportif_haut_niveau"),
        (
            f"{_hours_words(minutes)} par semaine : le contrat d'apprentissage est à temps plein "
            "(35 h), le temps au CFA comptant comme temps de travail. Un temps partiel n'est "
            "possible que pour un apprenti reconnu travailleur handicapé (ou ayant des droits "
            "attachés à la RQTH) ou sportif de haut niveau : cochez la case qui s'applique. "
            "Sinon, indiquez 35 h, sauf si tout l'établissement travaille moins de 35 h "
            "(horaire collectif)."
        ),
    )


@rule(
    "contrat.machines_dangereuses.mineur",
    "warning",
    "C. trav. art. L4153-8, L4153-9, D4153-15 à D4153-37, R4153-38 à R4153-45",
)
def dangerous_work_minor(d: Dossier, ctx: Context):
    """Some work is forbidden to minors (L4153-8, D4153-15 ff.); an employer may assign a
    minor apprentice to it only after a derogation declaration to the labour inspectorate
    (L4153-9, R4153-38 ff.)."""
    age = age_at_start(d)
    if d.contrat.machines_dangereuses and age is not None and age < 18:
        yield (
            "contrat.machines_dangereuses",
            (
                "L'apprenti sera mineur et travaillera sur des machines dangereuses ou exposé à des "
                "risques particuliers : avant de l'y affecter, l'employeur doit envoyer une "
                "déclaration de dérogation à l'inspection du travail."
            ),
        )


@rule("contrat.machines_dangereuses.duree_limitee", "info", "C. trav. art. D4154-1 à D4154-6")
def dangerous_work_fixed_term(d: Dossier, ctx: Context):
    """Workers on a fixed-term or temporary contract, apprentices included, may not do the
    very dangerous work listed by D4154-1 (certain chemical agents…) without the
    authorisation of D4154-2 ff. Modes 1, 3 and 4 are fixed-term; mode 2 is a CDI."""
    mode = d.contrat.mode_contractuel
    if d.contrat.machines_dangereuses and mode in ("1", "3", "4"):
        yield (
            "contrat.machines_dangereuses",
            (
                "Contrat à durée limitée avec travaux à risques : les travaux particulièrement "
                "dangereux de l'article D4154-1 du code du travail (certains agents chimiques, "
                "notamment) sont interdits sans autorisation de l'inspection du travail. "
                "Vérifiez que l'apprenti n'y sera pas affecté."
            ),
        )


# -- maîtres d'apprentissage -------------------------------------------------------------


@rule("maitres.age.majeur", "error", "C. trav. art. L6223-8-1")
def maitre_adult(d: Dossier, ctx: Context):
    """L6223-8-1: the maître d'apprentissage is of age (« majeur ») when he takes up the
    role, i.e. at the start of the contract."""
    start = d.contrat.date_debut_execution
    if start is None:
        return
    for index, maitre in enumerate(d.maitres):
        if maitre.date_naissance is None:
            continue
        age = age_on(maitre.date_naissance, start)
        if 0 <= age < 18:
            yield (
                (f"maitres.{index}.date_naissance", "contrat.date_debut_execution"),
                (
                    f"Le maître d'apprentissage n°{index + 1} aura {age} ans au début du contrat : "
                    "il doit être majeur. Désignez un autre maître, ou vérifiez sa date de "
                    "naissance."
                ),
            )


@rule("maitres.attestation", "error", "C. trav. art. L6223-8-1, R6223-22, R6222-3 5°")
def maitre_attestation(d: Dossier, ctx: Context):
    """R6222-3 5°: the contract carries the employer's attestation that the maître meets the
    conditions of competence of L6223-8-1 (diploma and one year, or two years of related
    experience, R6223-22). The form cannot check them; the box must be ticked."""
    if d.attestation_maitre_eligibilite is not True:
        yield (
            "attestation_maitre_eligibilite",
            (
                "Cochez l'attestation : l'employeur certifie que le maître d'apprentissage remplit "
                "les conditions (salarié volontaire, majeur, diplôme du même domaine et un an "
                "d'expérience, ou deux ans d'expérience en rapport avec le diplôme préparé)."
            ),
        )


@rule("maitres.niveau_diplome", "warning", "C. trav. art. R6223-22")
def maitre_level(d: Dossier, ctx: Context):
    """R6223-22 1°: a maître qualifies by a diploma of the same field and of a level at
    least equal to the one prepared (plus one year of experience); otherwise only by two
    years of related experience (2°). The form carries no experience, so a lower level is
    a warning, never an error."""
    vise = NIVEAU_DIPLOME_EUROPEEN.get(d.formation.diplome_vise or "")
    if vise is None:
        return
    for index, maitre in enumerate(d.maitres):
        niveau = maitre.niveau_diplome
        # Only a code of the table, all ASCII digits, goes to int() (str.isdigit() would
        # let "²" through); any other value is reported by the code checks.
        if niveau is None or label(NIVEAUX_MAITRE, niveau) is None:
            continue
        if int(niveau) < vise:
            yield (
                (f"maitres.{index}.niveau_diplome", "formation.diplome_vise"),
                (
                    f"Le maître d'apprentissage n°{index + 1} a un diplôme de niveau {niveau}, "
                    f"inférieur au niveau {vise} du diplôme préparé : il ne peut être maître que "
                    "s'il justifie de deux ans d'expérience en rapport avec ce diplôme (ou des "
                    "conditions fixées par la convention collective). Vérifiez-le."
                ),
            )
