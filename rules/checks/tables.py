"""Rules on the official reference tables bundled in rules/data (docs/tables.md): postal
codes and communes (La Poste), codes APE (INSEE, NAF rév. 2 and NAF 2025), IDCC (DILA,
base KALI), codes diplôme and RNCP (France compétences' kit, BCN prefixes).

Every table is a copy of a given date and may miss what came after it (a commune merged
since, a convention created since, a renewed RNCP fiche): so none of these rules is an
error, and each message gives the table's date. The shape of each code (5 digits, 4
digits…) is checked in ``identifiers.py``; a rule here speaks only of a well-formed code,
so that one mistake never gets two findings.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

from rules import codes, communes, diplomes, identifiers, naf
from rules import idcc as idcc_list
from rules.dates import format_fr
from rules.dossier import Dossier, get_path
from rules.registry import Context, rule

REF_CODE_POSTAL = "La Poste, base officielle des codes postaux (data.gouv.fr) ; notice 51649#09"
REF_APE = (
    "Décret n°2007-1888 du 26 décembre 2007 (NAF rév. 2) ; INSEE, NAF 2025 (NACE rév. 2.1) ; "
    "notice 51649#09 (code APE)"
)
REF_IDCC = (
    "C. trav. art. L2261-2 ; DILA, liste des conventions collectives (base KALI) ; notice "
    "51649#09 (code IDCC)"
)
REF_RNCP = (
    "C. trav. art. L6113-1, D6224-2 ; France compétences, kit apprentissage (code diplôme ↔ RNCP)"
)
REF_DIPLOME_VISE = (
    "Notice 51649#09 (diplôme ou titre visé) ; C. trav. art. D6113-18 (niveaux du cadre "
    "national des certifications) ; BCN, niveaux des formations"
)

Problems = Iterator[tuple[str | tuple[str, ...], str]]

ADDRESSES = (
    ("employeur.adresse", "de l'employeur"),
    ("apprenti.adresse", "de l'apprenti"),
    ("apprenti.representant_legal.adresse", "du représentant légal"),
    ("formation.cfa.adresse", "du CFA"),
    ("formation.lieu_principal.adresse", "du lieu principal de formation"),
)
# How many commune names a message lists before « et N autres ».
NAMES_SHOWN = 4

LEVEL_WORDS = {
    "3": "CAP, BEP",
    "4": "bac",
    "5": "bac +2",
    "6": "bac +3 ou 4",
    "7": "bac +5",
    "8": "doctorat",
}
KALI_STATES = {
    "ABROGE": "abrogée",
    "REMPLACE": "remplacée",
    "PERIME": "périmée",
    "DENONCE": "dénoncée",
    "MODIFIE": "modifiée",
    "VIGUEUR_DIFF": "pas encore en vigueur",
}


def _text(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _date(iso: str) -> str:
    """A table's ISO date the French way; as written when it is not a date."""
    try:
        return format_fr(datetime.date.fromisoformat(iso))
    except ValueError:
        return iso


def _level(level: str | int) -> str:
    words = LEVEL_WORDS.get(str(level))
    return f"niveau {level} ({words})" if words else f"niveau {level}"


def _register(code: str, level, reference: str, doc: str, fn: Callable) -> None:
    fn.__doc__ = doc
    fn.__name__ = fn.__qualname__ = "rule_" + code.replace(".", "_")
    rule(code, level, reference)(fn)


# -- Postal codes and communes -------------------------------------------------------------


def _address(d: Dossier, base: str) -> tuple[str, str | None] | None:
    """The well-formed postal code of an address and its commune; None when there is no
    postal code to look up."""
    if get_path(d, base) is None:
        return None
    code = _text(get_path(d, f"{base}.code_postal"))
    if code is None or not identifiers.check_code_postal(code):
        return None  # missing or malformed: the presence and format rules say so
    return identifiers.compact(code), _text(get_path(d, f"{base}.commune"))


