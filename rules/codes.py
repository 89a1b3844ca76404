"""The code tables of the CERFA FA13 n°10103*14 (notice n°51649#09).

Each table is an ordered tuple of ``(code, label)`` pairs: codes are strings, leading zeros
kept ("01", "0"); labels are the notice's French words, so that the user picks a label and
never types a raw code. A tuple of pairs is what Django expects as ``choices``, and this
module stays plain Python (no Django import).

Where the notice groups a list under headings (diplomas, contract types, employer types),
a ``*_GROUPES`` table gives the grouped form, ``((heading, ((code, label), …)), …)``, which
Django also accepts as ``choices``; the flat table is derived from it, so they cannot differ.

Source of every table: the project's reference, ``cerfa-10103-14-codes-and-rules.md`` §1
(rebuilt from the government's generators and from implementations citing notice
51649#09; the notice itself is to be re-read before production). Where *12 and *14 differ,
the *14 wording is used.
"""

from __future__ import annotations

Choices = tuple[tuple[str, str], ...]
GroupedChoices = tuple[tuple[str, Choices], ...]


def _flatten(groups: GroupedChoices) -> Choices:
    return tuple(pair for _, pairs in groups for pair in pairs)


def codes(table: Choices) -> frozenset[str]:
    """The set of valid codes of a table (for membership tests)."""
    return frozenset(code for code, _ in table)


def label(table: Choices, code: str | None) -> str | None:
    """The label of ``code`` in ``table``, or None when the code is not in it."""
    for value, text in table:
        if value == code:
            return text
    return None


# -- Employeur ---------------------------------------------------------------------------

# Notice, cadre « L'employeur » : two boxes, privé or « public ». The dossier stores the
# word rather than a number, as the form has no code for it.
PRIVE_PUBLIC: Choices = (
    ("prive", "Employeur privé"),
    ("public", "Employeur « public »"),
)

# Notice §1.3 « Type d'employeur ». 11 to 16 go with the « privé » box, 21 to 30 with the
# « public » box (code 30, EPIC, exists since 10103*10).
TYPE_EMPLOYEUR_PRIVE: Choices = (
    (
        "11",
        "Entreprise inscrite au répertoire des métiers ou au registre des entreprises "
        "pour l'Alsace-Moselle",
    ),
    ("12", "Entreprise inscrite uniquement au registre du commerce et des sociétés"),
    ("13", "Entreprises dont les salariés relèvent de la mutualité sociale agricole"),
    ("14", "Profession libérale"),
    ("15", "Association"),
    ("16", "Autre employeur privé"),
)
TYPE_EMPLOYEUR_PUBLIC: Choices = (
    (
        "21",
        "Service de l'État (administrations centrales et leurs services déconcentrés "
        "de la fonction publique d'État)",
    ),
    ("22", "Commune"),
    ("23", "Département"),
    ("24", "Région"),
    ("25", "Établissement public hospitalier"),
    ("26", "Établissement public local d'enseignement"),
    ("27", "Établissement public administratif de l'État"),
    (
        "28",
        "Établissement public administratif local (y compris établissement public de "
        "coopération intercommunale EPCI)",
    ),
    ("29", "Autre employeur public"),
    ("30", "Établissement public industriel et commercial"),
)
TYPE_EMPLOYEUR_GROUPES: GroupedChoices = (
    ("Employeur privé", TYPE_EMPLOYEUR_PRIVE),
    ("Employeur public", TYPE_EMPLOYEUR_PUBLIC),
)
TYPE_EMPLOYEUR: Choices = _flatten(TYPE_EMPLOYEUR_GROUPES)
# The EPIC (30) is public but employs under private law: it files with its OPCO and pays
# the private grid. Every other public type files with the State services (L6227-1).
TYPE_EMPLOYEUR_EPIC = "30"
TYPES_EMPLOYEUR_PRIVE = frozenset(code for code, _ in TYPE_EMPLOYEUR_PRIVE)
TYPES_EMPLOYEUR_PUBLIC = frozenset(code for code, _ in TYPE_EMPLOYEUR_PUBLIC)
TYPES_EMPLOYEUR_PUBLIC_ADMINISTRATIF = TYPES_EMPLOYEUR_PUBLIC - {TYPE_EMPLOYEUR_EPIC}