def _postcode_rule(base: str, who: str):
    def check(d: Dossier, ctx: Context) -> Problems:
        found = _address(d, base)
        if found is None:
            return
        code, commune = found
        if communes.postcode_exists(code):
            return
        if commune and "CEDEX" in communes.words(commune):
            return  # a CEDEX code: La Poste's base lists none of them
        yield (
            f"{base}.code_postal",
            (
                f"Le code postal {code} de l'adresse {who} ne figure pas dans la base officielle "
                f"des codes postaux de La Poste (communes au {_date(communes.TABLE_DATE)}). "
                "Vérifiez-le ; si c'est un code CEDEX, ajoutez « CEDEX » après le nom de la "
                "commune."
            ),
        )

    return check


def _names(found: tuple[communes.Commune, ...]) -> str:
    names = [c.nom for c in found]
    if len(names) <= NAMES_SHOWN + 1:
        return ", ".join(names[:-1]) + (" et " if len(names) > 1 else "") + names[-1]
    return ", ".join(names[:NAMES_SHOWN]) + f" et {len(names) - NAMES_SHOWN} autres communes"


def _commune_rule(base: str, who: str):
    def check(d: Dossier, ctx: Context) -> Problems:
        found = _address(d, base)
        if found is None or found[1] is None:
            return
        code, commune = found
        if communes.commune_matches(code, commune) is not False:
            return  # it matches, or the table cannot tell (unknown code, CEDEX)
        listed = communes.communes_for(code)
        yield (
            (f"{base}.commune", f"{base}.code_postal"),
            (
                f"La commune « {commune} » de l'adresse {who} ne correspond pas au code postal "
                f"{code}, qui dessert {_names(listed)} selon La Poste (communes au "
                f"{_date(communes.TABLE_DATE)}). Corrigez la commune ou le code postal."
            ),
        )

    return check


for _base, _who in ADDRESSES:
    _register(
        f"{_base}.code_postal.inconnu",
        "warning",
        REF_CODE_POSTAL,
        f"The postal code of the address {_who} is one of La Poste's base officielle des "
        "codes postaux (CEDEX codes, which it does not list, are left alone when the commune "
        "says CEDEX). A warning: the table has a date.",
        _postcode_rule(_base, _who),
    )
    _register(
        f"{_base}.commune.code_postal",
        "warning",
        REF_CODE_POSTAL,
        f"The commune of the address {_who} is one La Poste delivers under its postal code "
        "(base officielle des codes postaux: name, libellé d'acheminement or locality, "
        "compared without case, accents or hyphens; Paris, Lyon and Marseille with or without "
        "their arrondissement). A warning: communes merge and change names after the table's "
        "date.",
        _commune_rule(_base, _who),
    )


# -- Code APE ---------------------------------------------------------------------------------


@rule("employeur.code_ape.nomenclature", "warning", REF_APE)
def ape_in_nomenclature(d: Dossier, ctx: Context) -> Problems:
    """The code APE is a sub-class of the NAF rév. 2 (décret n°2007-1888) or of the NAF 2025
    that replaces it (INSEE): SIRENE gives one of them to every employer. A warning, with
    the lists' dates; a code whose first two digits are no NAF division is already said by
    employeur.code_ape.division."""
    value = _text(d.employeur.code_ape)
    if (
        value is None
        or not identifiers.check_ape(value)
        or not identifiers.ape_division_known(value)
        or naf.revisions(value)
    ):
        return
    dates = {name: _date(meta["date"]) for name, meta in naf.info().items()}
    yield (
        "employeur.code_ape",
        (
            f"Le code APE {naf.normalize(value)} n'existe ni dans la NAF rév. 2 ni dans la NAF "
            f"2025 (listes de l'INSEE du {dates[naf.REV2]} et du {dates[naf.NAF2025]}). "
            "Vérifiez-le sur l'avis de situation SIRENE de l'employeur "
            "(annuaire-entreprises.data.gouv.fr)."
        ),
    )


# -- IDCC ---------------------------------------------------------------------------------


def _convention(d: Dossier) -> tuple[str, idcc_list.Convention | None] | None:
    """The IDCC written, in 4 digits, and its convention in the list; None when there is
    nothing to look up (empty, malformed, 9998/9999, a statut 5xxx)."""
    value = _text(d.employeur.code_idcc)
    if value is None or not identifiers.check_idcc(value):
        return None
    code = idcc_list.normalize(value)
    if code is None or code in idcc_list.SPECIAL or idcc_list.is_statut(code):
        return None
    return code, idcc_list.find(code)


@rule("employeur.code_idcc.inconnu", "warning", REF_IDCC)
def idcc_unknown(d: Dossier, ctx: Context) -> Problems:
    """The IDCC is that of a convention collective of the official list (base KALI; the
    convention the employer applies, L2261-2). 9999 and 9998 are the CERFA's own values, and
    5000 to 5999 number statuts, lawful too. A warning only when the list is complete, with
    its date: a convention created since is missing from it."""
    found = _convention(d)
    listed = idcc_list.bundled()
    if found is None or found[1] is not None or not listed.complet:
        return
    yield (
        "employeur.code_idcc",
        (
            f"L'IDCC {found[0]} ne figure pas dans la liste des conventions collectives (base "
            f"KALI, liste du {_date(listed.date)}). Vérifiez-le sur un bulletin de paie ou sur "
            "code.travail.gouv.fr : une convention créée depuis peut y manquer."
        ),
    )


@rule("employeur.code_idcc.en_vigueur", "warning", REF_IDCC)
def idcc_not_in_force(d: Dossier, ctx: Context) -> Problems:
    """The convention collective of the IDCC is in force (KALI legal state VIGUEUR_ETEN or
    VIGUEUR_NON_ETEN for one of its texts): an abrogated, replaced or lapsed convention is
    no longer the one the employer applies (L2261-2). A warning, with the list's date; an
    unknown state says nothing."""
    found = _convention(d)
    if found is None or found[1] is None or found[1].en_vigueur is not False:
        return
    code, convention = found
    states = [KALI_STATES.get(s, s.lower()) for s in convention.etat.split("|") if s]
    said = f" : {', '.join(states)}" if states else ""
    yield (
        "employeur.code_idcc",
        (
            f"La convention collective {code} ({convention.titre}) n'est pas en vigueur "
            f"d'après la liste des conventions collectives (base KALI, liste du "
            f"{_date(idcc_list.bundled().date)}{said}). Elle a pu être remplacée : indiquez "
            "l'IDCC de la convention appliquée aujourd'hui, qui figure sur les bulletins de "
            "paie."
        ),
    )


# -- Code diplôme, RNCP, diplôme visé --------------------------------------------------------


def _code_diplome(d: Dossier) -> str | None:
    """The code diplôme written, when well formed and not the pending 99999999."""
    value = _text(d.formation.code_diplome)
    code = diplomes.normalize_code(value) if value else None
    if code is None or code == identifiers.CODE_DIPLOME_EN_ATTENTE:
        return None
    return code


def _fiches(rows: tuple[diplomes.Diplome, ...]) -> str:
    rncps = sorted({r.code_rncp for r in rows if r.code_rncp})
    if len(rncps) == 1:
        (title,) = {r.intitule for r in rows if r.code_rncp == rncps[0]} or {""}
        return f"la fiche {rncps[0]} ({title})"
    return "les fiches " + ", ".join(rncps)