# Notice §1.4 « Employeur spécifique ».
EMPLOYEUR_SPECIFIQUE: Choices = (
    ("0", "Aucun de ces cas"),
    ("1", "Entreprise de travail temporaire"),
    ("2", "Groupement d'employeurs"),
    ("3", "Employeur saisonnier"),
    ("4", "Apprentissage familial : l'employeur est un ascendant de l'apprenti"),
)

# Special values of the IDCC box (reference §2.9, the official IDCC list's wording). Any
# other 4-digit code is a convention collective's own number.
IDCC_SPECIAUX: Choices = (
    ("9999", "Sans convention collective"),
    ("9998", "Convention non encore en vigueur"),
)

# -- Apprenti ----------------------------------------------------------------------------

# Notice, cadre « L'apprenti(e) » : two boxes, M and F.
SEXE: Choices = (
    ("M", "Masculin"),
    ("F", "Féminin"),
)

# Notice §1.5 « Nationalité ».
NATIONALITE: Choices = (
    ("1", "Française"),
    ("2", "Union européenne"),
    ("3", "Étranger hors Union européenne"),
)

# Notice §1.6 « Régime social ».
REGIME_SOCIAL: Choices = (
    ("1", "MSA"),
    ("2", "URSSAF"),
)

# Notice §1.7 « Situation avant ce contrat » (*14 wording: « France Travail »).
SITUATION_AVANT_CONTRAT: Choices = (
    ("1", "Scolaire"),
    ("2", "Prépa apprentissage"),
    ("3", "Étudiant"),
    ("4", "Contrat d'apprentissage"),
    ("5", "Contrat de professionnalisation"),
    ("6", "Contrat aidé"),
    (
        "7",
        "En formation au CFA sous statut de stagiaire de la formation professionnelle, "
        "avant conclusion d'un contrat d'apprentissage (L6222-12-1 du code du travail)",
    ),
    (
        "8",
        "En formation au CFA sans contrat, sous statut de stagiaire de la formation "
        "professionnelle, à la suite d'une rupture d'un précédent contrat (5° de L6231-2 "
        "du code du travail)",
    ),
    ("9", "Autres situations sous statut de stagiaire de la formation professionnelle"),
    ("10", "Salarié"),
    ("11", "Personne à la recherche d'un emploi (inscrite ou non à France Travail)"),
    ("12", "Inactif"),
)

# Notice §1.8 « Diplôme ou titre » (*14 table), grouped under the notice's level headings.
# The same table serves three boxes: « Dernier diplôme ou titre préparé », « Diplôme ou
# titre le plus élevé obtenu » and « Diplôme ou titre visé par l'apprenti ».
DIPLOME_GROUPES: GroupedChoices = (
    (
        "Diplôme ou titre de niveau bac +5 et plus",
        (
            ("80", "Doctorat"),
            ("73", "Master"),
            ("75", "Diplôme d'ingénieur"),
            ("76", "Diplôme d'école de commerce"),
            ("79", "Autre diplôme ou titre de niveau bac +5 ou plus"),
        ),
    ),
    (
        "Diplôme ou titre de niveau bac +3 et 4",
        (
            ("62", "Licence professionnelle"),
            ("63", "Licence générale"),
            ("64", "Bachelor universitaire de technologie (BUT)"),
            ("69", "Autre diplôme ou titre de niveau bac +3 ou 4"),
        ),
    ),
    (
        "Diplôme ou titre de niveau bac +2",
        (
            ("54", "Brevet de technicien supérieur (BTS)"),
            ("55", "Diplôme universitaire de technologie (DUT)"),
            ("58", "Autre diplôme ou titre de niveau bac +2"),
        ),
    ),
    (
        "Diplôme ou titre de niveau bac",
        (
            ("41", "Baccalauréat professionnel"),
            ("42", "Baccalauréat général"),
            ("43", "Baccalauréat technologique"),
            ("44", "Diplôme de spécialisation professionnelle"),
            ("49", "Autre diplôme ou titre de niveau bac"),
        ),
    ),
    (
        "Diplôme ou titre de niveau CAP/BEP",
        (
            ("33", "CAP"),
            ("34", "BEP"),
            ("35", "Certificat de spécialisation (ex-mention complémentaire)"),
            ("38", "Autre diplôme ou titre de niveau CAP/BEP"),
        ),
    ),
    (
        "Aucun diplôme ni titre",
        (
            ("25", "Diplôme national du brevet"),
            ("26", "Certificat de formation générale"),
            ("13", "Aucun diplôme ni titre professionnel"),
        ),
    ),
)
DIPLOME: Choices = _flatten(DIPLOME_GROUPES)

# European level (cadre national des certifications) of each diploma code, from the
# notice's headings: used to compare with the maître's level (R6223-22). The doctorat is
# level 8; the codes under « Aucun diplôme ni titre » have no level (None).
NIVEAU_DIPLOME_EUROPEEN: dict[str, int | None] = {
    "80": 8,
    "73": 7,
    "75": 7,
    "76": 7,
    "79": 7,
    "62": 6,
    "63": 6,
    "64": 6,
    "69": 6,
    "54": 5,
    "55": 5,
    "58": 5,
    "41": 4,
    "42": 4,
    "43": 4,
    "44": 4,
    "49": 4,
    "33": 3,
    "34": 3,
    "35": 3,
    "38": 3,
    "25": None,
    "26": None,
    "13": None,
}

# Notice §1.9 « Dernière classe / année suivie ». Keep the leading zero of "01".
DERNIERE_CLASSE: Choices = (
    (
        "01",
        "L'apprenti a suivi la dernière année du cycle de formation et a obtenu le "
        "diplôme ou titre",
    ),
    (
        "11",
        "L'apprenti a suivi la 1re année du cycle et l'a validée (examens réussis mais "
        "année non diplômante)",
    ),
    (
        "12",
        "L'apprenti a suivi la 1re année du cycle mais ne l'a pas validée (échec aux "
        "examens, interruption ou abandon de formation)",
    ),
    (
        "21",
        "L'apprenti a suivi la 2e année du cycle et l'a validée (examens réussis mais "
        "année non diplômante)",
    ),
    (
        "22",
        "L'apprenti a suivi la 2e année du cycle mais ne l'a pas validée (échec aux "
        "examens, interruption ou abandon de formation)",
    ),
    (
        "31",
        "L'apprenti a suivi la 3e année du cycle et l'a validée (examens réussis mais "
        "année non diplômante, cycle adapté)",
    ),
    (
        "32",
        "L'apprenti a suivi la 3e année du cycle mais ne l'a pas validée (échec aux "
        "examens, interruption ou abandon de formation)",
    ),
    ("40", "L'apprenti a achevé le 1er cycle de l'enseignement secondaire (collège)"),
    ("41", "L'apprenti a interrompu ses études en classe de 3e"),
    ("42", "L'apprenti a interrompu ses études en classe de 4e"),
)