@rule("formation.code_rncp.code_diplome", "warning", REF_RNCP)
def rncp_matches_code(d: Dossier, ctx: Context) -> Problems:
    """The code diplôme and the RNCP certification name the same diploma (France
    compétences' kit apprentissage: each CFD with its RNCP fiches; the certification is
    the RNCP's, L6113-1, D6224-2): when the kit knows both and never pairs them, or when
    their levels differ (the kit's RNCP level; the BCN prefix where it is certain). A
    warning with the kit's date: a fiche renewed since has a new number."""
    code = _code_diplome(d)
    rncp = diplomes.normalize_rncp(_text(d.formation.code_rncp))
    if code is None or rncp is None:
        return
    table = diplomes.bundled()
    by_code, by_rncp = table.by_code(code), table.by_rncp(rncp)
    date = _date(table.meta["date"])
    fields = ("formation.code_rncp", "formation.code_diplome")
    if by_code and by_rncp:
        if rncp in {r.code_rncp for r in by_code}:
            return
        yield (
            fields,
            (
                f"D'après le kit apprentissage de France compétences (du {date}), le code "
                f"diplôme {code} correspond à {_fiches(by_code)}, et la fiche {rncp} à un autre "
                f"diplôme ({by_rncp[0].intitule}). Vérifiez ces deux codes avec le CFA : une "
                "fiche RNCP renouvelée depuis change de numéro."
            ),
        )
        return
    level_code, level_rncp = table.level_of_code(code), table.level_of_rncp(rncp)
    if level_code and level_rncp and level_code != level_rncp:
        yield (
            fields,
            (
                f"Le code diplôme {code} désigne une certification de {_level(level_code)} et "
                f"la fiche {rncp} une certification de {_level(level_rncp)} (kit apprentissage "
                f"de France compétences du {date}) : ils ne peuvent désigner la même "
                "formation. Vérifiez ces deux codes avec le CFA."
            ),
        )


@rule("formation.diplome_vise.code_diplome", "warning", REF_DIPLOME_VISE)
def diplome_vise_matches_code(d: Dossier, ctx: Context) -> Problems:
    """The « diplôme ou titre visé » box agrees with the code diplôme: the diploma type the
    code certainly means (its BCN prefix and the kit's abrégé: 320 BTS → 54, 500 CAP → 33…),
    else its level (the kit's RNCP level, cadre national des certifications, D6113-18)
    against the level of the box. Only where the mapping is certain; a warning, since the
    kit and the BCN table have a date."""
    code = _code_diplome(d)
    vise = d.formation.diplome_vise
    if code is None or vise not in codes.codes(codes.DIPLOME):
        return
    table = diplomes.bundled()
    expected, level = table.vise_of_code(code), table.level_of_code(code)
    fields = ("formation.diplome_vise", "formation.code_diplome")
    source = (
        f"nomenclature de la BCN et kit apprentissage de France compétences du "
        f"{_date(table.meta['date'])}"
    )
    if expected is not None:
        if vise != expected:
            yield (
                fields,
                (
                    f"Le code diplôme {code} est celui d'un diplôme « "
                    f"{codes.label(codes.DIPLOME, expected)} » ({source}), mais le diplôme visé "
                    f"indiqué est « {codes.label(codes.DIPLOME, vise)} ». Choisissez « "
                    f"{codes.label(codes.DIPLOME, expected)} », ou vérifiez le code diplôme avec "
                    "le CFA."
                ),
            )
        return
    box_level = codes.NIVEAU_DIPLOME_EUROPEEN.get(vise)
    # A certificat de spécialisation (35) is level 3 or 4 whatever its heading says.
    if level is None or box_level is None or vise == "35" or str(box_level) == level:
        return
    yield (
        fields,
        (
            f"Le code diplôme {code} désigne une certification de {_level(level)} ({source}), "
            f"mais le diplôme visé indiqué, « {codes.label(codes.DIPLOME, vise)} », est de "
            f"{_level(box_level)}. Choisissez un diplôme visé de {_level(level)}, ou vérifiez "
            "le code diplôme avec le CFA."
        ),
    )