# Notice, cadre « L'apprenti(e) », « Département de naissance » (reference §1.15):
# 01 to 95 with Corsica as 2A and 2B (there is no 20), the overseas départements 971 to
# 976, and 99 for a birth abroad. The reference's list (from the *12 generator) stops at
# 971-974 and 976; the overseas collectivities are added because INSEE gives them
# these codes and a person born there is born in France, not abroad (reference
# Appendix B: the notice's exact list was not available).
DEPARTEMENT_NAISSANCE: Choices = (
    ("01", "Ain"),
    ("02", "Aisne"),
    ("03", "Allier"),
    ("04", "Alpes-de-Haute-Provence"),
    ("05", "Hautes-Alpes"),
    ("06", "Alpes-Maritimes"),
    ("07", "Ardèche"),
    ("08", "Ardennes"),
    ("09", "Ariège"),
    ("10", "Aube"),
    ("11", "Aude"),
    ("12", "Aveyron"),
    ("13", "Bouches-du-Rhône"),
    ("14", "Calvados"),
    ("15", "Cantal"),
    ("16", "Charente"),
    ("17", "Charente-Maritime"),
    ("18", "Cher"),
    ("19", "Corrèze"),
    ("2A", "Corse-du-Sud"),
    ("2B", "Haute-Corse"),
    ("21", "Côte-d'Or"),
    ("22", "Côtes-d'Armor"),
    ("23", "Creuse"),
    ("24", "Dordogne"),
    ("25", "Doubs"),
    ("26", "Drôme"),
    ("27", "Eure"),
    ("28", "Eure-et-Loir"),
    ("29", "Finistère"),
    ("30", "Gard"),
    ("31", "Haute-Garonne"),
    ("32", "Gers"),
    ("33", "Gironde"),
    ("34", "Hérault"),
    ("35", "Ille-et-Vilaine"),
    ("36", "Indre"),
    ("37", "Indre-et-Loire"),
    ("38", "Isère"),
    ("39", "Jura"),
    ("40", "Landes"),
    ("41", "Loir-et-Cher"),
    ("42", "Loire"),
    ("43", "Haute-Loire"),
    ("44", "Loire-Atlantique"),
    ("45", "Loiret"),
    ("46", "Lot"),
    ("47", "Lot-et-Garonne"),
    ("48", "Lozère"),
    ("49", "Maine-et-Loire"),
    ("50", "Manche"),
    ("51", "Marne"),
    ("52", "Haute-Marne"),
    ("53", "Mayenne"),
    ("54", "Meurthe-et-Moselle"),
    ("55", "Meuse"),
    ("56", "Morbihan"),
    ("57", "Moselle"),
    ("58", "Nièvre"),
    ("59", "Nord"),
    ("60", "Oise"),
    ("61", "Orne"),
    ("62", "Pas-de-Calais"),
    ("63", "Puy-de-Dôme"),
    ("64", "Pyrénées-Atlantiques"),
    ("65", "Hautes-Pyrénées"),
    ("66", "Pyrénées-Orientales"),
    ("67", "Bas-Rhin"),
    ("68", "Haut-Rhin"),
    ("69", "Rhône"),
    ("70", "Haute-Saône"),
    ("71", "Saône-et-Loire"),
    ("72", "Sarthe"),
    ("73", "Savoie"),
    ("74", "Haute-Savoie"),
    ("75", "Paris"),
    ("76", "Seine-Maritime"),
    ("77", "Seine-et-Marne"),
    ("78", "Yvelines"),
    ("79", "Deux-Sèvres"),
    ("80", "Somme"),
    ("81", "Tarn"),
    ("82", "Tarn-et-Garonne"),
    ("83", "Var"),
    ("84", "Vaucluse"),
    ("85", "Vendée"),
    ("86", "Vienne"),
    ("87", "Haute-Vienne"),
    ("88", "Vosges"),
    ("89", "Yonne"),
    ("90", "Territoire de Belfort"),
    ("91", "Essonne"),
    ("92", "Hauts-de-Seine"),
    ("93", "Seine-Saint-Denis"),
    ("94", "Val-de-Marne"),
    ("95", "Val-d'Oise"),
    ("971", "Guadeloupe"),
    ("972", "Martinique"),
    ("973", "Guyane"),
    ("974", "La Réunion"),
    ("975", "Saint-Pierre-et-Miquelon"),
    ("976", "Mayotte"),
    ("977", "Saint-Barthélemy"),
    ("978", "Saint-Martin"),
    ("986", "Wallis-et-Futuna"),
    ("987", "Polynésie française"),
    ("988", "Nouvelle-Calédonie"),
    ("99", "Né(e) à l'étranger"),
)

# -- Maître d'apprentissage --------------------------------------------------------------

# Notice §1.10 « Niveau de diplôme ou titre le plus élevé obtenu » of the maître: a
# European level, not a diploma code.
NIVEAU_DIPLOME_MAITRE: Choices = (
    ("0", "Aucun diplôme ou titre"),
    ("3", "CAP, BEP"),
    ("4", "Baccalauréat"),
    ("5", "DEUG, BTS, DUT, DEUST"),
    ("6", "Licence, licence professionnelle, BUT, maîtrise"),
    (
        "7",
        "Master, diplôme d'études approfondies, diplôme d'études supérieures "
        "spécialisées, diplôme d'ingénieur",
    ),
    ("8", "Doctorat, habilitation à diriger des recherches"),
)

# -- Contrat -----------------------------------------------------------------------------

# Notice §1.1 « Mode contractuel de l'apprentissage ».
MODE_CONTRACTUEL: Choices = (
    ("1", "À durée limitée"),
    ("2", "Dans le cadre d'un CDI"),
    ("3", "Entreprise de travail temporaire"),
    ("4", "Activités saisonnières à deux employeurs"),
)

# Notice §1.11 « Type de contrat ou d'avenant » (*14 wording of 23, 35 and 37).
TYPE_CONTRAT_GROUPES: GroupedChoices = (
    ("Contrat initial", (("11", "Premier contrat d'apprentissage de l'apprenti"),)),
    (
        "Succession de contrats",
        (
            (
                "21",
                "Nouveau contrat avec un apprenti qui a terminé son précédent contrat auprès "
                "d'un même employeur",
            ),
            (
                "22",
                "Nouveau contrat avec un apprenti qui a terminé son précédent contrat auprès "
                "d'un autre employeur",
            ),
            ("23", "Nouveau contrat avec un apprenti dont le précédent contrat a été rompu"),
        ),
    ),
    (
        "Avenant : modification des conditions du contrat",
        (
            ("31", "Modification de la situation juridique de l'employeur"),
            ("32", "Changement d'employeur dans le cadre d'un contrat saisonnier"),
            ("33", "Prolongation du contrat suite à un échec à l'examen de l'apprenti"),
            (
                "34",
                "Prolongation du contrat suite à la reconnaissance de l'apprenti comme "
                "travailleur handicapé",
            ),
            (
                "35",
                "Diplôme supplémentaire préparé par l'apprenti dans le cadre de l'article "
                "L. 6222-22-1 du code du travail",
            ),
            (
                "36",
                "Autres changements : changement de maître d'apprentissage, de durée de "
                "travail hebdomadaire, réduction de durée, etc.",
            ),
            ("37", "Modification du lieu d'exécution du contrat"),
            ("38", "Modification du lieu principal de réalisation de la formation théorique"),
        ),
    ),
)
TYPE_CONTRAT: Choices = _flatten(TYPE_CONTRAT_GROUPES)
TYPE_CONTRAT_SUCCESSION: frozenset[str] = frozenset({"21", "22", "23"})
TYPE_CONTRAT_AVENANT: frozenset[str] = frozenset(code for code, _ in TYPE_CONTRAT_GROUPES[2][1])

# Notice §1.12 « Type de dérogation », filled only when a dérogation exists (no code means
# none: the form has no « aucune » value).
TYPE_DEROGATION: Choices = (
    ("11", "Âge de l'apprenti inférieur à 16 ans"),
    ("12", "Âge supérieur à 29 ans : cas spécifiques prévus dans le code du travail"),
    ("21", "Réduction de la durée du contrat ou de la période d'apprentissage"),
    ("22", "Allongement de la durée du contrat ou de la période d'apprentissage"),
    ("50", "Cumul de dérogations"),
    ("60", "Autre dérogation"),
)

# Notice, cadre « Rémunération » : « Indiquer SMIC ou SMC » for each period.
REFERENCE_REMUNERATION: Choices = (
    ("SMIC", "SMIC"),
    ("SMC", "SMC (salaire minimum conventionnel)"),
)

# -- Which dossier field takes which table -----------------------------------------------

# Dotted dossier paths (format v1) of the coded fields. A "*" stands for any list index
# (the remuneration lines, the maîtres). Used by the rules to flag a code outside its
# table, and by the wizard to build its choices.
FIELD_TABLES: dict[str, Choices] = {
    "employeur.prive_public": PRIVE_PUBLIC,
    "employeur.type_employeur": TYPE_EMPLOYEUR,
    "employeur.employeur_specifique": EMPLOYEUR_SPECIFIQUE,
    "apprenti.sexe": SEXE,
    "apprenti.departement_naissance": DEPARTEMENT_NAISSANCE,
    "apprenti.nationalite": NATIONALITE,
    "apprenti.regime_social": REGIME_SOCIAL,
    "apprenti.situation_avant_contrat": SITUATION_AVANT_CONTRAT,
    "apprenti.dernier_diplome_prepare": DIPLOME,
    "apprenti.derniere_classe": DERNIERE_CLASSE,
    "apprenti.diplome_plus_eleve": DIPLOME,
    "maitres.*.niveau_diplome": NIVEAU_DIPLOME_MAITRE,
    "contrat.mode_contractuel": MODE_CONTRACTUEL,
    "contrat.type_contrat": TYPE_CONTRAT,
    "contrat.type_derogation": TYPE_DEROGATION,
    "contrat.remunerations.*.reference": REFERENCE_REMUNERATION,
    "formation.diplome_vise": DIPLOME,
}
